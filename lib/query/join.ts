/**
 * Joins: `innerJoin` and `leftJoin`. Without a `select`, a joined query returns one
 * object per table, keyed by SQL table name — `{ books: Row<books>, authors: Row<authors> }`
 * — the left-joined ones `null` when nothing matched. Callbacks see a left-joined table
 * with every column nullable, so a `select` of its columns is typed `… | null`.
 *
 * @since 0.1.0
 */
import type { Column, ColumnRef } from '../schema/column.js'
import type { AnyTable, Row } from '../schema/table.js'
import type { Select } from './ast.js'
import type { Condition } from './operand.js'
import type { Query } from './query.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A table as a left join shows it: every column nullable. Phantom brands (`$nullable`,
 * `$nullableOf`) never exist at run time; the value is the table itself.
 * @category models
 */
export type NullableTable<U extends AnyTable> = {
  readonly [K in keyof U]: U[K] extends ColumnRef<
    infer N,
    infer F,
    Column<infer V, any, infer D, infer P, infer FK>
  >
    ? ColumnRef<N, F, Column<V, true, D, P, FK>>
    : U[K]
} & { readonly $nullable: true; readonly $nullableOf: U }

type Simplify<A> = { [K in keyof A]: A[K] } & {}

/** The row of a joined query without `select`: one entry per table, by SQL name. @category utility types */
export type JoinedRow<T extends AnyTable, J> = Simplify<
  { readonly [K in T['$name']]: Row<T> } & {
    readonly [K in keyof J]: J[K] extends {
      readonly $nullable: true
      readonly $nullableOf: infer U extends AnyTable
    }
      ? Row<U> | null
      : J[K] extends AnyTable
        ? Row<J[K]>
        : never
  }
>

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

const join =
  (kind: 'INNER' | 'LEFT') =>
  (table: AnyTable, on: (t: any, u: any, j: any) => Condition) =>
  (q: Select<AnyTable, any, any, any>): any => {
    const scope: Record<string, AnyTable> = {}
    for (const j of q.joins) scope[j.table.$name] = j.table
    const node = on(q.table, table, scope).node
    return Object.freeze({
      ...q,
      selection: undefined,
      joins: Object.freeze([...q.joins, Object.freeze({ _tag: 'Join', kind, table, on: node })]),
    })
  }

/**
 * `INNER JOIN table ON condition`: rows of both tables that match.
 * Shape: `innerJoin(table, (base, joined, others) => condition)` →
 * `(Query<T, any, J, C>) → Query<T, JoinedRow<T, J & { [name]: U }>, J & { [name]: U }, C>`.
 * A `select` made before the join is dropped: select after joining.
 * Errors: joining one table twice is an `InvalidQuery` when the query runs (aliases are
 * not supported yet).
 * Source: PostgreSQL "Joined Tables".
 * @example
 * pipe(Q.from(books), Q.innerJoin(authors, (b, a) => Q.eq(b.authorId, a.id)))
 * @category combinators
 * @since 0.1.0
 */
export const innerJoin = join('INNER') as <U extends AnyTable, T extends AnyTable, J, C>(
  table: U,
  on: (base: T, joined: U, others: J) => Condition,
) => (
  q: Query<T, any, J, C>,
) => Query<T, JoinedRow<T, J & { readonly [K in U['$name']]: U }>, J & { readonly [K in U['$name']]: U }, C>

/**
 * `LEFT JOIN table ON condition`: every row of the query, with the joined table's row or
 * `null`. Shape as `innerJoin`, the joined table seen as `NullableTable<U>`.
 * Source: PostgreSQL "Joined Tables".
 * @category combinators
 * @since 0.1.0
 */
export const leftJoin = join('LEFT') as <U extends AnyTable, T extends AnyTable, J, C>(
  table: U,
  on: (base: T, joined: NullableTable<U>, others: J) => Condition,
) => (
  q: Query<T, any, J, C>,
) => Query<
  T,
  JoinedRow<T, J & { readonly [K in U['$name']]: NullableTable<U> }>,
  J & { readonly [K in U['$name']]: NullableTable<U> },
  C
>
