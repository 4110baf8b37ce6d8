import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { compileSelect } from '../../../lib/dialects/postgres/compile-query.js'
import * as Q from '../../../lib/namespaces/query.js'
import { authors, books, posts, users } from '../../fixtures/bookstore.js'

const sql = (q: Q.Select) => {
  const c = compileSelect(q)
  if (E.isLeft(c)) throw new Error(c.left.message)
  return c.right
}
const invalid = (q: Q.Select) => {
  const c = compileSelect(q)
  if (E.isRight(c)) throw new Error(`expected an invalid query, got ${c.right.text}`)
  return c.left
}

describe('compileSelect', () => {
  it('selects every column of a table, qualified and quoted', () => {
    expect(sql(Q.from(authors))).toEqual({
      text: 'SELECT "authors"."id", "authors"."name" FROM "authors"',
      params: [],
    })
  })

  it('binds every value as a typed parameter', () => {
    const q = pipe(
      Q.from(posts),
      Q.where((p) => Q.and(Q.eq(p.userId, 1), Q.like(p.title, 'Blog%'))),
      Q.orderBy((p) => Q.desc(p.datePosted)),
      Q.limit(10),
    )
    expect(sql(q)).toEqual({
      text: 'SELECT "posts"."id", "posts"."title", "posts"."date_posted", "posts"."content", "posts"."user_id" FROM "posts" WHERE ("posts"."user_id" = $1::int4 AND "posts"."title" LIKE $2::text) ORDER BY "posts"."date_posted" DESC LIMIT $3::int8',
      params: [1, 'Blog%', 10],
    })
  })

  it('renders every operator', () => {
    const at = new Date('2024-01-01T00:00:00Z')
    const q = pipe(
      Q.from(posts),
      Q.where((p) =>
        Q.or(
          Q.ne(p.id, 1),
          Q.lt(p.id, 2),
          Q.lte(p.id, 3),
          Q.gt(p.datePosted, at),
          Q.gte(p.id, 5),
          Q.ilike(p.title, '%x%'),
          Q.not(Q.isNull(p.title)),
          Q.isNotNull(p.content),
          Q.inArray(p.id, [1, 2]),
          Q.notInArray(p.id, []),
        ),
      ),
    )
    const c = sql(q)
    expect(c.text.split(' WHERE ')[1]).toBe(
      '("posts"."id" <> $1::int4 OR "posts"."id" < $2::int4 OR "posts"."id" <= $3::int4 OR "posts"."date_posted" > $4::timestamptz OR "posts"."id" >= $5::int4 OR "posts"."title" ILIKE $6::text OR NOT ("posts"."title" IS NULL) OR "posts"."content" IS NOT NULL OR "posts"."id" = ANY($7::int4[]) OR NOT ("posts"."id" = ANY($8::int4[])))',
    )
    expect(c.params).toEqual([1, 2, 3, '2024-01-01T00:00:00.000Z', 5, '%x%', [1, 2], []])
  })

  it('renders empty AND/OR as TRUE/FALSE and orders with NULLS placement', () => {
    const q = pipe(
      Q.from(books),
      Q.where(() => Q.or()),
      Q.where(() => Q.and()),
      Q.orderBy((b) => [Q.asc(b.authorId, 'first'), b.id]),
      Q.offset(20),
    )
    expect(sql(q).text).toBe(
      'SELECT "books"."id", "books"."title", "books"."author_id" FROM "books" WHERE (FALSE AND TRUE) ORDER BY "books"."author_id" ASC NULLS FIRST, "books"."id" ASC OFFSET $1::int8',
    )
  })

  it('keeps the original query when extended (queries are values)', () => {
    const base = Q.from(books)
    const narrowed = pipe(
      base,
      Q.where((b) => Q.eq(b.id, 1)),
    )
    expect(base.where).toEqual([])
    expect(narrowed.where).toHaveLength(1)
    expect(Object.isFrozen(narrowed)).toBe(true)
  })

  it('compiles filterBy to equalities, IS NULL for null', () => {
    expect(sql(Q.filterBy(users, { username: 'Corey' }))).toMatchObject({
      text: 'SELECT "users"."id", "users"."username", "users"."email", "users"."image_file", "users"."password" FROM "users" WHERE "users"."username" = $1::text',
      params: ['Corey'],
    })
    expect(sql(Q.filterBy(books, { authorId: null })).text).toContain('WHERE "books"."author_id" IS NULL')
  })

  it('refuses unknown filterBy keys, comparisons with null and bad limits, naming the problem', () => {
    const hostile = 'title"; DROP TABLE books; --'
    expect(invalid(Q.filterBy(books, { [hostile]: 1 } as never)).message).toContain('has no field')
    expect(invalid(Q.filterBy(books, { constructor: 1 } as never)).message).toContain('has no field')
    expect(
      invalid(
        pipe(
          Q.from(books),
          Q.where((b) => Q.eq(b.authorId, null as never)),
        ),
      ).message,
    ).toContain('isNull')
    expect(invalid(pipe(Q.from(books), Q.limit(-1))).message).toContain('limit')
    expect(invalid(pipe(Q.from(books), Q.offset(1.5))).message).toContain('offset')
  })

  it('passes hostile strings only as parameters', () => {
    const hostile = "'; DROP TABLE books; -- \\ $1 \u2603"
    const c = sql(Q.filterBy(books, { title: hostile }))
    expect(c.text).not.toContain('DROP')
    expect(c.params).toEqual([hostile])
  })
})
