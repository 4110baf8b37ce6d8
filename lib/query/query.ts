/**
 * Query builders. A query is a frozen `Select` value; every builder is data-last and
 * returns a new value, so a query can be kept, reused and extended in `pipe` without
 * changing the original.
 *
 * Callbacks receive the base table first and the joined tables (by SQL name) second:
 * `Q.where((b, { authors }) => Q.eq(authors.name, 'King'))`.
 *
 * @example
 * pipe(Q.from(posts), Q.where((p) => Q.eq(p.userId, 1)), Q.orderBy((p) => Q.desc(p.datePosted)), Q.limit(10))
 * @since 0.1.0
 */
import type { AnySchema } from '../schema/schema.js'
import type { AnyTable, Row } from '../schema/table.js'
import type { Expr, OrderTerm, Select, SelectItem, TypedExpr } from './ast.js'
import {
  type AnyColumnRef,
  type Condition,
  columnNode,
  isOperand,
  nodeOf,
  type Operand,
  paramLike,
  type ResultValue,
} from './operand.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The schema context of a query started with `from(schema, key)`: phantom only, it lets
 * `include` check relationship names and type the loaded rows.
 * @category models
 */
export interface In<S extends AnySchema, K extends string> {
  readonly schema: S
  readonly key: K
}

/**
 * A query over table `T` returning rows of type `R`, with joined tables `J` (by SQL
 * name) and schema context `C` (`In<S, K>`, or `undefined` for `from(table)`).
 * @category models
 */
export type Query<T extends AnyTable, R = Row<T>, J = {}, C = undefined> = Select<T, R, J, C>

/** Anything a database read accepts: a query, or a table (meaning all its rows). @category models */
export type Source<T extends AnyTable = AnyTable, R = unknown> = Select<T, R, any, any> | T

/** The row type a source yields: the query's, or the table's `Row`. @category utility types */
export type ResultOf<Src> =
  Src extends Select<any, infer R, any, any> ? R : Src extends AnyTable ? Row<Src> : never

/** The table a source reads. @category utility types */
export type TableOf<Src> = Src extends Select<infer T, any, any, any> ? T : Src extends AnyTable ? Src : never

/** What `select` takes per output key: a column or a typed expression. @category models */
export type Selectable = AnyColumnRef | TypedExpr<any>

/** The row type of a selection. @category utility types */
export type Selected<Sel> = { readonly [K in keyof Sel]: ResultValue<Sel[K]> }

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const base = <T extends AnyTable>(table: T, context: Select['context']): Select<T, any, any, any> =>
  Object.freeze({
    _tag: 'Select',
    table,
    joins: [],
    selection: undefined,
    distinct: false,
    where: [],
    groupBy: [],
    having: [],
    orderBy: [],
    limit: undefined,
    offset: undefined,
    includes: [],
    context,
  })

/**
 * All rows of a table, as a query to refine. Start from the schema (`from(schema, key)`)
 * to `include` relationships: the schema value carries them, typed, so a misspelt
 * relationship is a compile error.
 * Shape: `from(table)` → `Query<T>`; `from(schema, 'authors')` → `Query<T, Row<T>, {}, In<S, 'authors'>>`.
 * Errors: none (an unknown key is a compile error).
 * Source: SQLAlchemy `session.query(Model)`; Ecto `from`.
 * @category constructors
 * @since 0.1.0
 */
export function from<T extends AnyTable>(table: T): Query<T>
export function from<S extends AnySchema, K extends keyof S['tables'] & string>(
  schema: S,
  key: K,
): Query<S['tables'][K], Row<S['tables'][K]>, {}, In<S, K>>
export function from(source: AnyTable | AnySchema, key?: string): Select<AnyTable, any, any, any> {
  if (source._tag === 'Schema') {
    const s = source as AnySchema
    return base(s.tables[key!]!, Object.freeze({ schema: s, key: key! }))
  }
  return base(source as AnyTable, undefined)
}

/** A query for a source: the query itself, or all rows of a table. @category constructors */
export const toQuery = <Src extends Source>(source: Src): Select<TableOf<Src>, ResultOf<Src>, any, any> =>
  ((source as { _tag: string })._tag === 'Select' ? source : base(source as AnyTable, undefined)) as Select<
    TableOf<Src>,
    ResultOf<Src>,
    any,
    any
  >

/**
 * Rows whose fields equal the given values (the seeds' `filter_by`); a `null` value
 * matches NULL (`IS NULL`).
 * Shape: `filterBy(table, { field: value, … })` → `Query<T>`.
 * Errors: a key that is not a field of the table makes the query invalid; running it
 * returns an `InvalidQuery` naming the key (no SQL is sent).
 * Source: SQLAlchemy `Query.filter_by`.
 * @category constructors
 * @since 0.1.0
 */
export const filterBy = <T extends AnyTable>(table: T, fields: Partial<Row<T>>): Query<T> => {
  const spec = table.$spec
  const terms = Object.entries(fields as Record<string, unknown>).map(([f, v]): Expr => {
    if (!Object.hasOwn(spec.columns, f)) {
      return { _tag: 'Invalid', message: `filterBy: ${spec.name} has no field ${JSON.stringify(f)}` }
    }
    const col = table[f] as AnyColumnRef
    return v === null
      ? { _tag: 'IsNull', negated: false, operand: columnNode(col) }
      : { _tag: 'Compare', op: '=', left: columnNode(col), right: paramLike(col, v) }
  })
  return Object.freeze({
    ...base(table, undefined),
    where: Object.freeze(terms.map((t) => Object.freeze(t))),
  })
}

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

/** The joined tables by SQL name, as callbacks receive them. */
const scope = (q: Select<AnyTable, any, any, any>): any => {
  const out: Record<string, AnyTable> = {}
  for (const j of q.joins) out[j.table.$name] = j.table
  return out
}

/**
 * Adds a condition (several `where`s combine with AND).
 * Shape: `where((table, joined) => condition)` → `(Query<T, R, J, C>) → Query<T, R, J, C>`.
 * @category combinators
 * @since 0.1.0
 */
export const where =
  <T extends AnyTable, R = Row<T>, J = {}, C = undefined>(f: (table: T, joined: J) => Condition) =>
  (q: Query<T, R, J, C>): Query<T, R, J, C> =>
    Object.freeze({ ...q, where: Object.freeze([...q.where, f(q.table, scope(q)).node]) })

const toOrder = (t: OrderTerm | Operand): OrderTerm =>
  t._tag === 'OrderTerm'
    ? t
    : Object.freeze({ _tag: 'OrderTerm', expr: nodeOf(t), direction: 'ASC', nulls: undefined })

/**
 * Appends sort terms: columns or expressions (ascending) or `asc`/`desc` terms, in
 * priority order.
 * Shape: `orderBy((table, joined) => term | term[])` → `(Query) → Query`.
 * @category combinators
 * @since 0.1.0
 */
export const orderBy =
  <T extends AnyTable, R = Row<T>, J = {}, C = undefined>(
    f: (table: T, joined: J) => OrderTerm | Operand | ReadonlyArray<OrderTerm | Operand>,
  ) =>
  (q: Query<T, R, J, C>): Query<T, R, J, C> => {
    const got = f(q.table, scope(q))
    const list = (Array.isArray(got) ? got : [got]) as ReadonlyArray<OrderTerm | Operand>
    return Object.freeze({ ...q, orderBy: Object.freeze([...q.orderBy, ...list.map(toOrder)]) })
  }

/**
 * At most `n` rows. Units: rows; `n` must be a non-negative integer (else the query is
 * invalid and running it returns an `InvalidQuery`).
 * @category combinators
 * @since 0.1.0
 */
export const limit =
  (n: number) =>
  <Q extends Select<AnyTable, any, any, any>>(q: Q): Q =>
    Object.freeze({ ...q, limit: n })

/**
 * Skips the first `n` rows. Units: rows (0 skips none); a non-negative integer.
 * @category combinators
 * @since 0.1.0
 */
export const offset =
  (n: number) =>
  <Q extends Select<AnyTable, any, any, any>>(q: Q): Q =>
    Object.freeze({ ...q, offset: n })

/**
 * `SELECT DISTINCT`: drops duplicate rows.
 * @category combinators
 * @since 0.1.0
 */
export const distinct =
  () =>
  <Q extends Select<AnyTable, any, any, any>>(q: Q): Q =>
    Object.freeze({ ...q, distinct: true })

/**
 * Chooses the output columns; the row type narrows to them. Keys become the output
 * column names (`expr AS "key"`), so they must be non-empty and at most 63 bytes
 * (PostgreSQL's identifier limit) — else the query is invalid when it runs.
 * Shape: `select((table, joined) => ({ key: column | expression, … }))` → `(Query<T, any, J, C>) → Query<T, { key: value }, J, C>`.
 * Source: SQLAlchemy `with_entities`, Drizzle `select({ … })`.
 * @example
 * Q.select((b, { authors }) => ({ title: b.title, author: authors.name }))
 * @category combinators
 * @since 0.1.0
 */
export const select =
  <T extends AnyTable, J, C, Sel extends Readonly<Record<string, Selectable>>>(
    f: (table: T, joined: J) => Sel,
  ) =>
  (q: Query<T, any, J, C>): Query<T, Selected<Sel>, J, C> => {
    const sel = f(q.table, scope(q))
    const items: SelectItem[] = Object.entries(sel).map(([key, v]) =>
      Object.freeze({
        key,
        expr: isOperand(v)
          ? nodeOf(v)
          : ({
              _tag: 'Invalid',
              message: `select: ${JSON.stringify(key)} is not a column or expression`,
            } as const),
      }),
    )
    return Object.freeze({ ...q, selection: Object.freeze(items) }) as Query<T, Selected<Sel>, J, C>
  }

/**
 * `GROUP BY` columns or expressions; combine with aggregates in `select` and `having`.
 * Shape: `groupBy((table, joined) => operand | operand[])` → `(Query) → Query`.
 * Source: PostgreSQL "The GROUP BY and HAVING Clauses".
 * @category combinators
 * @since 0.1.0
 */
export const groupBy =
  <T extends AnyTable, R = Row<T>, J = {}, C = undefined>(
    f: (table: T, joined: J) => Operand | ReadonlyArray<Operand>,
  ) =>
  (q: Query<T, R, J, C>): Query<T, R, J, C> => {
    const got = f(q.table, scope(q))
    const list = (Array.isArray(got) ? got : [got]) as ReadonlyArray<Operand>
    return Object.freeze({ ...q, groupBy: Object.freeze([...q.groupBy, ...list.map(nodeOf)]) })
  }

/**
 * A condition on groups (several combine with AND), typically over aggregates:
 * `having(() => Q.gt(Q.count(), 5))`.
 * @category combinators
 * @since 0.1.0
 */
export const having =
  <T extends AnyTable, R = Row<T>, J = {}, C = undefined>(f: (table: T, joined: J) => Condition) =>
  (q: Query<T, R, J, C>): Query<T, R, J, C> =>
    Object.freeze({ ...q, having: Object.freeze([...q.having, f(q.table, scope(q)).node]) })
