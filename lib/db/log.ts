/**
 * SQL logging (the seeds' `echo=True`): `connect(schema, url, { log })` calls the logger
 * after every statement with its text, its parameters, its duration and its outcome —
 * for reads, commits, DDL and statements inside transactions alike.
 *
 * @since 0.1.0
 */
import { performance } from 'node:perf_hooks'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Driver, DriverError, Executor, QueryResult } from '../drivers/driver.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One statement run. @category models */
export interface LogEntry {
  readonly statement: string
  /**
   * The bind parameters, in wire form. They can hold secrets (passwords, tokens): a
   * logger that ships entries elsewhere should drop or mask them.
   */
  readonly params: ReadonlyArray<unknown>
  /** Wall-clock time from sending to the result. Units: milliseconds (fractional). */
  readonly durationMs: number
  /** Rows returned or affected; undefined when the statement failed. */
  readonly rowCount: number | undefined
  /** The failure, when the statement failed (its `statement` is this one). */
  readonly error: DriverError | undefined
}

/** A logger: called once per statement, after it ran. @category models */
export type Logger = (entry: LogEntry) => void

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const show = (v: unknown): string =>
  typeof v === 'bigint' ? `${v}n` : v instanceof Date ? v.toISOString() : (JSON.stringify(v) ?? String(v))

/**
 * A logger writing one line per statement to stderr:
 * `[origami] 0.42 ms  SELECT … -- [1, "x"]`, and `ERROR 23505: …` for failures.
 * Units: milliseconds, two decimals.
 * @category constructors
 * @since 0.1.0
 */
export const consoleLogger: Logger = (e) => {
  const params = e.params.length === 0 ? '' : ` -- [${e.params.map(show).join(', ')}]`
  const outcome =
    e.error === undefined
      ? ''
      : `  ERROR${e.error.code === undefined ? '' : ` ${e.error.code}`}: ${e.error.message}`
  process.stderr.write(`[origami] ${e.durationMs.toFixed(2)} ms  ${e.statement}${params}${outcome}\n`)
}

/** Calls the logger; a failing logger must not turn a database result into an exception. */
const report = (log: Logger, entry: LogEntry): void => {
  try {
    log(entry)
  } catch {
    // ignored, as documented on `logged`
  }
}

const logQuery =
  (query: Executor['query'], log: Logger): Executor['query'] =>
  (text, params): TE.TaskEither<DriverError, QueryResult> => {
    const task = query(text, params)
    return async () => {
      const start = performance.now()
      const r = await task()
      const durationMs = performance.now() - start
      report(
        log,
        r._tag === 'Right'
          ? { statement: text, params, durationMs, rowCount: r.right.rowCount, error: undefined }
          : { statement: text, params, durationMs, rowCount: undefined, error: r.left },
      )
      return r
    }
  }

/**
 * Wraps a driver so that every statement — on the driver and inside its transactions —
 * is reported to `log` after it ran. A logger that throws is ignored.
 * Shape: `logged(driver, log)` → `Driver` (same kind, same behaviour).
 * Units: `durationMs` in milliseconds.
 * Errors: none added; failures are logged with their `DriverError`, then returned as before.
 * Source: SQLAlchemy `create_engine(echo=True)`; Ecto's telemetry query events.
 * @category constructors
 * @since 0.1.0
 */
export const logged = (driver: Driver, log: Logger): Driver => {
  const batch = driver.batch
  return Object.freeze({
    ...driver,
    query: logQuery(driver.query, log),
    transaction: (f, options) => driver.transaction((tx) => f({ query: logQuery(tx.query, log) }), options),
    ...(batch === undefined ? {} : { batch: logBatch(batch, log) }),
  } satisfies Driver)
}

/**
 * A batch's statements share one round trip, so each is reported with the batch's
 * duration; the failing one with its error, the ones after it (not applied) not at all.
 */
const logBatch =
  (batch: NonNullable<Driver['batch']>, log: Logger): NonNullable<Driver['batch']> =>
  (statements, options) => {
    const task = batch(statements, options)
    return async () => {
      const start = performance.now()
      const r = await task()
      const durationMs = performance.now() - start
      const upTo = r._tag === 'Right' ? statements.length : (r.left.index ?? -1) + 1
      for (let i = 0; i < upTo; i++) {
        const { text: statement, params } = statements[i]!
        report(
          log,
          r._tag === 'Right'
            ? { statement, params, durationMs, rowCount: r.right[i]!.rowCount, error: undefined }
            : i === r.left.index
              ? { statement, params, durationMs, rowCount: undefined, error: r.left.error }
              : { statement, params, durationMs, rowCount: undefined, error: undefined },
        )
      }
      return r
    }
  }
