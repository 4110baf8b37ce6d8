/**
 * The plan executor: runs a plan's steps in order on an open transaction. Keys that
 * inserts generate (`RETURNING`) fill the refs of later steps; rows that `Collect`
 * steps find fill the `Collected` values of later steps. Plain data in, plain data out:
 * the plan is not changed, so it can run again (a retry) with the same result.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { compileStep, guardLimit } from '../dialects/postgres/compile-step.js'
import type { Compiled } from '../dialects/postgres/compiled.js'
import { driverError } from '../drivers/adapter.js'
import type { Executor, QueryResult } from '../drivers/driver.js'
import type {
  Cell,
  CheckStep,
  CollectStep,
  DeleteStep,
  Plan,
  Step,
  UpdateStep,
  Values,
} from '../plan/step.js'
import { encodeValue } from '../schema/codec.js'
import type { AnySchema } from '../schema/schema.js'
import { keyText, type TableSpec } from '../schema/table.js'
import { orphanError } from '../session/errors.js'
import { type CommitError, fromDriverError, type StaleRowError } from './errors.js'
import { rowMapper } from './rows.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A row an insert returned, by ref id. */
export interface Resolved {
  readonly table: string
  row: Readonly<Record<string, unknown>>
}

/** What a run of a plan produced. @category models */
export interface Outcome {
  /** Inserted rows by ref id (post-updates applied). */
  readonly resolved: ReadonlyMap<string, Resolved>
  /** Statements executed (a loop of collects counts each pass). */
  readonly statements: number
  /** Rows each step touched (inserted, updated, deleted, found), by step name. */
  readonly counts: Readonly<Record<string, number>>
}

interface State {
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

const internal = (step: string, message: string): CommitError =>
  driverError({ message: `origami bug in step "${step}": ${message}` })

const isCollected = (v: unknown): v is Extract<Values, { _tag: 'Collected' }> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { _tag?: unknown })._tag === 'Collected'
const isRefKeyCell = (v: unknown): v is { _tag: 'RefKey'; ref: string; field: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { _tag?: unknown })._tag === 'RefKey'

/** The wire value of a cell: itself, or the key a `RefKey` stands for (undefined if not inserted yet). */
const resolveCell = (schema: AnySchema, state: State, c: unknown): unknown => {
  if (!isRefKeyCell(c)) return c
  const r = state.resolved.get(c.ref)
  return r === undefined
    ? undefined
    : encodeValue(schema.tables[r.table]!.$spec.columns[c.field]!, r.row[c.field])
}

/** Replaces `RefKey` cells (in rows and parameter arrays) and `Collected` parameters by values. */
const materialise = (schema: AnySchema, state: State, stepName: string, params: ReadonlyArray<unknown>) => {
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
const cellsKey = (cells: ReadonlyArray<unknown>): string =>
  cells.length === 1 ? String(cells[0]) : JSON.stringify(cells.map((c) => String(c)))

const wireKey = (
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

const stale = (spec: TableSpec, step: string, verb: string, keys: ReadonlyArray<string>): StaleRowError =>
  Object.freeze({
    _tag: 'StaleRowError',
    table: spec.name,
    step,
    keys,
    message: `step "${step}": expected to ${verb} ${keys.length === 1 ? 'a row' : `${keys.length} rows`} of ${spec.name} that ${keys.length === 1 ? 'is' : 'are'} gone or changed since read (key ${keys.join(', ')})`,
  })

/** The named rows (wire cells of `fields`) that the returned rows do not include, as key text. */
const missing = (
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
const absorb = (
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

/** Runs one statement of a step and absorbs its result. */
const runOnce =
  (tx: Executor, schema: AnySchema, state: State) =>
  (step: Step, compiledStep?: Compiled): TE.TaskEither<CommitError, number> => {
    const stmt = compiledStep ?? compileStep(step)
    return pipe(
      TE.fromEither(materialise(schema, state, step.name, stmt.params)),
      TE.chain((params) => {
        state.statements += 1
        return pipe(
          tx.query(stmt.text, params),
          TE.mapLeft((e): CommitError => fromDriverError(e, step.name)),
        )
      }),
      TE.chainEitherK((result) => {
        const before = step._tag === 'Collect' ? (state.collected.get(step.table)?.size ?? 0) : 0
        return pipe(
          absorb(schema, state, step, result),
          E.map(() => (step._tag === 'Collect' ? (state.collected.get(step.table)?.size ?? 0) - before : 0)),
        )
      }),
    )
  }

/** Runs a loop of collects until none finds a new row (a cascade around a cycle). */
const runLoop =
  (run: (s: Step, c?: Compiled) => TE.TaskEither<CommitError, number>) =>
  (loop: ReadonlyArray<CollectStep>): TE.TaskEither<CommitError, void> =>
    pipe(
      loop,
      TE.traverseSeqArray((s) => run(s)),
      TE.chain((found) => (found.some((n) => n > 0) ? runLoop(run)(loop) : TE.right(undefined))),
    )

/** Steps grouped so that the collects of one loop run together. */
const batches = (steps: ReadonlyArray<Step>): ReadonlyArray<ReadonlyArray<Step>> => {
  const out: Step[][] = []
  for (const s of steps) {
    const last = out[out.length - 1]
    const loop = s._tag === 'Collect' ? s.loop : undefined
    const lastLoop = last?.[0]?._tag === 'Collect' ? (last[0] as CollectStep).loop : undefined
    if (loop !== undefined && loop === lastLoop) last!.push(s)
    else out.push([s])
  }
  return out
}

/** Whether a step's statement needs values only earlier results give (keys, collected rows). */
const dependsOnResults = (step: Step, stmt: Compiled): boolean => {
  if (step._tag === 'Collect' && step.loop !== undefined) return true
  return stmt.params.some((p) =>
    Array.isArray(p) ? p.some((c) => isRefKeyCell(c)) : isRefKeyCell(p) || isCollected(p),
  )
}

/**
 * Runs a plan on an open transaction, step by step.
 *
 * Statements that need nothing from the results before them are sent without waiting
 * for those results (pipelined on the transaction's one connection: PERFORMANCE.md),
 * and their results are checked in order; a step that needs generated keys or collected
 * rows waits for everything before it. A failure fails the whole plan either way: the
 * caller rolls the transaction back.
 *
 * Shape: `runPlan(tx, schema, plan)` → `TaskEither<CommitError, Outcome>`.
 * Errors: `ConstraintViolation` (class 23 SQLSTATE) or `StepFailed` naming the step and
 * statement; `StaleRowError` when an update or delete matches fewer rows than it names
 * (a missing row, or a `version()` that moved on); `OrphanError` from a guard step.
 * Source: Ecto.Multi (named steps; a failure names the step).
 * @category destructors
 * @since 0.1.0
 */
export const runPlan =
  (tx: Executor, schema: AnySchema, p: Plan): TE.TaskEither<CommitError, Outcome> =>
  async () => {
    const state: State = {
      resolved: new Map(),
      collected: new Map(),
      counts: {},
      statements: 0,
      recheck: [],
      unmatched: [],
    }
    const run = runOnce(tx, schema, state)
    // statements sent but not yet checked, in plan order
    let inFlight: Array<{ step: Step; result: Promise<E.Either<CommitError, QueryResult>> }> = []
    const settle = async (): Promise<E.Either<CommitError, void>> => {
      const sent = inFlight
      inFlight = []
      let failed: CommitError | undefined
      for (const { step, result } of sent) {
        const r = await result
        if (failed !== undefined) continue
        const checked = E.isLeft(r) ? r : absorb(schema, state, step, r.right)
        if (E.isLeft(checked)) failed = checked.left
      }
      return failed === undefined ? E.right(undefined) : E.left(failed)
    }
    for (const batch of batches(p.steps)) {
      const first = batch[0]!
      const stmt = compileStep(first)
      if (batch.length > 1 || dependsOnResults(first, stmt)) {
        const settled = await settle()
        if (E.isLeft(settled)) return settled
        const r =
          first._tag === 'Collect' && first.loop !== undefined
            ? await runLoop(run)(batch as ReadonlyArray<CollectStep>)()
            : await run(first, stmt)()
        if (E.isLeft(r)) return r
        continue
      }
      state.statements += 1
      inFlight.push({
        step: first,
        result: pipe(
          tx.query(stmt.text, stmt.params),
          TE.mapLeft((e): CommitError => fromDriverError(e, first.name)),
        )(),
      })
    }
    const settled = await settle()
    if (E.isLeft(settled)) return settled
    for (const { step, rows } of state.recheck) {
      const still: CheckStep = {
        _tag: 'Check',
        name: step.name,
        table: step.table,
        sqlTable: step.sqlTable,
        keys: step.expect.columns,
        where: { _tag: 'Tuples', columns: step.expect.columns, rows },
        expect: [],
      }
      const stmt = compileStep(still)
      state.statements += 1
      const found = await tx.query(stmt.text, stmt.params)()
      if (E.isLeft(found)) return E.left(fromDriverError(found.left, step.name))
      if (found.right.rows.length > 0) {
        const spec = schema.tables[step.table]!.$spec
        const toRow = rowMapper(spec)
        const fields = step.expect.columns.map((c) => c.field)
        return E.left(
          stale(
            spec,
            step.name,
            'delete',
            missing(
              spec,
              fields,
              [],
              found.right.rows.map(toRow).map((r) => fields.map((f) => encodeValue(spec.columns[f]!, r[f]))),
            ),
          ),
        )
      }
    }
    for (const step of state.unmatched) {
      // the rows that exist now: an update without conditions matches exactly those
      const spec = schema.tables[step.table]!.$spec
      const n = spec.primaryKey.length
      const named = step.rows.map((r) => r.keys.slice(0, n).map((c) => resolveCell(schema, state, c)))
      const exists: CheckStep = {
        _tag: 'Check',
        name: step.name,
        table: step.table,
        sqlTable: step.sqlTable,
        keys: step.keys.slice(0, n),
        where: { _tag: 'Tuples', columns: step.keys.slice(0, n), rows: named as Cell[][] },
        expect: [],
      }
      const stmt = compileStep(exists)
      state.statements += 1
      const found = await tx.query(stmt.text, stmt.params)()
      if (E.isLeft(found)) return E.left(fromDriverError(found.left, step.name))
      const missed = missing(spec, spec.primaryKey, found.right.rows.map(rowMapper(spec)), named)
      return E.left(
        missed.length > 0
          ? stale(spec, step.name, 'update', missed)
          : internal(step.name, `updated ${state.counts[step.name]} rows for ${step.rows.length}`),
      )
    }
    return E.right({ resolved: state.resolved, statements: state.statements, counts: state.counts })
  }
