/**
 * Running a select with its includes: the main statement, then one statement per
 * included relationship per level, each for all parent rows at once (`= ANY($1)`);
 * includes of the same level run concurrently. Never one statement per row.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { compileInclude, parentColumn } from '../dialects/postgres/compile-load.js'
import { compileSelect, invalidQuery } from '../dialects/postgres/compile-query.js'
import type { Executor } from '../drivers/driver.js'
import type { AnySelect, Include } from '../query/ast.js'
import { shapeOf } from '../query/shape.js'
import { encodeValue } from '../schema/codec.js'
import type { AnySchema } from '../schema/schema.js'
import { fromDriverError, type QueryError } from './errors.js'
import { hydrator } from './hydrate.js'

type MutableRow = Record<string, unknown>

const run = async (
  ex: Executor,
  text: string,
  params: ReadonlyArray<unknown>,
): Promise<E.Either<QueryError, ReadonlyArray<Readonly<Record<string, unknown>>>>> => {
  const r = await ex.query(text, params)()
  return E.isLeft(r) ? E.left(fromDriverError(r.left, undefined) as QueryError) : E.right(r.right.rows)
}

const loadOne = async (
  ex: Executor,
  schema: AnySchema,
  parentKey: string,
  parentShape: ReturnType<typeof shapeOf>,
  inc: Include,
  parents: ReadonlyArray<MutableRow>,
): Promise<E.Either<QueryError, void>> => {
  const rel = schema.relations[parentKey]?.[inc.name]
  if (rel === undefined || inc.query === undefined)
    return E.left(
      invalidQuery(inc.invalid ?? `include: ${parentKey} has no relationship ${JSON.stringify(inc.name)}`),
    )
  const stmt = compileInclude(schema, rel, inc)
  if (E.isLeft(stmt)) return stmt
  const { parentField } = stmt.right
  if (parentShape._tag === 'Joined') return E.left(invalidQuery(`include(${inc.name}) cannot follow a join`))
  if (parentShape._tag === 'Selection' && !parentShape.keys.includes(parentField))
    return E.left(invalidQuery(`include(${inc.name}) needs ${parentKey}.${parentField} in the select`))
  const many = rel.kind === 'hasMany' || rel.kind === 'manyToMany'
  const seen = new Set<unknown>()
  const keys: unknown[] = []
  for (const p of parents) {
    const k = p[parentField]
    if (k !== null && k !== undefined && !seen.has(k)) {
      seen.add(k)
      keys.push(k)
    }
  }
  const groups = new Map<unknown, MutableRow[]>()
  if (keys.length > 0) {
    const parentSpec = schema.tables[parentKey]!.$spec.columns[parentField]!
    const params = [...stmt.right.params]
    params[stmt.right.keyIndex] = keys.map((k) => encodeValue(parentSpec, k))
    const rows = await run(ex, stmt.right.text, params)
    if (E.isLeft(rows)) return rows
    const h = hydrator(inc.query)
    const children = rows.right.map(h)
    const nested = await loadAll(ex, inc.query, children)
    if (E.isLeft(nested)) return nested
    for (let i = 0; i < children.length; i++) {
      const k = rows.right[i]![parentColumn]
      const child = Object.freeze(children[i]!)
      const g = groups.get(k)
      if (g === undefined) groups.set(k, [child])
      else g.push(child)
    }
  }
  for (const p of parents) {
    const g = groups.get(p[parentField])
    p[inc.name] = many ? Object.freeze(g ?? []) : (g?.[0] ?? null)
  }
  return E.right(undefined)
}

/**
 * Loads every include of `q` into `rows` (unfrozen rows of `q`'s shape), recursively.
 * Shape: `loadAll(executor, query, rows)` → `Promise<Either<QueryError, void>>`.
 * Errors: `InvalidQuery` for an invalid include; `DriverError` from the database.
 * @category destructors
 */
export const loadAll = async (
  ex: Executor,
  q: AnySelect,
  rows: ReadonlyArray<MutableRow>,
): Promise<E.Either<QueryError, void>> => {
  if (q.includes.length === 0) return E.right(undefined)
  const ctx = q.context
  if (ctx === undefined)
    return E.left(invalidQuery('include: start the query from a schema, Q.from(schema, key)'))
  const shape = shapeOf(q)
  const results = await Promise.all(
    q.includes.map((inc) => loadOne(ex, ctx.schema, ctx.key, shape, inc, rows)),
  )
  for (const r of results) if (E.isLeft(r)) return r
  return E.right(undefined)
}

/**
 * Runs a select and its includes; rows come back frozen.
 * Shape: `selectRows(executor, query)` → `Promise<Either<QueryError, ReadonlyArray<row>>>`.
 * Errors: `InvalidQuery` before any SQL; `DriverError`/`ConstraintViolation` from the database.
 * @category destructors
 */
export const selectRows = async (
  ex: Executor,
  q: AnySelect,
): Promise<E.Either<QueryError, ReadonlyArray<Readonly<Record<string, unknown>>>>> => {
  const c = compileSelect(q)
  if (E.isLeft(c)) return c
  const r = await run(ex, c.right.text, c.right.params)
  if (E.isLeft(r)) return r
  const h = hydrator(q)
  const rows = r.right.map(h)
  if (q.includes.length > 0) {
    const loaded = await loadAll(ex, q, rows)
    if (E.isLeft(loaded)) return loaded
  }
  for (const row of rows) Object.freeze(row)
  return E.right(rows)
}
