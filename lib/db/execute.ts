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
import { compileStep } from '../dialects/postgres/compile-step.js'
import type { Compiled } from '../dialects/postgres/compiled.js'
import type { Executor, QueryResult } from '../drivers/driver.js'
import type { CollectStep, Plan, Step } from '../plan/step.js'
import { encodeValue } from '../schema/codec.js'
import type { AnySchema } from '../schema/schema.js'
import {
  absorb,
  dependsOnResults,
  freshState,
  internal,
  materialise,
  missing,
  namedKeys,
  presentRows,
  type State,
  stale,
} from './absorb.js'
import { type CommitError, fromDriverError } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a run of a plan produced. @category models */
export interface Outcome {
  /** Inserted rows by ref id (post-updates applied), in insert order. */
  readonly inserted: ReadonlyMap<string, Readonly<Record<string, unknown>>>
  /** Statements executed (a loop of collects counts each pass). */
  readonly statements: number
  /** Rows each step touched (inserted, updated, deleted, found), by step name. */
  readonly counts: Readonly<Record<string, number>>
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

/**
 * What a finished run produced, from what it learnt.
 * Shape: `State` → `Outcome` (the same maps, not copies). @internal
 */
export const outcomeOf = (state: State): Outcome => ({
  inserted: state.inserted,
  statements: state.statements,
  counts: state.counts,
})

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
    const state = freshState(0)
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
      if (batch.length > 1 || dependsOnResults(first)) {
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
      state.statements += 1
      const found = await presentRows(tx.query, schema, step, step.expect.columns, rows)
      if (E.isLeft(found)) return found
      if (found.right.length > 0) {
        const spec = schema.tables[step.table]!.$spec
        const fields = step.expect.columns.map((c) => c.field)
        const still = found.right.map((r) => fields.map((f) => encodeValue(spec.columns[f]!, r[f])))
        return E.left(stale(spec, step.name, 'delete', missing(spec, fields, [], still)))
      }
    }
    for (const step of state.unmatched) {
      // the rows that exist now: an update without conditions matches exactly those
      const spec = schema.tables[step.table]!.$spec
      const n = spec.primaryKey.length
      const named = namedKeys(schema, state, step)
      state.statements += 1
      const found = await presentRows(tx.query, schema, step, step.keys.slice(0, n), named)
      if (E.isLeft(found)) return found
      const missed = missing(spec, spec.primaryKey, found.right, named)
      return E.left(
        missed.length > 0
          ? stale(spec, step.name, 'update', missed)
          : internal(step.name, `updated ${state.counts[step.name]} rows for ${named.length}`),
      )
    }
    return E.right(outcomeOf(state))
  }
