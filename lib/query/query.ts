/**
 * Query builders. A query is a frozen `Select` value; every builder is data-last and
 * returns a new value, so a query can be kept, reused and extended in `pipe` without
 * changing the original.
 *
 * @example
 * pipe(Q.from(posts), Q.where((p) => Q.eq(p.userId, 1)), Q.orderBy((p) => Q.desc(p.datePosted)), Q.limit(10))
 * @since 0.1.0
 */
import { encodeValue } from '../schema/codec.js'
import type { AnyTable, Row } from '../schema/table.js'
import type { Expr, OrderTerm, Select } from './ast.js'
import { type AnyColumnRef, type Condition, columnNode } from './expr.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A query over table `T` returning rows of type `R`. @category models */
export type Query<T extends AnyTable, R = Row<T>> = Select<T, R>

/** Anything a database read accepts: a query, or a table (meaning all its rows). @category models */
export type Source<T extends AnyTable = AnyTable, R = unknown> = Query<T, R> | T

/** The row type a source yields: the query's, or the table's `Row`. @category utility types */
export type ResultOf<Src> = Src extends Select<any, infer R> ? R : Src extends AnyTable ? Row<Src> : never

/** The table a source reads. @category utility types */
export type TableOf<Src> = Src extends Select<infer T, any> ? T : Src extends AnyTable ? Src : never

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * All rows of a table, as a query to refine.
 * Shape: `from(table)` → `Query<T, Row<T>>`.
 * @category constructors
 * @since 0.1.0
 */
export const from = <T extends AnyTable>(table: T): Query<T> =>
  Object.freeze({ _tag: 'Select', table, where: [], orderBy: [], limit: undefined, offset: undefined })

/** A query for a source: the query itself, or all rows of a table. @category constructors */
export const toQuery = <T extends AnyTable, R>(source: Source<T, R>): Query<T, R> =>
  (source as { _tag: string })._tag === 'Select'
    ? (source as Query<T, R>)
    : (from(source as T) as Query<T, R>)

/**
 * Rows whose fields equal the given values (the seeds' `filter_by`); a `null` value
 * matches NULL (`IS NULL`).
 * Shape: `filterBy(table, { field: value, … })` → `Query<T>`.
 * Errors: a key that is not a field of the table makes the query invalid; running it
 * returns a `QueryError` naming the key (no SQL is sent).
 * Source: SQLAlchemy `Query.filter_by`.
 * @category constructors
 * @since 0.1.0
 */
export const filterBy = <T extends AnyTable>(table: T, fields: Partial<Row<T>>): Query<T> => {
  const spec = table.$spec
  const terms: Expr[] = Object.entries(fields as Record<string, unknown>).map(([f, v]): Expr => {
    if (!Object.hasOwn(spec.columns, f)) {
      return { _tag: 'Invalid', message: `filterBy: ${spec.name} has no field ${JSON.stringify(f)}` }
    }
    const col = table[f] as AnyColumnRef
    return v === null
      ? { _tag: 'IsNull', negated: false, operand: columnNode(col) }
      : {
          _tag: 'Compare',
          op: '=',
          left: columnNode(col),
          right: { _tag: 'Param', value: encodeValue(col.def.spec, v), sqlType: col.def.spec.sqlType },
        }
  })
  return Object.freeze({ ...from(table), where: Object.freeze(terms.map((t) => Object.freeze(t))) })
}

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

/**
 * Adds a condition (several `where`s combine with AND).
 * Shape: `where((table) => condition)` → `(Query<T, R>) → Query<T, R>`.
 * @category combinators
 * @since 0.1.0
 */
export const where =
  <T extends AnyTable, R = Row<T>>(f: (table: T) => Condition) =>
  (q: Query<T, R>): Query<T, R> =>
    Object.freeze({ ...q, where: Object.freeze([...q.where, f(q.table).node]) })

/**
 * Appends sort terms: a column (ascending) or `asc`/`desc` terms, in priority order.
 * Shape: `orderBy((table) => term | term[])` → `(Query<T, R>) → Query<T, R>`.
 * @category combinators
 * @since 0.1.0
 */
export const orderBy =
  <T extends AnyTable, R = Row<T>>(
    f: (table: T) => OrderTerm | AnyColumnRef | ReadonlyArray<OrderTerm | AnyColumnRef>,
  ) =>
  (q: Query<T, R>): Query<T, R> => {
    const got = f(q.table)
    const list = (Array.isArray(got) ? got : [got]) as ReadonlyArray<OrderTerm | AnyColumnRef>
    const terms = list.map(
      (t): OrderTerm =>
        t._tag === 'OrderTerm'
          ? t
          : Object.freeze({ _tag: 'OrderTerm', expr: columnNode(t), direction: 'ASC', nulls: undefined }),
    )
    return Object.freeze({ ...q, orderBy: Object.freeze([...q.orderBy, ...terms]) })
  }

/**
 * At most `n` rows. Units: rows; `n` must be a non-negative integer (else the query is
 * invalid and running it returns a `QueryError`).
 * @category combinators
 * @since 0.1.0
 */
export const limit =
  (n: number) =>
  <T extends AnyTable, R>(q: Query<T, R>): Query<T, R> =>
    Object.freeze({ ...q, limit: n })

/**
 * Skips the first `n` rows. Units: rows (0 skips none).
 * @category combinators
 * @since 0.1.0
 */
export const offset =
  (n: number) =>
  <T extends AnyTable, R>(q: Query<T, R>): Query<T, R> =>
    Object.freeze({ ...q, offset: n })
