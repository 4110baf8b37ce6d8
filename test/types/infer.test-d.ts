import { pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, it } from 'vitest'
import type { Insert, Key, Patch, Row } from '../../lib/index.js'
import * as Q from '../../lib/namespaces/query.js'
import * as S from '../../lib/namespaces/session.js'
import { authors, books, bookstore, orderItems, posts, users } from '../fixtures/bookstore.js'

describe('inferred row types', () => {
  it('Row has every column, nullable ones with null', () => {
    expectTypeOf<Row<typeof books>>().toEqualTypeOf<{
      readonly id: number
      readonly title: string
      readonly authorId: number | null
    }>()
    expectTypeOf<Row<typeof posts>['datePosted']>().toEqualTypeOf<Date>()
  })

  it('Insert makes serial, defaulted and nullable columns optional', () => {
    expectTypeOf<Insert<typeof books>>().toEqualTypeOf<{
      readonly title: string
      readonly id?: number
      readonly authorId?: number | null
    }>()
    expectTypeOf<Insert<typeof users>>().toEqualTypeOf<{
      readonly username: string
      readonly email: string
      readonly password: string
      readonly id?: number
      readonly imageFile?: string
    }>()
  })

  it('Patch makes every non-key column optional', () => {
    expectTypeOf<Patch<typeof books>>().toEqualTypeOf<{
      readonly title?: string
      readonly authorId?: number | null
    }>()
  })

  it('Key is the key value, or an object for a composite key', () => {
    expectTypeOf<Key<typeof authors>>().toEqualTypeOf<number>()
    expectTypeOf<Key<typeof orderItems>>().toEqualTypeOf<{
      readonly orderId: number
      readonly itemId: number
    }>()
  })
})

describe('compile errors for wrong use', () => {
  it('rejects a missing required field and a wrong value type in add', () => {
    // @ts-expect-error title is required
    S.add(S.ref(books), { authorId: 1 })
    // @ts-expect-error title is a string
    S.add(S.ref(books), { title: 1 })
    S.add(S.ref(books), { title: 'ok', author: S.ref(authors) })
    // a NOT NULL foreign key may be left to a relationship, or given as a ref
    S.add(S.ref(posts), { title: 't', content: 'c', author: S.ref(users) })
    S.add(S.ref(posts), { title: 't', content: 'c', userId: S.ref(users) })
    // @ts-expect-error only a foreign key may hold a ref
    S.add(S.ref(posts), { title: S.ref(users), content: 'c', userId: 1 })
  })

  it('rejects a key of the wrong type and a patch of a key field type', () => {
    // @ts-expect-error a books key is a number
    S.update(books, 'one', { title: 'x' })
    // @ts-expect-error title is a string
    S.update(books, 1, { title: 2 })
    // @ts-expect-error a composite key needs both fields
    S.delete(orderItems, { orderId: 1 })
  })

  it('rejects a comparison of a string column with a number, and unknown columns', () => {
    pipe(
      Q.from(posts),
      // @ts-expect-error title is a string column
      Q.where((p) => Q.eq(p.title, 1)),
    )
    pipe(
      Q.from(posts),
      // @ts-expect-error no such column
      Q.where((p) => Q.eq(p.nope, 1)),
    )
    // @ts-expect-error no such field
    Q.filterBy(users, { nickname: 'x' })
    // @ts-expect-error like needs a string column
    Q.like(posts.userId, '1%')
  })

  it('types a query pipeline by its table', () => {
    const q = pipe(
      Q.from(posts),
      Q.where((p) => Q.eq(p.userId, 1)),
      Q.orderBy((p) => Q.desc(p.datePosted)),
      Q.limit(10),
    )
    expectTypeOf(q).toEqualTypeOf<Q.Query<typeof posts>>()
  })

  it('types read results by their source', () => {
    type Db = import('../../lib/db/connect.js').Db<typeof bookstore>
    type Result<F> = F extends import('fp-ts/lib/TaskEither.js').TaskEither<unknown, infer A> ? A : never
    expectTypeOf<Result<ReturnType<Db['all']>>>().toBeObject()
    const all = (null as unknown as Db).all
    expectTypeOf<Result<ReturnType<typeof all<typeof books>>>>().toEqualTypeOf<
      ReadonlyArray<Row<typeof books>>
    >()
    expectTypeOf<Result<ReturnType<typeof all<Q.Query<typeof posts>>>>>().toEqualTypeOf<
      ReadonlyArray<Row<typeof posts>>
    >()
  })

  it('keeps the schema type through session operations', () => {
    const s = pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'x' }))
    expectTypeOf(s).toEqualTypeOf<S.Session<typeof bookstore>>()
  })
})
