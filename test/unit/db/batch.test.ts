import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { batchable } from '../../../lib/db/batch.js'
import { compileSelfChecked } from '../../../lib/dialects/postgres/compile-step.js'
import * as S from '../../../lib/namespaces/session.js'
import { authors, books, bookstore } from '../../fixtures/bookstore.js'
import { library, authors as libraryAuthors } from '../../fixtures/library.js'
import { planOf } from '../../support/results.js'

describe('plans sent as one batch', () => {
  it('batches plans whose statements need no earlier result and checks named rows in SQL', () => {
    const p = planOf(
      pipe(S.empty(bookstore), S.update(books, 1, { title: 'a' }), S.update(books, 2, { title: 'b' })),
    )
    expect(batchable(p)).toBe(true)
    expect(compileSelfChecked(p.steps[0]!)).toEqual({
      text: 'WITH w AS (UPDATE "books" AS t SET "title" = u.c1 FROM unnest($1::int4[], $2::text[]) AS u(k1, c1) WHERE t."id" = u.k1 RETURNING 1) SELECT count(*) AS n, CASE WHEN count(*) = $3::int8 THEN 0 ELSE (\'origami: stale rows: \' || $3::int8 - count(*) || \' of \' || $3::int8 || \' named rows\')::int8 END AS stale FROM w',
      params: [[1, 2], ['a', 'b'], 2],
    })
  })

  it('counts a named delete by the rows it names, whatever else its cascade deletes', () => {
    const exact = planOf(pipe(S.empty(bookstore), S.delete(books, 4), S.delete(books, 9)))
    expect(batchable(exact)).toBe(true)
    // it deletes exactly the rows it names: every row it returns counts
    expect(compileSelfChecked(exact.steps[0]!)).toEqual({
      text: 'WITH w AS (DELETE FROM "books" AS t WHERE t."id" = ANY($1::int4[]) RETURNING t."id") SELECT count(*) AS n, CASE WHEN count(*) = $2::int8 THEN 0 ELSE (\'origami: stale rows: \' || $2::int8 - count(*) || \' of \' || $2::int8 || \' named rows\')::int8 END AS stale FROM w',
      params: [[4, 9], 2],
    })
    // book 9, and the books of author 2 (cascade 'all'): only book 9 is named
    const wider = planOf(pipe(S.empty(bookstore), S.delete(authors, 2), S.delete(books, 9)))
    expect(batchable(wider)).toBe(true)
    const c = compileSelfChecked(wider.steps[0]!)!
    expect(c.text).toBe(
      'WITH w AS (DELETE FROM "books" AS t WHERE (t."id" = ANY($1::int4[]) OR t."author_id" = ANY($2::int4[])) RETURNING t."id") SELECT count(*) AS n, CASE WHEN count(*) FILTER (WHERE w."id" = ANY($3::int4[])) = $4::int8 THEN 0 ELSE (\'origami: stale rows: \' || $4::int8 - count(*) FILTER (WHERE w."id" = ANY($3::int4[])) || \' of \' || $4::int8 || \' named rows\')::int8 END AS stale FROM w',
    )
    expect(c.params).toEqual([[9], [2], [9], 1])
  })

  it('leaves large checks to the step-by-step transaction, which counts rows on the client', () => {
    const many = (n: number) =>
      planOf(
        Array.from({ length: n }, (_, i) => i + 1).reduce(
          (s, id) => S.update(books, id, { title: `t${id}` })(s),
          S.empty(bookstore),
        ),
      )
    expect(batchable(many(1000))).toBe(true)
    expect(batchable(many(1001))).toBe(false)
  })

  it('leaves steps with nothing to check as they are, and does not batch plans that read', () => {
    const inserts = planOf(
      pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'a' }), S.add(S.ref(authors), { name: 'b' })),
    )
    expect(batchable(inserts)).toBe(true)
    expect(compileSelfChecked(inserts.steps[0]!)).toBeUndefined()
    // books need the keys the author insert generates
    const nested = planOf(
      pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'a', books: [{ title: 't' }] })),
    )
    expect(batchable(nested)).toBe(false)
    // the library's author delete reads the books it cascades to first
    const cascade = planOf(pipe(S.empty(library), S.delete(libraryAuthors, 1)))
    expect(cascade.steps.some((s) => s._tag === 'Collect' || s._tag === 'Guard')).toBe(true)
    expect(batchable(cascade)).toBe(false)
  })
})
