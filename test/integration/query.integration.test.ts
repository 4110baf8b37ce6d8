import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Db, type LogEntry } from '../../lib/index.js'
import * as Q from '../../lib/namespaces/query.js'
import { databases } from '../support/databases.js'
import { left, right } from '../support/results.js'
import { library, novels, novelTags, profiles, reviews, tags, writers } from '../unit/query/schema.js'

describe.each(databases())('queries on $name', ({ url }) => {
  let db: Db<typeof library>
  const log: LogEntry[] = []
  /** Statements run by `f`, as logged. */
  const statements = async <A>(f: () => Promise<A>): Promise<{ value: A; sql: string[] }> => {
    log.length = 0
    const value = await f()
    return { value, sql: log.map((e) => e.statement) }
  }

  beforeAll(async () => {
    db = await right(connect(library, url, { log: (e) => log.push(e) }))
    await right(db.dropAll())
    await right(db.createAll())
    const ws = await right(
      db.insertMany(writers, [
        { name: 'Le Guin', born: 1929 },
        { name: 'Herbert', born: 1920 },
        { name: 'Nobody' },
      ]),
    )
    expect(ws.map((w) => w.id)).toEqual([1, 2, 3])
    await right(db.insertMany(profiles, [{ writerId: 1, bio: 'Earthsea' }]))
    await right(
      db.insertMany(novels, [
        { title: 'A Wizard of Earthsea', pages: 183, price: '9.99', writerId: 1 },
        { title: 'The Dispossessed', pages: 387, writerId: 1 },
        { title: 'The Left Hand of Darkness', pages: 304, price: '12.50', writerId: 1 },
        { title: 'Dune', pages: 412, price: '11.00', writerId: 2 },
        { title: 'Anonymous', pages: 10 },
      ]),
    )
    await right(
      db.insertMany(reviews, [
        { novelId: 1, stars: 5, body: 'classic' },
        { novelId: 1, stars: 4 },
        { novelId: 4, stars: 5 },
      ]),
    )
    await right(db.insertMany(tags, [{ label: 'fantasy' }, { label: 'sf' }]))
    await right(
      db.insertMany(novelTags, [
        { novelId: 1, tagId: 1 },
        { novelId: 2, tagId: 2 },
        { novelId: 3, tagId: 2 },
        { novelId: 4, tagId: 2 },
      ]),
    )
  })
  afterAll(async () => {
    await db.close()()
  })

  it('filters, orders with nulls placement, limits and offsets', async () => {
    const q = pipe(
      Q.from(novels),
      Q.where((n) => Q.or(Q.ilike(n.title, 'the %'), Q.isNull(n.writerId))),
      Q.orderBy((n) => [Q.asc(n.price, 'first'), Q.desc(n.pages)]),
      Q.offset(1),
      Q.limit(2),
    )
    const rows = await right(db.all(q))
    expect(rows.map((r) => r.title)).toEqual(['Anonymous', 'The Left Hand of Darkness'])
    expect(rows[0]).toEqual({ id: 5, title: 'Anonymous', pages: 10, price: null, writerId: null })
    expect(Object.isFrozen(rows[0])).toBe(true)
  })

  it('selects columns and expressions, groups and filters groups', async () => {
    const q = pipe(
      Q.from(novels),
      Q.innerJoin(writers, (n, w) => Q.eq(n.writerId, w.id)),
      Q.groupBy((_, { writers }) => writers.name),
      Q.having(() => Q.gte(Q.count(), 1)),
      Q.select((n, { writers }) => ({
        writer: writers.name,
        books: Q.count(),
        pages: Q.sum(n.pages),
        mean: Q.avg(n.pages),
        spend: Q.sum(n.price),
        shortest: Q.min(n.pages),
        last: Q.max(n.title),
      })),
      Q.orderBy((_, { writers }) => writers.name),
    )
    expect(await right(db.all(q))).toEqual([
      { writer: 'Herbert', books: 1, pages: 412, mean: 412, spend: '11.00', shortest: 412, last: 'Dune' },
      {
        writer: 'Le Guin',
        books: 3,
        pages: 874,
        mean: 874 / 3,
        spend: '22.49',
        shortest: 183,
        last: 'The Left Hand of Darkness',
      },
    ])
    const distinct = pipe(
      Q.from(novels),
      Q.where((n) => Q.isNotNull(n.writerId)),
      Q.select((n) => ({ w: n.writerId, more: Q.add(n.writerId, 100), c: Q.coalesce(n.price, '0') })),
      Q.orderBy((n) => n.writerId),
      Q.distinct(),
    )
    expect((await right(db.all(distinct))).map((r) => r.w)).toEqual([1, 1, 1, 2])
  })

  it('joins: inner drops unmatched rows, left keeps them with null', async () => {
    const inner = pipe(
      Q.from(writers),
      Q.innerJoin(profiles, (w, p) => Q.eq(p.writerId, w.id)),
    )
    expect(await right(db.all(inner))).toEqual([
      { writers: { id: 1, name: 'Le Guin', born: 1929 }, profiles: { id: 1, writerId: 1, bio: 'Earthsea' } },
    ])
    const outer = pipe(
      Q.from(writers),
      Q.leftJoin(profiles, (w, p) => Q.eq(p.writerId, w.id)),
      Q.orderBy((w) => w.id),
    )
    const rows = await right(db.all(outer))
    expect(rows.map((r) => r.profiles?.bio ?? null)).toEqual(['Earthsea', null, null])
  })

  it('sub-queries in where: exists, not exists, in', async () => {
    const withBooks = pipe(
      Q.from(writers),
      Q.where((w) =>
        Q.exists(
          pipe(
            Q.from(novels),
            Q.where((n) => Q.eq(n.writerId, w.id)),
          ),
        ),
      ),
    )
    expect((await right(db.all(withBooks))).map((w) => w.name)).toEqual(['Le Guin', 'Herbert'])
    const reviewed = pipe(
      Q.from(reviews),
      Q.where((r) => Q.eq(r.stars, 5)),
      Q.select((r) => ({ id: r.novelId })),
    )
    const q = pipe(
      Q.from(novels),
      Q.where((n) => Q.inQuery(n.id, reviewed)),
      Q.orderBy((n) => n.id),
    )
    expect((await right(db.all(q))).map((n) => n.title)).toEqual(['A Wizard of Earthsea', 'Dune'])
    const none = pipe(
      Q.from(writers),
      Q.where((w) =>
        Q.notExists(
          pipe(
            Q.from(novels),
            Q.where((n) => Q.eq(n.writerId, w.id)),
          ),
        ),
      ),
    )
    expect((await right(db.all(none))).map((w) => w.name)).toEqual(['Nobody'])
    expect(
      await right(
        db.all(
          pipe(
            Q.from(novels),
            Q.where((n) => Q.inArray(n.id, [])),
          ),
        ),
      ),
    ).toEqual([])
    expect(
      await right(
        db.count(
          pipe(
            Q.from(novels),
            Q.where((n) => Q.notInArray(n.id, [])),
          ),
        ),
      ),
    ).toBe(5)
  })

  it('loads every relationship kind, nested, with one statement per level', async () => {
    const q = pipe(
      Q.from(library, 'writers'),
      Q.include('novels', (n) =>
        pipe(
          n,
          Q.orderBy((x) => x.id),
          Q.include('reviews', (r) =>
            pipe(
              r,
              Q.orderBy((x) => Q.desc(x.stars)),
            ),
          ),
          Q.include('tags'),
        ),
      ),
      Q.include('profile'),
      Q.orderBy((w) => w.id),
    )
    const { value: rows, sql } = await statements(() => right(db.all(q)))
    expect(sql).toHaveLength(5) // writers, novels, profile, reviews, tags: never one per row
    expect(sql.filter((s) => s.includes('= ANY('))).toHaveLength(4)
    expect(rows.map((w) => [w.name, w.novels.length, w.profile?.bio ?? null])).toEqual([
      ['Le Guin', 3, 'Earthsea'],
      ['Herbert', 1, null],
      ['Nobody', 0, null],
    ])
    const earthsea = rows[0]!.novels[0]!
    expect(earthsea.reviews.map((r) => r.stars)).toEqual([5, 4])
    expect(earthsea.tags).toEqual([{ id: 1, label: 'fantasy' }])
    expect(rows[1]!.novels[0]!.tags.map((t) => t.label)).toEqual(['sf'])
    expect(Object.isFrozen(rows[0]!.novels)).toBe(true)

    const back = pipe(
      Q.from(library, 'novels'),
      Q.include('writer', (w) => pipe(w, Q.include('profile'))),
      Q.orderBy((n) => n.id),
    )
    const books = await right(db.all(back))
    expect(books.map((b) => b.writer?.name ?? null)).toEqual([
      'Le Guin',
      'Le Guin',
      'Le Guin',
      'Herbert',
      null,
    ])
    expect(books[0]!.writer!.profile!.bio).toBe('Earthsea')
    const m2m = pipe(
      Q.from(library, 'tags'),
      Q.include('novels', (n) =>
        pipe(
          n,
          Q.orderBy((x) => x.id),
        ),
      ),
      Q.orderBy((t) => t.id),
    )
    expect((await right(db.all(m2m))).map((t) => t.novels.map((n) => n.id))).toEqual([[1], [2, 3, 4]])
  })

  it('limits included rows per parent and needs the key in a parent select', async () => {
    const q = pipe(
      Q.from(library, 'writers'),
      Q.include('novels', (n) =>
        pipe(
          n,
          Q.orderBy((x) => Q.desc(x.pages)),
          Q.limit(2),
        ),
      ),
      Q.orderBy((w) => w.id),
    )
    expect((await right(db.all(q))).map((w) => w.novels.map((n) => n.pages))).toEqual([[387, 304], [412], []])
    const noKey = pipe(
      Q.from(library, 'writers'),
      Q.select((w) => ({ name: w.name })),
      Q.include('novels'),
    )
    expect(await left(db.all(noKey))).toMatchObject({
      _tag: 'InvalidQuery',
      message: expect.stringContaining('id'),
    })
  })

  it('gets by key, counts, and takes the first row', async () => {
    expect(await right(db.get(novels, 4))).toEqual(
      O.some({ id: 4, title: 'Dune', pages: 412, price: '11.00', writerId: 2 }),
    )
    expect(await right(db.get(novels, 404))).toEqual(O.none)
    expect(await right(db.get(novelTags, { novelId: 2, tagId: 2 }))).toEqual(O.some({ novelId: 2, tagId: 2 }))
    expect(await left(db.get(novelTags, 1 as never))).toMatchObject({ _tag: 'InvalidQuery' })
    expect(await right(db.count(novels))).toBe(5)
    expect(await right(db.count(pipe(Q.from(novels), Q.limit(2))))).toBe(2)
    const first = await right(
      db.first(
        pipe(
          Q.from(novels),
          Q.orderBy((n) => Q.desc(n.pages)),
        ),
      ),
    )
    expect(O.map((n: { title: string }) => n.title)(first)).toEqual(O.some('Dune'))
  })

  it('paginates by page number with total and page count', async () => {
    const q = pipe(
      Q.from(novels),
      Q.orderBy((n) => n.id),
    )
    const p2 = await right(db.paginate(q, { page: 2, perPage: 2 }))
    expect(p2).toMatchObject({ total: 5, page: 2, perPage: 2, pages: 3, hasPrev: true, hasNext: true })
    expect(p2.items.map((n) => n.id)).toEqual([3, 4])
    const p9 = await right(db.paginate(q, { page: 9, perPage: 2 }))
    expect(p9).toMatchObject({ items: [], total: 5, pages: 3, hasNext: false })
    expect(await left(db.paginate(q, { page: 0, perPage: 2 }))).toMatchObject({ _tag: 'InvalidQuery' })
  })

  it('paginates by keyset after a cursor, in either direction', async () => {
    for (const dir of [Q.asc, Q.desc]) {
      const q = pipe(
        Q.from(novels),
        Q.orderBy((n) => dir(n.pages)),
      )
      const seen: number[] = []
      let after: string | null = null
      for (let i = 0; i < 5 && (i === 0 || after !== null); i++) {
        const page: { items: ReadonlyArray<{ pages: number }>; next: string | null } = await right(
          db.keyset(q, { perPage: 2, after }),
        )
        seen.push(...page.items.map((n) => n.pages))
        after = page.next
      }
      const all = [10, 183, 304, 387, 412]
      expect(seen).toEqual(dir === Q.asc ? all : [...all].reverse())
    }
    const mixed = pipe(
      Q.from(novels),
      Q.orderBy((n) => [Q.asc(n.title), Q.desc(n.id)]),
    )
    const a = await right(db.keyset(mixed, { perPage: 3 }))
    const b = await right(db.keyset(mixed, { perPage: 3, after: a.next }))
    expect([...a.items, ...b.items].map((n) => n.title)).toEqual([
      'A Wizard of Earthsea',
      'Anonymous',
      'Dune',
      'The Dispossessed',
      'The Left Hand of Darkness',
    ])
    expect(b.next).toBeNull()
    expect(await left(db.keyset(mixed, { perPage: 3, after: "'; DROP TABLE novels; --" }))).toMatchObject({
      _tag: 'InvalidQuery',
    })
    expect(
      await left(
        db.keyset(
          pipe(
            Q.from(novels),
            Q.orderBy((n) => n.price),
          ),
          { perPage: 1 },
        ),
      ),
    ).toMatchObject({ message: expect.stringContaining('nullable') })
  })

  it('streams in batches through a cursor, fetching only on demand', async () => {
    const q = pipe(
      Q.from(novels),
      Q.orderBy((n) => n.id),
    )
    const { value: batches, sql } = await statements(async () => {
      const out: number[][] = []
      for await (const batch of db.stream(q, { batchSize: 2 })) {
        if (E.isLeft(batch)) throw new Error(batch.left.message)
        out.push(batch.right.map((n) => n.id))
      }
      return out
    })
    expect(batches).toEqual([[1, 2], [3, 4], [5]])
    expect(sql.filter((s) => s.startsWith('FETCH'))).toHaveLength(3)
    expect(sql.some((s) => s.startsWith('DECLARE'))).toBe(true)
    // breaking out early fetches nothing more and closes the cursor
    const { sql: early } = await statements(async () => {
      for await (const batch of db.stream(q, { batchSize: 2 })) {
        expect(E.isRight(batch)).toBe(true)
        break
      }
    })
    expect(early.filter((s) => s.startsWith('FETCH'))).toHaveLength(1)
    expect(await right(db.count(novels))).toBe(5) // the database is usable again
    const bad: unknown[] = []
    for await (const b of db.stream(q, { batchSize: 0 })) bad.push(b)
    expect(bad).toMatchObject([{ _tag: 'Left', left: { _tag: 'InvalidQuery' } }])
  })

  it('bulk writes return rows, do not cascade, and fail with the statement', async () => {
    const made = await right(
      db.insertMany(novels, [
        { title: 'Temp A', pages: 1 },
        { title: 'Temp B', pages: 2, writerId: 3 },
      ]),
    )
    expect(made.map((n) => [n.title, n.writerId])).toEqual([
      ['Temp A', null],
      ['Temp B', 3],
    ])
    const bumped = await right(db.updateWhere(novels, (n) => Q.like(n.title, 'Temp%'), { pages: 99 }))
    expect(bumped.map((n) => n.pages)).toEqual([99, 99])
    expect(
      await left(db.updateWhere(novels, (n) => Q.eq(n.id, 1), { title: 'x'.repeat(121) })),
    ).toMatchObject({
      _tag: 'DecodeError',
    })
    const gone = await right(db.deleteWhere(novels, (n) => Q.eq(n.pages, 99)))
    expect(gone).toHaveLength(2)
    // no cascade: Dune has reviews, so the database's foreign key refuses
    const refused = await left(db.deleteWhere(novels, (n) => Q.eq(n.title, 'Dune')))
    expect(refused).toMatchObject({
      _tag: 'ConstraintViolation',
      kind: 'foreign_key',
      statement: expect.stringContaining('DELETE FROM "novels"'),
    })
    const dup = await left(db.insertMany(tags, [{ label: 'new' }, { label: 'fantasy' }]))
    expect(dup).toMatchObject({
      _tag: 'ConstraintViolation',
      kind: 'unique',
      statement: expect.stringContaining('INSERT'),
    })
    expect(await right(db.count(tags))).toBe(2) // the whole insert rolled back
  })

  it('logs each statement with parameters and duration, and errors carry the statement', async () => {
    const { sql } = await statements(() => right(db.get(novels, 1)))
    expect(sql).toEqual([
      'SELECT "novels"."id", "novels"."title", "novels"."pages", "novels"."price", "novels"."writer_id" FROM "novels" WHERE "novels"."id" = $1::int4',
    ])
    expect(log[0]).toMatchObject({ params: [1], rowCount: 1, error: undefined })
    expect(log[0]!.durationMs).toBeGreaterThanOrEqual(0)
    log.length = 0
    const e = await left(
      db.all(
        pipe(
          Q.from(novels),
          Q.where(() => Q.sql<boolean>`1 / 0 = 1`),
        ),
      ),
    )
    expect(e).toMatchObject({
      _tag: 'DriverError',
      code: '22012',
      statement: expect.stringContaining('1 / 0'),
    })
    expect(log[0]).toMatchObject({ error: { code: '22012' }, rowCount: undefined })
  })
})
