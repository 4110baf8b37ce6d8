import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { compileInclude } from '../../../lib/dialects/postgres/compile-load.js'
import {
  compileCount,
  compileSelect,
  cursorStatements,
} from '../../../lib/dialects/postgres/compile-query.js'
import {
  compileDeleteWhere,
  compileInsertMany,
  compileUpdateWhere,
} from '../../../lib/dialects/postgres/compile-write.js'
import * as Q from '../../../lib/namespaces/query.js'
import { library, novels, reviews, tags, writers } from './schema.js'

const sql = (q: Q.AnySelect) => {
  const c = compileSelect(q)
  if (E.isLeft(c)) throw new Error(c.left.message)
  return c.right
}
const invalid = (q: Q.AnySelect) => {
  const c = compileSelect(q)
  if (E.isRight(c)) throw new Error(`expected an invalid query, got ${c.right.text}`)
  return c.left.message
}
const N = '"novels"."id", "novels"."title", "novels"."pages", "novels"."price", "novels"."writer_id"'

describe('expressions', () => {
  it('compares columns with columns, ranges, and checks patterns with parameters', () => {
    const q = pipe(
      Q.from(novels),
      Q.where((n) =>
        Q.and(
          Q.between(n.pages, 100, 200),
          Q.notBetween(n.id, 5, 6),
          Q.like(n.title, 'A%'),
          Q.gt(n.pages, n.id),
        ),
      ),
    )
    expect(sql(q)).toEqual({
      text: `SELECT ${N} FROM "novels" WHERE ("novels"."pages" BETWEEN $1::int4 AND $2::int4 AND "novels"."id" NOT BETWEEN $3::int4 AND $4::int4 AND "novels"."title" LIKE $5::text AND "novels"."pages" > "novels"."id")`,
      params: [100, 200, 5, 6, 'A%'],
    })
  })

  it('renders arithmetic and coalesce typed by their left operand', () => {
    const q = pipe(
      Q.from(novels),
      Q.where((n) => Q.gte(Q.mul(Q.add(n.pages, 1), 2), 10)),
      Q.select((n) => ({
        w: Q.coalesce(n.writerId, 0),
        p: Q.div(n.pages, 3),
        m: Q.mod(n.pages, 7),
        s: Q.sub(n.price, '1.50'),
      })),
    )
    expect(sql(q)).toEqual({
      text: 'SELECT COALESCE("novels"."writer_id", $1::int4) AS "w", ("novels"."pages" / $2::int4) AS "p", ("novels"."pages" % $3::int4) AS "m", ("novels"."price" - $4::numeric) AS "s" FROM "novels" WHERE (("novels"."pages" + $5::int4) * $6::int4) >= $7::int4',
      params: [0, 3, 7, '1.50', 1, 2, 10],
    })
  })

  it('keeps sql template values as parameters, never text', () => {
    const hostile = "x'); DROP TABLE novels; --"
    const q = pipe(
      Q.from(novels),
      Q.where((n) => Q.sql<boolean>`lower(${n.title}) = lower(${hostile})`),
      Q.orderBy((n) => Q.desc(Q.sql<number>`length(${n.title})`, 'last')),
    )
    expect(sql(q)).toEqual({
      text: `SELECT ${N} FROM "novels" WHERE (lower("novels"."title") = lower($1)) ORDER BY (length("novels"."title")) DESC NULLS LAST`,
      params: [hostile],
    })
  })

  it('compiles exists and in sub-queries into one statement with shared numbering', () => {
    const good = pipe(
      Q.from(reviews),
      Q.where((r) => Q.gte(r.stars, 4)),
      Q.select((r) => ({ id: r.novelId })),
    )
    const q = pipe(
      Q.from(writers),
      Q.where((w) => Q.eq(w.name, 'Le Guin')),
      Q.where((w) =>
        Q.exists(
          pipe(
            Q.from(novels),
            Q.where((n) => Q.and(Q.eq(n.writerId, w.id), Q.inQuery(n.id, good))),
          ),
        ),
      ),
      Q.where((w) =>
        Q.notExists(
          pipe(
            Q.from(novels),
            Q.where((n) => Q.eq(n.writerId, w.id)),
            Q.limit(1),
          ),
        ),
      ),
    )
    expect(sql(q)).toEqual({
      text: `SELECT "writers"."id", "writers"."name", "writers"."born" FROM "writers" WHERE ("writers"."name" = $1::text AND EXISTS (SELECT ${N} FROM "novels" WHERE ("novels"."writer_id" = "writers"."id" AND "novels"."id" IN (SELECT "reviews"."novel_id" AS "id" FROM "reviews" WHERE "reviews"."stars" >= $2::int4))) AND NOT EXISTS (SELECT ${N} FROM "novels" WHERE "novels"."writer_id" = "writers"."id" LIMIT $3::int8))`,
      params: ['Le Guin', 4, 1],
    })
    expect(
      invalid(
        pipe(
          Q.from(writers),
          Q.where((w) => Q.inQuery(w.id, Q.from(novels) as never)),
        ),
      ),
    ).toContain('exactly one column')
  })

  it('treats empty lists as false/true and refuses null in lists and bounds', () => {
    const q = pipe(
      Q.from(novels),
      Q.where((n) => Q.and(Q.inArray(n.id, []), Q.notInArray(n.id, []))),
    )
    expect(sql(q)).toMatchObject({ params: [[], []] })
    expect(
      invalid(
        pipe(
          Q.from(novels),
          Q.where((n) => Q.inArray(n.writerId, [1, null as never])),
        ),
      ),
    ).toContain('null')
    expect(
      invalid(
        pipe(
          Q.from(novels),
          Q.where((n) => Q.between(n.pages, 1, null as never)),
        ),
      ),
    ).toContain('bounds')
  })
})

describe('shape', () => {
  it('narrows the output to chosen columns with distinct, group by and having', () => {
    const q = pipe(
      Q.from(novels),
      Q.where((n) => Q.isNotNull(n.writerId)),
      Q.groupBy((n) => n.writerId),
      Q.having(() => Q.gt(Q.count(), 1)),
      Q.select((n) => ({
        writerId: n.writerId,
        n: Q.count(),
        titles: Q.countDistinct(n.title),
        pages: Q.sum(n.pages),
        mean: Q.avg(n.pages),
        price: Q.sum(n.price),
        first: Q.min(n.title),
        last: Q.max(n.title),
      })),
      Q.orderBy((n) => n.writerId),
      Q.distinct(),
    )
    expect(sql(q)).toEqual({
      text: 'SELECT DISTINCT "novels"."writer_id" AS "writerId", (count(*))::float8 AS "n", (count(DISTINCT "novels"."title"))::float8 AS "titles", (sum("novels"."pages"))::float8 AS "pages", (avg("novels"."pages"))::float8 AS "mean", sum("novels"."price") AS "price", min("novels"."title") AS "first", max("novels"."title") AS "last" FROM "novels" WHERE "novels"."writer_id" IS NOT NULL GROUP BY "novels"."writer_id" HAVING (count(*))::float8 > $1::float8 ORDER BY "novels"."writer_id" ASC',
      params: [1],
    })
  })

  it('aliases every column of joined tables by table and field', () => {
    const q = pipe(
      Q.from(novels),
      Q.innerJoin(writers, (n, w) => Q.eq(n.writerId, w.id)),
      Q.leftJoin(reviews, (n, r) => Q.eq(r.novelId, n.id)),
      Q.where((_, { writers }) => Q.eq(writers.name, 'x')),
    )
    expect(sql(q).text).toBe(
      'SELECT "novels"."id" AS "novels.id", "novels"."title" AS "novels.title", "novels"."pages" AS "novels.pages", "novels"."price" AS "novels.price", "novels"."writer_id" AS "novels.writerId", "writers"."id" AS "writers.id", "writers"."name" AS "writers.name", "writers"."born" AS "writers.born", "reviews"."id" AS "reviews.id", "reviews"."novel_id" AS "reviews.novelId", "reviews"."stars" AS "reviews.stars", "reviews"."body" AS "reviews.body" FROM "novels" INNER JOIN "writers" ON "novels"."writer_id" = "writers"."id" LEFT JOIN "reviews" ON "reviews"."novel_id" = "novels"."id" WHERE "writers"."name" = $1::text',
    )
    expect(
      invalid(
        pipe(
          Q.from(novels),
          Q.innerJoin(novels, (a, b) => Q.eq(a.id, b.id)),
        ),
      ),
    ).toContain('joined twice')
  })

  it('refuses empty, duplicate-free but over-long and NUL output keys', () => {
    expect(
      invalid(
        pipe(
          Q.from(novels),
          Q.select((n) => ({ '': n.id })),
        ),
      ),
    ).toContain('empty')
    expect(
      invalid(
        pipe(
          Q.from(novels),
          Q.select((n) => ({ ['k'.repeat(64)]: n.id })),
        ),
      ),
    ).toContain('63 bytes')
    expect(
      invalid(
        pipe(
          Q.from(novels),
          Q.select((n) => ({ 'a\u0000b': n.id })),
        ),
      ),
    ).toContain('NUL')
  })

  it('reuses the compiled statement of one query value and keeps the original unchanged', () => {
    const base = Q.from(novels)
    const q = pipe(
      base,
      Q.where((n) => Q.eq(n.id, 1)),
      Q.limit(5),
      Q.offset(10),
    )
    expect(compileSelect(q)).toBe(compileSelect(q))
    expect(base.where).toEqual([])
    expect(sql(q).params).toEqual([1, 5, 10])
    expect(Object.isFrozen(q)).toBe(true)
  })

  it('counts a query as a sub-query, dropping its order unless it is limited', () => {
    const q = pipe(
      Q.from(novels),
      Q.where((n) => Q.gt(n.pages, 10)),
      Q.orderBy((n) => n.title),
    )
    const c = compileCount(q)
    expect(E.isRight(c) && c.right).toEqual({
      text: `SELECT count(*)::float8 AS "count" FROM (SELECT ${N} FROM "novels" WHERE "novels"."pages" > $1::int4) AS "q"`,
      params: [10],
    })
  })

  it('declares, fetches and closes a cursor', () => {
    const s = cursorStatements(
      'c1',
      sql(
        pipe(
          Q.from(tags),
          Q.where((t) => Q.eq(t.id, 3)),
        ),
      ),
      500,
    )
    expect(s.declare.text).toBe(
      'DECLARE "c1" NO SCROLL CURSOR FOR SELECT "tags"."id", "tags"."label" FROM "tags" WHERE "tags"."id" = $1::int4',
    )
    expect(s.declare.params).toEqual([3])
    expect(s.fetch.text).toBe('FETCH FORWARD 500 FROM "c1"')
    expect(s.close.text).toBe('CLOSE "c1"')
  })
})

describe('includes', () => {
  const level = (q: Q.AnySelect, i = 0) => {
    const inc = q.includes[i]!
    const rel = library.relations[q.context!.key]![inc.name]!
    const c = compileInclude(library, rel, inc)
    if (E.isLeft(c)) throw new Error(c.left.message)
    return c.right
  }

  it('loads hasMany, belongsTo, hasOne and manyToMany by one = ANY($n) statement each', () => {
    const q = pipe(
      Q.from(library, 'writers'),
      Q.include('novels', (n) =>
        pipe(
          n,
          Q.where((x) => Q.gt(x.pages, 50)),
          Q.orderBy((x) => x.title),
        ),
      ),
      Q.include('profile'),
    )
    expect(level(q, 0)).toMatchObject({
      text: `SELECT ${N}, "novels"."writer_id" AS "__origami_parent" FROM "novels" WHERE ("novels"."writer_id" = ANY($1::int4[]) AND "novels"."pages" > $2::int4) ORDER BY "novels"."title" ASC`,
      keyIndex: 0,
      parentField: 'id',
    })
    expect(level(q, 1).text).toBe(
      'SELECT "profiles"."id", "profiles"."writer_id", "profiles"."bio", "profiles"."writer_id" AS "__origami_parent" FROM "profiles" WHERE "profiles"."writer_id" = ANY($1::int4[])',
    )
    const back = pipe(Q.from(library, 'novels'), Q.include('writer'), Q.include('tags'))
    expect(level(back, 0)).toMatchObject({
      text: 'SELECT "writers"."id", "writers"."name", "writers"."born", "writers"."id" AS "__origami_parent" FROM "writers" WHERE "writers"."id" = ANY($1::int4[])',
      parentField: 'writerId',
    })
    expect(level(back, 1).text).toBe(
      'SELECT "tags"."id", "tags"."label", "novel_tags"."novel_id" AS "__origami_parent" FROM "tags" INNER JOIN "novel_tags" ON "novel_tags"."tag_id" = "tags"."id" WHERE "novel_tags"."novel_id" = ANY($1::int4[])',
    )
  })

  it('limits per parent with row_number when the include has a limit', () => {
    const q = pipe(
      Q.from(library, 'writers'),
      Q.include('novels', (n) =>
        pipe(
          n,
          Q.orderBy((x) => Q.desc(x.pages)),
          Q.limit(2),
          Q.offset(1),
        ),
      ),
    )
    expect(level(q)).toMatchObject({
      text: `SELECT * FROM (SELECT ${N}, "novels"."writer_id" AS "__origami_parent", (row_number() OVER (PARTITION BY "novels"."writer_id" ORDER BY "novels"."pages" DESC)) AS "__origami_rn" FROM "novels" WHERE "novels"."writer_id" = ANY($1::int4[])) AS "s" WHERE "__origami_rn" > $2::int8 AND "__origami_rn" <= $2::int8 + $3::int8 ORDER BY "__origami_rn"`,
      params: [expect.anything(), 1, 2],
    })
  })

  it('nests includes as values and reports unknown relationships when run', () => {
    const q = pipe(
      Q.from(library, 'writers'),
      Q.include('novels', (n) => pipe(n, Q.include('reviews'))),
    )
    expect(q.includes[0]!.query!.includes[0]!.name).toBe('reviews')
    const bad = pipe(Q.from(library, 'writers'), Q.include('nope' as never))
    expect(bad.includes[0]!.invalid).toContain('no relationship "nope"')
    const schemaLess = pipe(Q.from(writers), Q.include('novels' as never))
    expect(schemaLess.includes[0]!.invalid).toContain('Q.from(schema, key)')
  })
})

describe('bulk writes', () => {
  it('inserts through unnest with one array per column, in input order', () => {
    expect(
      compileInsertMany(
        novels.$spec,
        ['title', 'pages'],
        [
          ['a', 'b'],
          [1, 2],
        ],
      ),
    ).toEqual({
      text: 'INSERT INTO "novels" ("title", "pages") SELECT u.c1, u.c2 FROM unnest($1::text[], $2::int4[]) WITH ORDINALITY AS u(c1, c2, ord) ORDER BY u.ord RETURNING "id", "title", "pages", "price", "writer_id"',
      params: [
        ['a', 'b'],
        [1, 2],
      ],
    })
  })

  it('updates and deletes by condition with RETURNING, refusing an empty condition', () => {
    const cond = pipe(
      Q.from(novels),
      Q.where((n) => Q.lt(n.pages, 10)),
    ).where
    expect(compileUpdateWhere(novels.$spec, { title: 'x', price: null }, cond)).toEqual(
      E.right({
        text: 'UPDATE "novels" SET "title" = $1::text, "price" = $2::numeric WHERE "novels"."pages" < $3::int4 RETURNING "id", "title", "pages", "price", "writer_id"',
        params: ['x', null, 10],
      }),
    )
    expect(compileDeleteWhere(novels.$spec, cond)).toEqual(
      E.right({
        text: 'DELETE FROM "novels" WHERE "novels"."pages" < $1::int4 RETURNING "id", "title", "pages", "price", "writer_id"',
        params: [10],
      }),
    )
    expect(E.isLeft(compileDeleteWhere(novels.$spec, []))).toBe(true)
    expect(E.isLeft(compileUpdateWhere(novels.$spec, {}, cond))).toBe(true)
  })
})
