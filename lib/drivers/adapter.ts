/**
 * What both adapters share: turning a client's thrown errors into `DriverError`, and
 * building the `Driver` value (query, transaction, close) around a small promise-based
 * `Client`, so the rules below hold identically on postgres.js and PGlite.
 *
 * - Client failures become `DriverError` (parameters never copied); nothing the
 *   database or the client does makes these functions throw. The one exception is an
 *   exception thrown by the caller's own `f` (a defect): the transaction is rolled back
 *   and the exception rethrown, rather than disguised as a database error.
 * - A transaction commits when `f` returns Right and no statement inside it failed;
 *   otherwise it rolls back and returns `f`'s Left, or the first statement's error when
 *   `f` swallowed it (PostgreSQL has aborted the transaction by then anyway).
 * - Inside `f`, a query or transaction on the outer driver is refused with a
 *   `DriverError` instead of hanging (PGlite has one connection, so it would wait for
 *   the transaction forever; postgres.js would silently run it outside the transaction).
 * - After `close`, queries return a `DriverError`; `close` is idempotent.
 *
 * Internal to `lib/drivers`; not re-exported.
 *
 * @since 0.1.0
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type {
  BatchFailure,
  Driver,
  DriverError,
  Executor,
  IsolationLevel,
  QueryResult,
  Statement,
} from './driver.js'

// -------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------

/**
 * Builds a frozen `DriverError`; fields not given are `undefined`.
 * Shape: `{ message, code?, detail?, … }` → `DriverError`. Errors: none.
 * Source: PostgreSQL "Error Message Fields" (protocol), via `driver.ts`.
 * @category constructors
 * @since 0.1.0
 */
export const driverError = (
  fields: Partial<Omit<DriverError, '_tag'>> & { readonly message: string },
): DriverError =>
  Object.freeze({
    _tag: 'DriverError',
    code: fields.code,
    message: fields.message,
    detail: fields.detail,
    hint: fields.hint,
    constraint: fields.constraint,
    table: fields.table,
    column: fields.column,
    statement: fields.statement,
  })

const text = (u: unknown): string | undefined => (typeof u === 'string' && u !== '' ? u : undefined)

const sqlState = /^[0-9A-Z]{5}$/

/**
 * Maps anything a client threw to a `DriverError`. A server error (it has a `severity`
 * and a five-character SQLSTATE `code`) keeps its code and fields, read under either
 * client's names (PGlite `constraint`/`table`/`column`, postgres.js `constraint_name`/
 * `table_name`/`column_name`); any other failure (refused connection, closed client,
 * a parameter that cannot be serialized) gets `code: undefined` and its message.
 * Parameters attached to the error by a client are never read.
 * Shape: `(thrown, statement)` → `DriverError`. Errors: none (total).
 * Source: PostgreSQL "Error Message Fields"; SQLSTATEs from "PostgreSQL Error Codes".
 * @category constructors
 * @since 0.1.0
 */
export const fromThrown = (e: unknown, statement: string | undefined): DriverError => {
  if (typeof e !== 'object' || e === null) return driverError({ message: String(e), statement })
  const o = e as Record<string, unknown>
  const message = text(o.message) ?? String(e)
  const server = typeof o.severity === 'string' && typeof o.code === 'string' && sqlState.test(o.code)
  if (!server) return driverError({ message, statement })
  return driverError({
    code: o.code as string,
    message,
    detail: text(o.detail),
    hint: text(o.hint),
    constraint: text(o.constraint) ?? text(o.constraint_name),
    table: text(o.table) ?? text(o.table_name),
    column: text(o.column) ?? text(o.column_name),
    statement,
  })
}

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Runs one statement; may throw (the client's own errors). @category models */
export type Run = (text: string, params: ReadonlyArray<unknown>) => Promise<QueryResult>

/** The promise-based surface an adapter provides. @category models */
export interface Client {
  readonly kind: Driver['kind']
  readonly run: Run
  /**
   * Opens a transaction (at `isolation` when given), runs `body` with a `Run` bound to
   * it, commits when `body` resolves and rolls back when it rejects, rethrowing.
   */
  readonly begin: <A>(isolation: IsolationLevel | undefined, body: (run: Run) => Promise<A>) => Promise<A>
  /**
   * Sends BEGIN, the statements and COMMIT together and settles each (see `Driver.batch`):
   * element 0 is BEGIN, the last COMMIT. Rejections are the client's own errors.
   */
  readonly batch?: (
    isolation: IsolationLevel | undefined,
    statements: ReadonlyArray<Statement>,
  ) => Promise<ReadonlyArray<PromiseSettledResult<QueryResult | undefined>>>
  readonly end: () => Promise<void>
}

/** The SQL of each isolation level, so that nothing else is ever spliced into a statement. */
export const isolationSql: Readonly<Record<IsolationLevel, string>> = {
  'read committed': 'isolation level read committed',
  'repeatable read': 'isolation level repeatable read',
  serializable: 'isolation level serializable',
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Carries `f`'s Left (or the first failed statement's error) out of the client's transaction. */
class Rollback {
  constructor(readonly result: E.Left<unknown>) {}
}

/** Carries an exception thrown by the caller's `f` (a defect) past the client's rollback. */
class Defect {
  constructor(readonly cause: unknown) {}
}

/** One transaction of one driver; `open` turns false when it ends. */
interface Scope {
  readonly owner: object
  open: boolean
}

/**
 * The transactions the current async context runs inside. Each scope is shared by
 * reference, so work that outlives its transaction (a callback scheduled inside `f`)
 * sees it closed and may use the driver again.
 */
const openTransactions = new AsyncLocalStorage<ReadonlyArray<Scope>>()

const insideTransactionOf = (owner: object): boolean =>
  openTransactions.getStore()?.some((s) => s.open && s.owner === owner) === true

/**
 * Builds a `Driver` from a `Client` (see the module comment for the rules it enforces).
 * Shape: `Client` → `Driver`.
 * Errors: every `Left` is a `DriverError` — from the client (with the SQLSTATE), or
 * code undefined for misuse: a closed driver, the outer handle used inside its own
 * transaction, a transaction handle used after its end, an unknown isolation level.
 * Source: `driver.ts` (the contract); drizzle's postgres.js adapter (begin + unsafe).
 * @category constructors
 * @since 0.1.0
 */
export const fromClient = (client: Client): Driver => {
  const owner = {}
  let closing: Promise<E.Either<DriverError, void>> | undefined

  const misuse = (what: string, statement: string | undefined): DriverError =>
    driverError({
      message: `${what} on the driver inside its own transaction: use the transaction's handle (PGlite would wait forever)`,
      statement,
    })

  const closedError = (statement: string | undefined): DriverError =>
    driverError({ message: 'the driver is closed', statement })

  /** `refuse` is asked when the task runs (not when it is built): the async context then is what counts. */
  const execute =
    (run: Run, refuse: (text: string) => DriverError | undefined, onError: (e: DriverError) => void) =>
    (text: string, params: ReadonlyArray<unknown>): TE.TaskEither<DriverError, QueryResult> =>
    async () => {
      const refused = refuse(text)
      if (refused !== undefined) return E.left(refused)
      try {
        return E.right(await run(text, params))
      } catch (thrown) {
        const error = fromThrown(thrown, text)
        onError(error)
        return E.left(error)
      }
    }

  const query = execute(
    client.run,
    (text) =>
      closing !== undefined
        ? closedError(text)
        : insideTransactionOf(owner)
          ? misuse('a query ran', text)
          : undefined,
    () => {},
  )

  /** Why a transaction or batch cannot begin now, if it cannot. */
  const refuseToBegin = (what: string, isolation: IsolationLevel | undefined): DriverError | undefined =>
    closing !== undefined
      ? closedError(undefined)
      : insideTransactionOf(owner)
        ? misuse(what, undefined)
        : isolation !== undefined && !Object.hasOwn(isolationSql, isolation)
          ? driverError({ message: `unknown isolation level: ${String(isolation)}` })
          : undefined

  const transaction =
    <E1, A>(
      f: (tx: Executor) => TE.TaskEither<E1, A>,
      options?: { readonly isolation?: IsolationLevel },
    ): TE.TaskEither<E1 | DriverError, A> =>
    async () => {
      const isolation = options?.isolation
      const refused = refuseToBegin('a transaction was opened', isolation)
      if (refused !== undefined) return E.left(refused)
      const scope: Scope = { owner, open: true }
      const scopes = [...(openTransactions.getStore() ?? []), scope]
      let failed: DriverError | undefined
      let finished = false
      try {
        const boxed = await client.begin(isolation, (run) =>
          openTransactions.run(scopes, async () => {
            const tx: Executor = {
              query: execute(
                run,
                (text) =>
                  finished
                    ? driverError({ message: 'the transaction is already finished', statement: text })
                    : undefined,
                (e) => {
                  failed ??= e
                },
              ),
            }
            let result: E.Either<E1, A>
            try {
              result = await f(tx)()
            } catch (defect) {
              throw new Defect(defect)
            }
            if (E.isLeft(result)) throw new Rollback(result)
            if (failed !== undefined) throw new Rollback(E.left(failed) as E.Left<DriverError>)
            // Boxed: postgres.js would await the elements of an array result.
            return { value: result.right }
          }),
        )
        return E.right(boxed.value)
      } catch (thrown) {
        if (thrown instanceof Rollback) return thrown.result as E.Left<E1 | DriverError>
        // A defect in `f` stays a defect: rethrown after the rollback, not disguised.
        if (thrown instanceof Defect) throw thrown.cause
        // Anything else came from the client: BEGIN, SET TRANSACTION, COMMIT, the connection.
        return E.left(fromThrown(thrown, undefined))
      } finally {
        finished = true
        scope.open = false
      }
    }

  const clientBatch = client.batch
  const batch =
    clientBatch === undefined
      ? undefined
      : (
          statements: ReadonlyArray<Statement>,
          options?: { readonly isolation?: IsolationLevel },
        ): TE.TaskEither<BatchFailure, ReadonlyArray<QueryResult>> =>
          async () => {
            const isolation = options?.isolation
            const refused = refuseToBegin('a batch was sent', isolation)
            if (refused !== undefined) return E.left({ index: undefined, error: refused })
            let settled: ReadonlyArray<PromiseSettledResult<QueryResult | undefined>>
            try {
              settled = await clientBatch(isolation, statements)
            } catch (thrown) {
              return E.left({ index: undefined, error: fromThrown(thrown, undefined) })
            }
            // the first failure is the cause; the statements after it fail only because the
            // transaction is aborted by then
            for (const [i, r] of settled.entries()) {
              if (r.status === 'fulfilled') continue
              const index = i === 0 || i === settled.length - 1 ? undefined : i - 1
              return E.left({
                index,
                error: fromThrown(r.reason, index === undefined ? undefined : statements[index]!.text),
              })
            }
            return E.right(settled.slice(1, -1).map((r) => (r as PromiseFulfilledResult<QueryResult>).value))
          }

  const close = (): TE.TaskEither<DriverError, void> => () => {
    closing ??= client.end().then(
      () => E.right(undefined),
      (e: unknown) => E.left(fromThrown(e, undefined)),
    )
    return closing
  }

  return Object.freeze(
    batch === undefined
      ? { kind: client.kind, query, transaction, close }
      : { kind: client.kind, query, transaction, batch, close },
  )
}
