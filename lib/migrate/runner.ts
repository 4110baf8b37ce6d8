/**
 * The runner: applies revisions up or down, each in its own transaction, under a
 * PostgreSQL advisory lock, and records each in the revision table with its checksum.
 *
 * Concurrency: each revision's transaction first takes `pg_advisory_xact_lock` (waiting
 * at most `lockTimeoutMs`), then re-reads the revision table. A revision another runner
 * applied meanwhile is skipped; a database moved elsewhere (someone downgraded) stops the
 * run with `Drift`. So two deploys running `upgrade` at once apply each revision exactly
 * once, whichever gets there first, and a lock is never left behind by a dead process
 * (it ends with the transaction). A failed statement rolls its revision back, revision
 * table included, and stops the run; revisions applied before it stay applied.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { renderOperation } from '../dialects/postgres/alter.js'
import type { Compiled } from '../dialects/postgres/compiled.js'
import {
  type AppliedRow,
  appliedRows,
  createRevisionTable,
  deleteRevision,
  insertRevision,
  revisionTableExists,
  selectRevisions,
  takeLock,
} from '../dialects/postgres/migration-sql.js'
import type { Driver, Executor } from '../drivers/driver.js'
import { fromDriver, type MigrationError, migrationError } from './errors.js'
import { describe, destroys, type Operation } from './operation.js'
import { type Revision, resolveTarget } from './revision.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Up or down. @category models @since 0.1.0 */
export type Direction = 'upgrade' | 'downgrade'

/**
 * Where the database stands against the revision files.
 * @category models
 * @since 0.1.0
 */
export interface State {
  /** The revisions, base first. */
  readonly line: ReadonlyArray<Revision>
  /** The revision table's rows (empty when it does not exist yet). */
  readonly applied: ReadonlyArray<AppliedRow>
  /** Index in `line` of the current revision; -1 at base. */
  readonly current: number
  /** Applied revisions whose file changed since (ids). */
  readonly edited: ReadonlyArray<string>
  /** Applied revisions with no file (ids). */
  readonly missing: ReadonlyArray<string>
}

/**
 * Options of `upgrade` and `downgrade`.
 * @category models
 * @since 0.1.0
 */
export interface RunOptions {
  /** Destructive targets accepted (`users.email`, `books`), or `all`. */
  readonly allowDestructive?: ReadonlyArray<string>
  /** Units: milliseconds to wait for the advisory lock per revision (default 30 000). */
  readonly lockTimeoutMs?: number
  /** Called after each revision, for progress output. */
  readonly onRevision?: (e: RevisionDone) => void
}

/**
 * One revision's outcome.
 * Units: `durationMs` in milliseconds, the transaction included.
 * @category models
 * @since 0.1.0
 */
export interface RevisionDone {
  readonly id: string
  readonly message: string
  readonly direction: Direction
  /** `skipped`: another runner had applied (or reverted) it by the time the lock was ours. */
  readonly outcome: 'applied' | 'skipped'
  readonly durationMs: number
  readonly statements: number
}

/**
 * What a run did.
 * @category models
 * @since 0.1.0
 */
export interface RunReport {
  readonly direction: Direction
  /** The current revision before the run and after it (`null`: base). */
  readonly from: string | null
  readonly to: string | null
  readonly revisions: ReadonlyArray<RevisionDone>
}

// -------------------------------------------------------------------------------------
// state
// -------------------------------------------------------------------------------------

const read = (db: Executor): TE.TaskEither<MigrationError, ReadonlyArray<AppliedRow>> =>
  pipe(
    db.query(revisionTableExists.text, revisionTableExists.params),
    TE.chain((r) =>
      r.rows[0]?.present === true
        ? pipe(
            db.query(selectRevisions.text, selectRevisions.params),
            TE.map((x) => appliedRows(x.rows)),
          )
        : TE.right([]),
    ),
    TE.mapLeft(fromDriver),
  )

const stateOf = (line: ReadonlyArray<Revision>, applied: ReadonlyArray<AppliedRow>): State => {
  const ids = new Set(applied.map((a) => a.id))
  const current = line.reduce((acc, r, i) => (ids.has(r.id) ? i : acc), -1)
  const byId = new Map(line.map((r) => [r.id, r]))
  return Object.freeze({
    line,
    applied,
    current,
    edited: applied.filter((a) => byId.has(a.id) && byId.get(a.id)!.checksum !== a.checksum).map((a) => a.id),
    missing: applied.filter((a) => !byId.has(a.id)).map((a) => a.id),
  })
}

/**
 * Reads the revision table and places the database on the line of revisions.
 * Shape: `readState(line)(executor)` → `TaskEither<MigrationError, State>`.
 * Errors: `DriverError` when the table cannot be read.
 * @category destructors
 * @since 0.1.0
 */
export const readState =
  (line: ReadonlyArray<Revision>) =>
  (db: Executor): TE.TaskEither<MigrationError, State> =>
    pipe(
      read(db),
      TE.map((applied) => stateOf(line, applied)),
    )

/**
 * Checks that the files still say what was applied: no applied file edited or removed,
 * and the applied revisions are the first ones of the line, with no gap.
 * Shape: `verify(state)` → `Either<MigrationError, State>`.
 * Errors: `Drift` naming each edited and each missing revision.
 * @category destructors
 * @since 0.1.0
 */
export const verify = (s: State): E.Either<MigrationError, State> => {
  const gaps = s.line.slice(0, s.current + 1).filter((r) => !s.applied.some((a) => a.id === r.id))
  if (s.edited.length === 0 && s.missing.length === 0 && gaps.length === 0) return E.right(s)
  const parts = [
    ...s.edited.map(
      (id) => `revision ${id} was applied, and its file has been edited since (checksum differs)`,
    ),
    ...s.missing.map(
      (id) => `revision ${id} was applied, and its file is missing from the migrations folder`,
    ),
    ...gaps.map((r) => `revision ${r.id} (${r.file}) was never applied, though later ones were`),
  ]
  return E.left(
    migrationError({
      _tag: 'Drift',
      edited: s.edited,
      missing: s.missing,
      message: `${parts.join('; ')}. Restore the applied files from version control; make schema changes in a new revision.`,
    }),
  )
}

// -------------------------------------------------------------------------------------
// running
// -------------------------------------------------------------------------------------

const allowed = (names: ReadonlyArray<string>, target: string) =>
  names.includes('all') || names.includes(target)

const refusals = (steps: ReadonlyArray<Revision>, direction: Direction, cli: ReadonlyArray<string>) =>
  steps.flatMap((r) =>
    r[direction].flatMap((o) =>
      destroys(o)
        .filter((t) => !allowed([...cli, ...(direction === 'upgrade' ? (r.allowDestructive ?? []) : [])], t))
        .map((target) => ({ revision: r.id, target, operation: describe(o) })),
    ),
  )

/**
 * The statements of a revision in one direction, in order.
 * Shape: `statementsOf(revision, direction)` → `ReadonlyArray<Compiled>`.
 * Errors: throws `TypeError` only for an operation `renderOperation` rejects.
 * @category destructors
 * @since 0.1.0
 */
export const statementsOf = (r: Revision, direction: Direction): ReadonlyArray<Compiled> =>
  r[direction].flatMap((o: Operation) => renderOperation(o))

const runStatements =
  (r: Revision, direction: Direction, statements: ReadonlyArray<Compiled>) =>
  (tx: Executor): TE.TaskEither<MigrationError, void> =>
    pipe(
      statements,
      TE.traverseSeqArray((s) =>
        pipe(
          tx.query(s.text, s.params),
          TE.mapLeft(
            (cause): MigrationError =>
              migrationError({
                _tag: 'RevisionFailed',
                revision: r.id,
                direction,
                statement: s.text,
                cause,
                message: `${direction} of ${r.id} failed: ${cause.message}`,
              }),
          ),
        ),
      ),
      TE.map(() => undefined),
    )

const lock = (tx: Executor, timeoutMs: number): TE.TaskEither<MigrationError, void> =>
  pipe(
    takeLock(timeoutMs),
    TE.traverseSeqArray((s) => tx.query(s.text, s.params)),
    TE.map(() => undefined),
    TE.mapLeft(fromDriver),
  )

const step =
  (line: ReadonlyArray<Revision>, r: Revision, direction: Direction, timeoutMs: number) =>
  (driver: Driver): TE.TaskEither<MigrationError, RevisionDone> => {
    const index = line.indexOf(r)
    const started = performance.now()
    const statements = E.tryCatch(
      () => statementsOf(r, direction),
      (e): MigrationError =>
        migrationError({ _tag: 'InvalidRevision', file: r.file, message: (e as Error).message }),
    )
    const done = (outcome: RevisionDone['outcome'], n: number): RevisionDone =>
      Object.freeze({
        id: r.id,
        message: r.message,
        direction,
        outcome,
        durationMs: performance.now() - started,
        statements: n,
      })
    return pipe(
      TE.fromEither(statements),
      TE.chain((stmts) =>
        driver.transaction((tx) =>
          pipe(
            lock(tx, timeoutMs),
            TE.chain(() => read(tx)),
            TE.chain((rows): TE.TaskEither<MigrationError, RevisionDone> => {
              const now = stateOf(line, rows)
              const isApplied = rows.some((a) => a.id === r.id)
              if (direction === 'upgrade' ? isApplied : !isApplied) return TE.right(done('skipped', 0))
              const expected = direction === 'upgrade' ? index - 1 : index
              if (now.current !== expected)
                return TE.left(
                  migrationError({
                    _tag: 'Drift',
                    edited: [],
                    missing: [],
                    message: `the database moved while this run waited: it is at ${now.current < 0 ? 'base' : line[now.current]!.id}, where ${direction} of ${r.id} expects ${expected < 0 ? 'base' : line[expected]!.id}`,
                  }),
                )
              const record =
                direction === 'upgrade'
                  ? insertRevision(r, performance.now() - started)
                  : deleteRevision(r.id)
              return pipe(
                runStatements(r, direction, stmts)(tx),
                TE.chain(() => pipe(tx.query(record.text, record.params), TE.mapLeft(fromDriver))),
                TE.map(() => done('applied', stmts.length)),
              )
            }),
          ),
        ),
      ),
      TE.mapLeft((e) => (e._tag === 'DriverError' ? fromDriver(e) : e)),
      TE.map((d) => ({ ...d, durationMs: performance.now() - started })),
    )
  }

const ensureTable = (driver: Driver, timeoutMs: number): TE.TaskEither<MigrationError, void> =>
  pipe(
    driver.transaction((tx) =>
      pipe(
        lock(tx, timeoutMs),
        TE.chain(() => pipe(tx.query(createRevisionTable.text, []), TE.mapLeft(fromDriver))),
      ),
    ),
    TE.mapLeft((e) => (e._tag === 'DriverError' ? fromDriver(e) : e)),
    TE.map(() => undefined),
  )

/**
 * Moves the database to `target` (`head`, `base`, an id or a unique prefix, `+N`, `-N`):
 * up with `upgrade`, down with `downgrade`. Nothing runs when any destructive operation
 * on the way is not accepted (see `RunOptions.allowDestructive`; an upgrade also accepts
 * what its file's `allowDestructive` names).
 *
 * Shape: `migrate(direction, line, target, options)(driver)` → `TaskEither<MigrationError, RunReport>`.
 * Units: durations in milliseconds.
 * Errors: `Drift` (an applied file edited or missing; the database moved meanwhile),
 *   `UnknownRevision`, `Usage` (a target on the wrong side of the current revision),
 *   `DestructiveRefused`, `LockTimeout`, `RevisionFailed` (the statement, SQLSTATE,
 *   detail and hint in `cause`), `DriverError`, `InvalidRevision`.
 * Source: Alembic `command.upgrade` / `downgrade`; PostgreSQL "Advisory Locks".
 * @category destructors
 * @since 0.1.0
 */
export const migrate =
  (direction: Direction, line: ReadonlyArray<Revision>, target: string, options: RunOptions = {}) =>
  (driver: Driver): TE.TaskEither<MigrationError, RunReport> => {
    const timeoutMs = options.lockTimeoutMs ?? 30_000
    const idOf = (i: number) => (i < 0 ? null : line[i]!.id)
    return pipe(
      readState(line)(driver),
      TE.chainEitherK(verify),
      TE.chain((state) =>
        pipe(
          TE.fromEither(resolveTarget(line, state.current)(target)),
          TE.chain((to): TE.TaskEither<MigrationError, RunReport> => {
            const from = state.current
            if (direction === 'upgrade' ? to < from : to > from)
              return TE.left(
                migrationError({
                  _tag: 'Usage',
                  message: `${target} (${idOf(to) ?? 'base'}) is ${direction === 'upgrade' ? 'below' : 'above'} the current revision ${idOf(from) ?? 'base'}: use ${direction === 'upgrade' ? 'downgrade' : 'upgrade'}`,
                }),
              )
            const steps =
              direction === 'upgrade' ? line.slice(from + 1, to + 1) : line.slice(to + 1, from + 1).reverse()
            const refused = refusals(steps, direction, options.allowDestructive ?? [])
            if (refused.length > 0)
              return TE.left(
                migrationError({
                  _tag: 'DestructiveRefused',
                  items: refused,
                  message: `refusing to ${direction}: ${refused.map((x) => `${x.revision} would ${x.operation}`).join('; ')}. Nothing was run. To accept, pass ${[...new Set(refused.map((x) => `--allow-destructive ${x.target}`))].join(' ')}`,
                }),
              )
            const report = (done: ReadonlyArray<RevisionDone>): RunReport =>
              Object.freeze({
                direction,
                from: idOf(from),
                to: idOf(to),
                revisions: Object.freeze([...done]),
              })
            if (steps.length === 0) return TE.right(report([]))
            return pipe(
              direction === 'upgrade' ? ensureTable(driver, timeoutMs) : TE.right(undefined),
              TE.chain(() =>
                pipe(
                  steps,
                  TE.traverseSeqArray((r) =>
                    pipe(
                      step(line, r, direction, timeoutMs)(driver),
                      TE.tap((d) => TE.fromIO(() => options.onRevision?.(d))),
                    ),
                  ),
                ),
              ),
              TE.map(report),
            )
          }),
        ),
      ),
    )
  }
