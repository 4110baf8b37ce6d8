/**
 * Reads: `all`, `first`, `get` and `count`, compiled by the dialect and hydrated to rows
 * keyed by field (with their includes loaded).
 *
 * `get` is the hot path of point lookups: its statement text is built once per table
 * and reused (the server prepares it once), and a call costs the key's encoding, one
 * statement and one row mapping — no query value is built per call.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { compileCount, compileSelect, invalidQuery } from '../dialects/postgres/compile-query.js'
import type { Executor } from '../drivers/driver.js'
import type { Expr } from '../query/ast.js'
import { from, type ResultOf, type Source, toQuery } from '../query/query.js'
import { encodeValue } from '../schema/codec.js'
import type { ColumnSpec } from '../schema/column.js'
import { type AnyTable, type Key, normaliseKey, type Row, type TableSpec } from '../schema/table.js'
import { fromDriverError, type QueryError } from './errors.js'
import { type Hydrate, hydrator } from './hydrate.js'
import { selectRows } from './load.js'

/**
 * Every row a query (or a table) yields, with its includes.
 * Shape: `all(executor)(source)` → `TaskEither<QueryError, ReadonlyArray<R>>`.
 * Errors: `InvalidQuery` before any SQL; `DriverError`/`ConstraintViolation` from the database.
 * Source: SQLAlchemy `Query.all`.
 * @category destructors
 * @since 0.1.0
 */
export const all =
  (ex: Executor) =>
  <Src extends Source>(source: Src): TE.TaskEither<QueryError, ReadonlyArray<ResultOf<Src>>> =>
  () =>
    selectRows(ex, toQuery(source)) as Promise<E.Either<QueryError, ReadonlyArray<ResultOf<Src>>>>

/**
 * The first row a query yields, or none (adds `LIMIT 1`, keeping a smaller limit).
 * Shape: `first(executor)(source)` → `TaskEither<QueryError, Option<R>>`.
 * Source: SQLAlchemy `Query.first`.
 * @category destructors
 * @since 0.1.0
 */
export const first =
  (ex: Executor) =>
  <Src extends Source>(source: Src): TE.TaskEither<QueryError, O.Option<ResultOf<Src>>> =>
  async () => {
    const q = toQuery(source)
    const r = await selectRows(ex, { ...q, limit: q.limit === undefined ? 1 : Math.min(q.limit, 1) })
    return E.isLeft(r) ? r : E.right(O.fromNullable(r.right[0] as ResultOf<Src> | undefined))
  }

/**
 * The number of rows a query (or table) yields: `SELECT count(*) FROM (query)`.
 * Shape: `count(executor)(source)` → `TaskEither<QueryError, number>`. Units: rows.
 * Errors: as `all`.
 * Source: SQLAlchemy `Query.count`.
 * @category destructors
 * @since 0.1.0
 */
export const count =
  (ex: Executor) =>
  (source: Source): TE.TaskEither<QueryError, number> =>
  async () => {
    const c = compileCount(toQuery(source))
    if (E.isLeft(c)) return c
    const r = await ex.query(c.right.text, c.right.params)()
    if (E.isLeft(r)) return E.left(fromDriverError(r.left, undefined) as QueryError)
    return E.right(Number(r.right.rows[0]?.count ?? 0))
  }

/** The statement of `get` for one table, built once. */
interface GetPlan {
  readonly text: string
  readonly key: ReadonlyArray<{ readonly field: string; readonly spec: ColumnSpec }>
  readonly hydrate: Hydrate
}

const plans = new WeakMap<TableSpec, GetPlan | QueryError>()

const planOf = (table: AnyTable): GetPlan | QueryError => {
  const spec = table.$spec
  const hit = plans.get(spec)
  if (hit !== undefined) return hit
  let plan: GetPlan | QueryError
  if (spec.primaryKey.length === 0) plan = invalidQuery(`get: ${spec.name} has no primary key`)
  else {
    const where: Expr[] = spec.primaryKey.map((f) => ({
      _tag: 'Compare',
      op: '=',
      left: {
        _tag: 'Column',
        table: spec.name,
        field: f,
        column: spec.columnNames[f]!,
        sqlType: spec.columns[f]!.sqlType,
      },
      right: { _tag: 'Param', value: null, sqlType: spec.columns[f]!.sqlType },
    }))
    const q = { ...from(table), where }
    const c = compileSelect(q)
    plan = E.isLeft(c)
      ? c.left
      : {
          text: c.right.text,
          key: spec.primaryKey.map((f) => ({ field: f, spec: spec.columns[f]! })),
          hydrate: hydrator(q),
        }
  }
  plans.set(spec, plan)
  return plan
}

const keyParams = (plan: GetPlan, spec: TableSpec, key: unknown): unknown[] | QueryError => {
  if (plan.key.length === 1 && (typeof key !== 'object' || key === null)) {
    if (key === null || key === undefined)
      return invalidQuery(`get: key field ${spec.name}.${plan.key[0]!.field} is null`)
    return [encodeValue(plan.key[0]!.spec, key)]
  }
  const k = normaliseKey(spec, key)
  if (k === undefined)
    return invalidQuery(`get: expected a key of ${spec.name} (${spec.primaryKey.join(', ')})`)
  const out: unknown[] = []
  for (const { field, spec: c } of plan.key) {
    const v = k[field]
    if (v === null || v === undefined) return invalidQuery(`get: key field ${spec.name}.${field} is null`)
    out.push(encodeValue(c, v))
  }
  return out
}

/**
 * The row with a primary key, or none.
 * Shape: `get(executor)(table, key)` → `TaskEither<QueryError, Option<Row<T>>>`; `key` is
 * the key's value, or an object of key fields for a composite key.
 * Errors: `InvalidQuery` when the table has no primary key or the key does not fit it
 * (no SQL is sent); `DriverError` from the database.
 * Source: SQLAlchemy `Session.get`.
 * @category destructors
 * @since 0.1.0
 */
export const get =
  (ex: Executor) =>
  <T extends AnyTable>(table: T, key: Key<T>): TE.TaskEither<QueryError, O.Option<Row<T>>> =>
  async () => {
    const plan = planOf(table)
    if ('_tag' in plan) return E.left(plan)
    const params = keyParams(plan, table.$spec, key)
    if (!Array.isArray(params)) return E.left(params)
    const r = await ex.query(plan.text, params)()
    if (E.isLeft(r)) return E.left(fromDriverError(r.left, undefined) as QueryError)
    const row = r.right.rows[0]
    return E.right(row === undefined ? O.none : O.some(Object.freeze(plan.hydrate(row)) as Row<T>))
  }
