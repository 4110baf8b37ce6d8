/**
 * `commit`: fold a session into a plan and run it in one transaction, re-running the
 * whole plan after a serialization failure or a deadlock when asked to.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { isRetryable } from '../dialects/postgres/sqlstate.js'
import type { Driver, IsolationLevel } from '../drivers/driver.js'
import { plan as fold } from '../plan/fold.js'
import type { Plan } from '../plan/step.js'
import type { AnySchema } from '../schema/schema.js'
import { type AnyTable, keyOf, type Row } from '../schema/table.js'
import type { Ref } from '../session/ref.js'
import { committed, type Identity, rollback, type Session } from '../session/session.js'
import { freshState } from './absorb.js'
import { batchable, runBatch } from './batch.js'
import type { CommitError, SerializationFailure } from './errors.js'
import { type Outcome, outcomeOf, runPlan } from './execute.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of `db.commit`. @category models */
export interface CommitOptions {
  /** Transaction isolation (default: the server's, normally read committed). */
  readonly isolation?: IsolationLevel
  /**
   * How many times to re-run the whole plan after a serialization failure (40001) or a
   * deadlock (40P01); default 0. Units: extra attempts, not counting the first.
   */
  readonly retries?: number
  /** Backoff before the first retry, doubled for each next one, with jitter. Units: ms; default 10. */
  readonly backoffMs?: number
}

/** What a successful commit returns. @category models */
export interface Committed<S extends AnySchema> {
  /** The session with nothing pending; refs it inserted are now known by key. */
  readonly session: Session<S>
  /** The plan that ran. */
  readonly plan: Plan
  /** The row a ref became (as returned by the database, defaults filled), if this commit inserted it. */
  readonly resolve: <T extends AnyTable>(ref: Ref<T>) => O.Option<Row<T>>
  /** Every inserted row by ref id, nested children included (`authors#2.books[0]`), in insert order. */
  readonly inserted: ReadonlyMap<string, Readonly<Record<string, unknown>>>
  /** Statements executed in the attempt that committed. */
  readonly statements: number
  /** Rows each step touched, by step name (inserted, updated, deleted; found, for collects). */
  readonly counts: Readonly<Record<string, number>>
  /** Attempts it took: 1, or more after retried serialization failures or deadlocks. */
  readonly attempts: number
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * A plan of one statement at the default isolation runs without BEGIN/COMMIT when no
 * check follows it: a single statement is atomic by itself in PostgreSQL, and two round
 * trips fewer matter for the commonest commit (one insert).
 */
const single = (p: Plan, options: CommitOptions): boolean => {
  if (options.isolation !== undefined || p.steps.length !== 1) return false
  const step = p.steps[0]!
  // only a statement that nothing checks after it ran: an update or a delete of named rows
  // is checked for stale rows afterwards, and that check must be able to roll it back
  return step._tag === 'Insert' || (step._tag === 'Delete' && step.expect.rows.length === 0)
}

/**
 * A lone self-checking update or delete (see `batch.ts`) at the default isolation runs
 * as a batch of one statement without BEGIN/COMMIT: when its check fails, the statement
 * fails, and a failed statement leaves nothing behind.
 */
const alone = (p: Plan, options: CommitOptions): boolean =>
  options.isolation === undefined && p.steps.length === 1 && batchable(p)

/** `driver.query` as a batch of one statement. */
const oneStatement = (driver: Pick<Driver, 'query'>): Pick<Driver, 'batch' | 'query'> => ({
  query: driver.query,
  batch: (statements) =>
    pipe(
      driver.query(statements[0]!.text, statements[0]!.params),
      TE.bimap(
        (error) => ({ index: 0, error }),
        (result) => [result],
      ),
    ),
})

const sleep =
  (ms: number): T.Task<void> =>
  () =>
    new Promise((resolve) => setTimeout(resolve, ms))

const retryable = (e: CommitError): boolean =>
  (e._tag === 'StepFailed' || e._tag === 'DriverError') && isRetryable(e.code)

/** Runs the plan in a transaction, again after retryable failures, up to `retries` more times. */
const attempt = (
  driver: Pick<Driver, 'transaction' | 'query' | 'batch'>,
  schema: AnySchema,
  p: Plan,
  options: CommitOptions,
  n: number,
): TE.TaskEither<CommitError | SerializationFailure, { outcome: Outcome; attempts: number }> =>
  pipe(
    single(p, options)
      ? runPlan(driver, schema, p)
      : alone(p, options)
        ? runBatch(oneStatement(driver), schema, p, undefined)
        : driver.batch !== undefined && batchable(p)
          ? runBatch(driver, schema, p, options.isolation)
          : driver.transaction((tx) => runPlan(tx, schema, p), { isolation: options.isolation }),
    TE.map((outcome) => ({ outcome, attempts: n })),
    TE.orElse((e: CommitError) => {
      if (!retryable(e)) return TE.left(e)
      const retries = options.retries ?? 0
      if (n > retries) {
        const failure: SerializationFailure = Object.freeze({
          _tag: 'SerializationFailure',
          attempts: n,
          code: (e as { code?: string }).code ?? '',
          step: e._tag === 'StepFailed' ? e.step : undefined,
          message: `the transaction failed with SQLSTATE ${(e as { code?: string }).code} ${n === 1 ? 'once' : `${n} times`}${retries === 0 ? ' (pass { retries } to re-run it)' : ''}: ${e.message}`,
          cause: e,
        })
        return TE.left(failure)
      }
      // exponential backoff with jitter: the edge may use the clock and randomness
      const base = (options.backoffMs ?? 10) * 2 ** (n - 1)
      return pipe(
        TE.fromTask(sleep(base / 2 + Math.random() * base)),
        TE.chain(() => attempt(driver, schema, p, options, n + 1)),
      )
    }),
  )

/**
 * The identity map entries of the rows a commit inserted: table and key by ref id, in
 * insert order, read from the plan's insert steps (which say each ref's table) and the
 * rows they inserted.
 */
const identityOf = (schema: AnySchema, p: Plan, outcome: Outcome): Map<string, Identity> => {
  const identity = new Map<string, Identity>()
  for (const step of p.steps) {
    if (step._tag !== 'Insert') continue
    const spec = schema.tables[step.table]!.$spec
    for (const ref of step.refs) {
      const row = outcome.inserted.get(ref)
      if (row !== undefined) identity.set(ref, { table: step.table, key: keyOf(spec, row) })
    }
  }
  return identity
}

/**
 * Commits a session: folds it into a plan, runs the plan in one transaction, and
 * returns the committed result with a session that has nothing pending.
 *
 * Shape: `commit(driver)(session, { isolation?, retries?, backoffMs? })` →
 * `TaskEither<CommitError, Committed<S>>`.
 * Errors: anything `plan` reports (no SQL runs); `ConstraintViolation`, `StaleRowError`,
 * `OrphanError`, `StepFailed`, `DriverError` from execution; `SerializationFailure`
 * when SQLSTATE 40001/40P01 persists past `retries` (its `attempts` says how many ran).
 * On every Left the transaction is rolled back: the database is as before and the
 * session passed in is unchanged (it is a value), so the same commit can be retried.
 * Source: DESIGN.md § Sessions, change-sets, plans; PostgreSQL "Serialization Failure
 * Handling" (retry the whole transaction).
 * @category destructors
 * @since 0.1.0
 */
export const commit =
  (driver: Pick<Driver, 'transaction' | 'query' | 'batch'>) =>
  <S extends AnySchema>(
    session: Session<S>,
    options: CommitOptions = {},
  ): TE.TaskEither<CommitError, Committed<S>> => {
    const schema = session.schema
    // what the committed session starts from: nothing pending, the identity map so far.
    // Kept instead of `session`, whose changes need not stay alive while the plan runs.
    const settled = rollback(session)
    return pipe(
      TE.fromEither(fold(session)),
      TE.chainW((p) =>
        p.steps.length === 0
          ? TE.right({
              p,
              outcome: outcomeOf(freshState(0)),
              attempts: 1,
            })
          : pipe(
              attempt(driver, schema, p, options, 1),
              TE.map(({ outcome, attempts }) => ({ p, outcome, attempts })),
            ),
      ),
      TE.map(({ p, outcome, attempts }) => {
        const inserted = outcome.inserted
        return Object.freeze({
          // the identity entries are made when the session's identity map is first read
          session: committed(settled, () => identityOf(schema, p, outcome)),
          plan: p,
          resolve: <T extends AnyTable>(ref: Ref<T>) =>
            O.fromNullable(inserted.get(ref.id) as Row<T> | undefined),
          inserted,
          statements: outcome.statements,
          counts: Object.freeze(outcome.counts),
          attempts,
        })
      }),
    )
  }
