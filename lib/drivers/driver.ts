/**
 * The one interface every database client is adapted to: run a statement with bind
 * parameters, run a function inside a transaction, close. Nothing else of a client's
 * surface is used by origami (drizzle's adapters show that this is enough).
 *
 * Values come back normalised the same way on every driver:
 * int2/int4/float4/float8 → number; int8 → bigint; numeric → decimal string;
 * date → `YYYY-MM-DD` string; timestamp and timestamptz → Date (timestamp without time
 * zone read as UTC); json/jsonb → parsed value; bool → boolean; uuid/text → string.
 *
 * @since 0.1.0
 */
import type * as TE from 'fp-ts/lib/TaskEither.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What one statement returned. @category models */
export interface QueryResult {
  /** Rows keyed by SQL column name, values normalised as described above. */
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>
  /** Rows affected (insert/update/delete) or returned (select). */
  readonly rowCount: number
}

/**
 * A failure reported by the database or the client, with PostgreSQL's error fields.
 * The statement text is kept; its parameters are not (they may hold secrets).
 * @category errors
 */
export interface DriverError {
  readonly _tag: 'DriverError'
  /** SQLSTATE, e.g. `23505`; undefined for client-side failures (connection lost, …). */
  readonly code: string | undefined
  readonly message: string
  readonly detail: string | undefined
  readonly hint: string | undefined
  readonly constraint: string | undefined
  readonly table: string | undefined
  readonly column: string | undefined
  /** The statement that failed, when the failure belongs to one. */
  readonly statement: string | undefined
}

/** One statement of a batch: text with `$1…$n` and its parameters. @category models */
export interface Statement {
  readonly text: string
  readonly params: ReadonlyArray<unknown>
}

/** Why a batch failed: which statement (undefined: BEGIN, COMMIT, the connection) and how. @category models */
export interface BatchFailure {
  readonly index: number | undefined
  readonly error: DriverError
}

/** Transaction isolation levels (PostgreSQL "Transaction Isolation"). @category models */
export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable'

/** Runs statements: the driver itself, or the handle of an open transaction. @category models */
export interface Executor {
  /**
   * Runs one statement (no multi-statement text) with `$1…$n` bind parameters.
   * Errors: `DriverError` with the SQLSTATE; never throws.
   */
  readonly query: (text: string, params: ReadonlyArray<unknown>) => TE.TaskEither<DriverError, QueryResult>
}

/** A connected database. @category models */
export interface Driver extends Executor {
  readonly kind: 'pglite' | 'postgres'
  /**
   * Runs `f` in one transaction: committed when `f` returns Right, rolled back when it
   * returns Left (that Left is returned) or when a statement fails. Inside, use only the
   * `tx` handle: PGlite has one connection and a query on the outer handle would wait
   * for the transaction forever.
   */
  readonly transaction: <E, A>(
    f: (tx: Executor) => TE.TaskEither<E, A>,
    options?: { readonly isolation?: IsolationLevel },
  ) => TE.TaskEither<E | DriverError, A>
  /**
   * Runs `statements` in one transaction, sent together: on postgres.js, BEGIN, the
   * statements and COMMIT go out in one round trip (pipelined on one connection). The
   * statements cannot see each other's results, so nothing may need deciding between
   * them: a statement that must fail the transaction fails itself. When one fails, the
   * rest do not apply and everything is rolled back. Absent where sending statements
   * together saves nothing (PGlite runs in process); callers then use `transaction`.
   * Errors: `BatchFailure`: the first failing statement's index (or undefined for BEGIN,
   * COMMIT or the connection) and its `DriverError`.
   */
  readonly batch?: (
    statements: ReadonlyArray<Statement>,
    options?: { readonly isolation?: IsolationLevel },
  ) => TE.TaskEither<BatchFailure, ReadonlyArray<QueryResult>>
  /** Closes the connection(s). Idempotent. */
  readonly close: () => TE.TaskEither<DriverError, void>
}
