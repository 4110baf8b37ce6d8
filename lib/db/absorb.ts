/**
 * What the executor learns from each statement's result: inserted rows (refs resolved),
 * stale rows, collected keys, orphans. Shared by the step-by-step executor and the
 * batch one.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { compileStep, guardLimit } from '../dialects/postgres/compile-step.js'
import { driverError } from '../drivers/adapter.js'
import type { Executor, QueryResult } from '../drivers/driver.js'
import type { Cell, CheckStep, DeleteStep, Step, StepColumn, UpdateStep, Values } from '../plan/step.js'
import { encodeValue } from '../schema/codec.js'
import type { AnySchema } from '../schema/schema.js'
import { keyText, type TableSpec } from '../schema/table.js'
import { orphanError } from '../session/errors.js'
import { type CommitError, fromDriverError, type StaleRowError } from './errors.js'
import type { Resolved } from './execute.js'
import { rowMapper } from './rows.js'

/** What a run has learnt so far. @internal */
export interface State {
  readonly resolved: Map<string, Resolved>
  /** Rows found by collects, by table key: wire key text → row. */
  readonly collected: Map<string, Map<string, Readonly<Record<string, unknown>>>>
  readonly counts: Record<string, number>
  statements: number
  /** Named rows a delete did not return: stale only if they are still there at the end. */
  readonly recheck: Array<{ readonly step: DeleteStep; readonly rows: ReadonlyArray<ReadonlyArray<Cell>> }>
  /** Updates without RETURNING that matched fewer rows than they name: which are found at the end. */
  readonly unmatched: Array<UpdateStep>
}

// -------------------------------------------------------------------------------------
// materialising values known only at run time
// -------------------------------------------------------------------------------------

export const internal = (step: string, message: string): CommitError =>
  driverError({ message: `origami bug in step "${step}": ${message}` })

export const isCollected = (v: unknown): v is Extract<Values, { _tag: 'Collected' }> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { _tag?: unknown })._tag === 'Collected'
export const isRefKeyCell = (v: unknown): v is { _tag: 'RefKey'; ref: string; field: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { _tag?: unknown })._tag === 'RefKey'

/** The wire value of a cell: itself, or the key a `RefKey` stands for (undefined if not inserted yet). */
export const resolveCell = (schema: AnySchema, state: State, c: unknown): unknown => {
  if (!isRefKeyCell(c)) return c
  const r = state.resolved.get(c.ref)
  return r === undefined
    ? undefined
    : encodeValue(schema.tables[r.table]!.$spec.columns[c.field]!, r.row[c.field])
}

/** Replaces `RefKey` cells (in rows and parameter arrays) and `Collected` parameters by values. */
export const materialise = (
  schema: AnySchema,
  state: State,
  stepName: string,
  params: ReadonlyArray<unknown>,
) => {
  let missing: string | undefined
  const cell = (c: unknown): unknown => {
    const v = resolveCell(schema, state, c)
    if (v !== undefined) return v
    missing = (c as { ref: string }).ref
    return null
  }
  const out = params.map((p) => {
    if (isCollected(p)) {
      const rows = state.collected.get(p.table)
      const spec = schema.tables[p.table]!.$spec
      return rows === undefined
        ? []
        : [...rows.values()].map((r) => encodeValue(spec.columns[p.field]!, r[p.field]))
    }
    // most parameter arrays hold no ref at all: those are sent as they are
    return Array.isArray(p) ? (p.some(isRefKeyCell) ? p.map(cell) : p) : cell(p)
  })
  return missing === undefined
    ? E.right(out)
    : E.left(internal(stepName, `ref ${missing} is used before it is inserted`))
}

/** A key's wire values as one string, to compare keys sent with keys returned. */
export const cellsKey = (cells: ReadonlyArray<unknown>): string =>
  cells.length === 1 ? String(cells[0]) : JSON.stringify(cells.map((c) => String(c)))

export const wireKey = (
  spec: TableSpec,
  fields: ReadonlyArray<string>,
  row: Readonly<Record<string, unknown>>,
): string =>
  fields.length === 1
    ? String(encodeValue(spec.columns[fields[0]!]!, row[fields[0]!]))
    : cellsKey(fields.map((f) => encodeValue(spec.columns[f]!, row[f])))

/** Whether rows come in ascending order of `field` already (then they need no sort). */
const ascending = (rows: ReadonlyArray<Readonly<Record<string, unknown>>>, field: string): boolean => {
  for (let i = 1; i < rows.length; i++)
    if (compareKeys(rows[i - 1]![field], rows[i]![field]) >= 0) return false
  return true
}

const compareKeys = (a: unknown, b: unknown): number =>
  typeof a === 'bigint' || typeof b === 'bigint'
    ? BigInt(a as bigint) < BigInt(b as bigint)
      ? -1
      : 1
    : (a as number) - (b as number)

export const stale = (
  spec: TableSpec,
  step: string,
  verb: string,
  keys: ReadonlyArray<string>,
): StaleRowError =>
  Object.freeze({
    _tag: 'StaleRowError',
    table: spec.name,
    step,
    keys,
    message: `step "${step}": expected to ${verb} ${keys.length === 1 ? 'a row' : `${keys.length} rows`} of ${spec.name} that ${keys.length === 1 ? 'is' : 'are'} gone or changed since read (key ${keys.join(', ')})`,
  })

/** The named rows (wire cells of `fields`) that the returned rows do not include, as key text. */
export const missing = (
  spec: TableSpec,
  fields: ReadonlyArray<string>,
  returned: ReadonlyArray<Readonly<Record<string, unknown>>>,
  named: ReadonlyArray<ReadonlyArray<unknown>>,
): ReadonlyArray<string> => {
  const got = new Set(returned.map((r) => wireKey(spec, fields, r)))
  return named
    .filter((cells) => !got.has(cellsKey(cells)))
    .map((cells) => keyText(spec, Object.fromEntries(fields.map((f, i) => [f, cells[i]]))))
}

/**
 * Reads which of `rows` (wire cells of `columns`) are in `step`'s table now: one
 * `SELECT … WHERE (columns) IN (unnest …)`. Used after a plan ran (or was rolled back)
 * to tell which named rows were stale.
 */
export const presentRows = async (
  query: Executor['query'],
  schema: AnySchema,
  step: Pick<Step, 'name' | 'table' | 'sqlTable'>,
  columns: ReadonlyArray<StepColumn>,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
): Promise<E.Either<CommitError, ReadonlyArray<Readonly<Record<string, unknown>>>>> => {
  const read: CheckStep = {
    _tag: 'Check',
    name: step.name,
    table: step.table,
    sqlTable: step.sqlTable,
    keys: columns,
    where: { _tag: 'Tuples', columns, rows: rows as ReadonlyArray<ReadonlyArray<Cell>> },
    expect: [],
  }
  const stmt = compileStep(read)
  const found = await query(stmt.text, stmt.params)()
  return E.isLeft(found)
    ? E.left(fromDriverError(found.left, step.name))
    : E.right(found.right.rows.map(rowMapper(schema.tables[step.table]!.$spec)))
}

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

/**
 * How an inserted row is put together: the returned columns from the database row, the
 * others from the cells sent (refs resolved). Worked out once per step; rows come out
 * frozen, fields in declaration order.
 */
const insertedRow = (
  schema: AnySchema,
  state: State,
  spec: TableSpec,
  step: Extract<Step, { _tag: 'Insert' }>,
): ((
  cells: ReadonlyArray<Cell>,
  db: Readonly<Record<string, unknown>> | undefined,
) => Readonly<Record<string, unknown>>) => {
  const returned = new Set(step.returning.map((c) => c.field))
  const parts = spec.fields.map((f) =>
    returned.has(f)
      ? { field: f, column: spec.columnNames[f]!, index: -1 }
      : { field: f, column: '', index: step.columns.findIndex((c) => c.field === f) },
  )
  return (cells, db) => {
    const row: Record<string, unknown> = {}
    for (const p of parts) {
      row[p.field] =
        p.index === -1 ? (db?.[p.column] ?? null) : (resolveCell(schema, state, cells[p.index]) ?? null)
    }
    return Object.freeze(row)
  }
}

/** Checks what a step's statement returned, and records what later steps need. */
export const absorb = (
  schema: AnySchema,
  state: State,
  step: Step,
  result: QueryResult,
): E.Either<CommitError, void> => {
  const spec = schema.tables[step.table]!.$spec
  const dbRows = result.rows
  const toRow = rowMapper(spec)
  if ((step._tag === 'Update' || step._tag === 'Delete') && step.returning.length === 0) {
    // no RETURNING: the count is what there is to know. For an update it says whether
    // every named row matched (which did not is found after the plan, `unmatched`); a
    // delete without RETURNING names no rows.
    state.counts[step.name] = (state.counts[step.name] ?? 0) + result.rowCount
    if (step._tag === 'Update' && result.rowCount !== step.rows.length) state.unmatched.push(step)
    return E.right(undefined)
  }
  state.counts[step.name] = (state.counts[step.name] ?? 0) + dbRows.length
  switch (step._tag) {
    case 'Insert': {
      const count = step.returning.length === 0 ? result.rowCount : dbRows.length
      if (count !== step.rows.length)
        return E.left(internal(step.name, `inserted ${count} rows for ${step.rows.length}`))
      const build = insertedRow(schema, state, spec, step)
      if (step.returning.length === 0) {
        // every column was given as is: the rows are what was sent
        for (const r of step.rows)
          state.resolved.set(r.ref, { table: step.table, row: build(r.cells, undefined) })
        return E.right(undefined)
      }
      if (step.match === 'key') {
        const keyFields = step.keys.map((k) => k.field)
        const byKey = new Map(dbRows.map((d) => [wireKey(spec, keyFields, toRow(d)), d]))
        for (const r of step.rows) {
          const key = cellsKey(
            step.keys.map((k) =>
              resolveCell(schema, state, r.cells[step.columns.findIndex((c) => c.field === k.field)]),
            ),
          )
          const d = byKey.get(key)
          if (d === undefined) return E.left(internal(step.name, `no returned row has key ${key}`))
          state.resolved.set(r.ref, { table: step.table, row: build(r.cells, d) })
        }
        return E.right(undefined)
      }
      const pk = spec.columnNames[spec.primaryKey[0]!]!
      // serial keys ascend in insert order, which follows input order (ORDER BY ord)
      const sorted =
        step.match === 'sequence' && !ascending(dbRows, pk)
          ? [...dbRows].sort((a, b) => compareKeys(a[pk], b[pk]))
          : dbRows
      for (let i = 0; i < step.rows.length; i++) {
        const r = step.rows[i]!
        state.resolved.set(r.ref, { table: step.table, row: build(r.cells, sorted[i]!) })
      }
      return E.right(undefined)
    }
    case 'Update': {
      // the primary key leads `keys`; the conditions after it (version, parent) have changed.
      // Keys within a step are distinct, so as many rows as named means all were found.
      const n = spec.primaryKey.length
      const pkFields = spec.primaryKey
      if (dbRows.length !== step.rows.length) {
        const missed = missing(
          spec,
          pkFields,
          dbRows.map(toRow),
          step.rows.map((r) => r.keys.slice(0, n).map((c) => resolveCell(schema, state, c))),
        )
        if (missed.length > 0) return E.left(stale(spec, step.name, 'update', missed))
      }
      // keep resolve() current for rows this plan inserted and then updated (post-updates)
      if (step.rows.some((r) => isRefKeyCell(r.keys[0]))) {
        const byKey = new Map(dbRows.map(toRow).map((x) => [wireKey(spec, pkFields, x), x]))
        for (const r of step.rows) {
          const ref = r.keys[0]
          if (!isRefKeyCell(ref)) continue
          const mine = state.resolved.get(ref.ref)
          const fresh = mine === undefined ? undefined : byKey.get(wireKey(spec, pkFields, mine.row))
          if (mine !== undefined && fresh !== undefined) mine.row = fresh
        }
      }
      return E.right(undefined)
    }
    case 'Delete': {
      // a named row the delete did not return: stale, unless a check vouched for it up
      // front (then it may have gone with the database's ON DELETE CASCADE earlier in
      // this plan, and it is stale only if it is still there)
      const rows = dbRows.map(toRow)
      const fields = step.expect.columns.map((c) => c.field)
      const got = new Set(rows.map((r) => wireKey(spec, fields, r)))
      const gone = step.expect.rows.filter((cells) => !got.has(cellsKey(cells)))
      if (gone.length === 0) return E.right(undefined)
      if (step.checked) {
        state.recheck.push({ step, rows: gone })
        return E.right(undefined)
      }
      return E.left(stale(spec, step.name, 'delete', missing(spec, fields, rows, gone)))
    }
    case 'Collect': {
      const rows = dbRows.map(toRow)
      const set = state.collected.get(step.table) ?? new Map()
      const keyFields = step.keys.map((k) => k.field)
      for (const r of rows) set.set(wireKey(spec, keyFields, r), r)
      state.collected.set(step.table, set)
      return E.right(undefined)
    }
    case 'Guard': {
      const rows = dbRows.map(toRow)
      if (rows.length === 0) return E.right(undefined)
      const total = Number(dbRows[0]!.orphans ?? rows.length)
      const keys = rows.slice(0, guardLimit).map((r) => keyText(spec, r))
      return E.left(orphanError(spec.name, step.column, step.relation, keys, total, step.name))
    }
    case 'Nullify':
      return E.right(undefined)
    case 'Check': {
      const missed = missing(
        spec,
        step.keys.map((k) => k.field),
        dbRows.map(toRow),
        step.expect,
      )
      return missed.length === 0 ? E.right(undefined) : E.left(stale(spec, step.name, 'delete', missed))
    }
  }
}
