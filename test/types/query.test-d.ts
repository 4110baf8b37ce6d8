import { pipe } from 'fp-ts/lib/function.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expectTypeOf, it } from 'vitest'
import type { Db } from '../../lib/db/connect.js'
import type { Page } from '../../lib/db/paginate.js'
import type { Row } from '../../lib/index.js'
import * as Q from '../../lib/namespaces/query.js'
import { library, novels, reviews, writers } from '../unit/query/schema.js'

type Result<F> = F extends TE.TaskEither<unknown, infer A> ? A : never
type RowsOf<Q> = Q extends Q.Select<any, infer R, any, any> ? R : never
declare const db: Db<typeof library>

describe('select narrows the row type', () => {
  it('to the chosen columns and expressions', () => {
    const q = pipe(
      Q.from(novels),
      Q.select((n) => ({
        title: n.title,
        writer: n.writerId,
        n: Q.count(),
        pages: Q.sum(n.pages),
        price: Q.sum(n.price),
      })),
    )
    expectTypeOf<RowsOf<typeof q>>().toEqualTypeOf<{
      readonly title: string
      readonly writer: number | null
      readonly n: number
      readonly pages: number | null
      readonly price: string | null
    }>()
    expectTypeOf<Result<ReturnType<typeof db.all<typeof q>>>>().toEqualTypeOf<
      ReadonlyArray<RowsOf<typeof q>>
    >()
  })

  it('makes reading an unselected column a compile error', () => {
    const q = pipe(
      Q.from(novels),
      Q.select((n) => ({ title: n.title })),
    )
    const row = null as unknown as RowsOf<typeof q>
    // @ts-expect-error pages was not selected
    row.pages
  })
})

describe('joins type their rows', () => {
  it('inner join: one row per table; left join: null when unmatched', () => {
    const q = pipe(
      Q.from(novels),
      Q.innerJoin(writers, (n, w) => Q.eq(n.writerId, w.id)),
      Q.leftJoin(reviews, (n, r) => Q.eq(r.novelId, n.id)),
    )
    expectTypeOf<RowsOf<typeof q>>().toEqualTypeOf<{
      readonly novels: Row<typeof novels>
      readonly writers: Row<typeof writers>
      readonly reviews: Row<typeof reviews> | null
    }>()
  })

  it('select after a left join sees its columns as nullable', () => {
    const q = pipe(
      Q.from(writers),
      Q.leftJoin(novels, (w, n) => Q.eq(n.writerId, w.id)),
      Q.select((w, { novels }) => ({ name: w.name, title: novels.title })),
    )
    expectTypeOf<RowsOf<typeof q>>().toEqualTypeOf<{ readonly name: string; readonly title: string | null }>()
  })
})

describe('includes type their loaded rows by relationship kind', () => {
  it('hasMany and manyToMany as lists, belongsTo and hasOne as a row or null, nested', () => {
    const q = pipe(
      Q.from(library, 'writers'),
      Q.include('novels', (n) => pipe(n, Q.include('reviews'), Q.include('tags'))),
      Q.include('profile'),
    )
    type R = RowsOf<typeof q>
    expectTypeOf<R['profile']>().toEqualTypeOf<Row<typeof library.tables.profiles> | null>()
    expectTypeOf<R['novels'][number]['reviews']>().toEqualTypeOf<ReadonlyArray<Row<typeof reviews>>>()
    expectTypeOf<R['novels'][number]['tags']>().toEqualTypeOf<
      ReadonlyArray<Row<typeof library.tables.tags>>
    >()
    expectTypeOf<R['name']>().toEqualTypeOf<string>()
    const back = pipe(Q.from(library, 'novels'), Q.include('writer'))
    expectTypeOf<RowsOf<typeof back>['writer']>().toEqualTypeOf<Row<typeof writers> | null>()
  })

  it('types a refined include by its select', () => {
    const q = pipe(
      Q.from(library, 'writers'),
      Q.include('novels', (n) =>
        pipe(
          n,
          Q.select((x) => ({ id: x.id, title: x.title })),
        ),
      ),
    )
    expectTypeOf<RowsOf<typeof q>['novels']>().toEqualTypeOf<
      ReadonlyArray<{ readonly id: number; readonly title: string }>
    >()
  })

  it('makes an unknown relationship, or an include without schema, a compile error', () => {
    pipe(
      Q.from(library, 'writers'),
      // @ts-expect-error writers has no relationship "novel"
      Q.include('novel'),
    )
    pipe(
      Q.from(library, 'novels'),
      // @ts-expect-error reviews belongs to novels, not to writers: nested names are checked too
      Q.include('reviews', (r) => pipe(r, Q.include('novels'))),
    )
    pipe(
      Q.from(writers),
      // @ts-expect-error a query started from a table knows no relationships
      Q.include('novels'),
    )
  })
})

describe('expressions are type-checked', () => {
  it('rejects wrong columns and mismatched comparisons', () => {
    pipe(
      Q.from(novels),
      // @ts-expect-error pages is a number column
      Q.where((n) => Q.eq(n.pages, '12')),
    )
    pipe(
      Q.from(novels),
      // @ts-expect-error a string column compared with a number column
      Q.where((n) => Q.eq(n.title, n.pages)),
    )
    pipe(
      Q.from(novels),
      // @ts-expect-error no such column
      Q.where((n) => Q.gt(n.page, 1)),
    )
    // @ts-expect-error like needs a string operand
    Q.like(novels.pages, '1%')
    // @ts-expect-error arithmetic on a string column
    Q.add(novels.title, 1)
    // @ts-expect-error inArray takes values of the column's type
    Q.inArray(novels.id, ['1'])
    const names = pipe(
      Q.from(writers),
      Q.select((w) => ({ n: w.name })),
    )
    // @ts-expect-error the sub-query must yield the operand's type
    Q.inQuery(novels.id, names)
  })

  it('types db reads, counts and pages', () => {
    expectTypeOf<Result<ReturnType<typeof db.count>>>().toEqualTypeOf<number>()
    expectTypeOf<Result<ReturnType<typeof db.paginate<typeof novels>>>>().toEqualTypeOf<
      Page<Row<typeof novels>>
    >()
    expectTypeOf(Q.coalesce(novels.writerId, 0)).toEqualTypeOf<Q.TypedExpr<number>>()
    expectTypeOf(Q.coalesce(novels.writerId, writers.id)).toEqualTypeOf<Q.TypedExpr<number | null>>()
  })
})
