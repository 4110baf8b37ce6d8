/**
 * Streaming a large result in batches with constant memory: a server-side cursor
 * (`DECLARE … CURSOR`, `FETCH FORWARD n`) inside one read transaction, fetched only when
 * the consumer asks for the next batch. Works the same on both drivers.
 *
 * PGlite has a single connection, and the stream holds it until the loop ends: while a
 * stream is open, other reads and commits on the same `Db` return a `DriverError`
 * saying so instead of waiting forever. On PostgreSQL they use another pooled connection.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { compileSelect, cursorStatements, invalidQuery } from '../dialects/postgres/compile-query.js'
import { driverError } from '../drivers/adapter.js'
import type { Driver, DriverError } from '../drivers/driver.js'
import { type ResultOf, type Source, toQuery } from '../query/query.js'
import { fromDriverError, type QueryError } from './errors.js'
import { hydrator } from './hydrate.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of `stream`. @category models */
export interface StreamOptions {
  /** Rows fetched per round trip and yielded per batch. Default 1,000. */
  readonly batchSize?: number
}

/** Counts open streams of one driver, so single-connection drivers can refuse other work. @category models */
export interface StreamGuard {
  /** The driver streams run on (unguarded). */
  readonly raw: Driver
  /** The driver to use for everything but streams: refuses work while a PGlite stream is open. */
  readonly driver: Driver
  /** Marks a stream open; the returned function marks it closed. */
  readonly open: () => () => void
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Wraps a driver so that, on PGlite, a query or transaction started while a stream is
 * open fails at once with a `DriverError` (instead of waiting for the connection the
 * stream holds, forever). Other drivers are returned unchanged.
 * @category constructors
 * @since 0.1.0
 */
export const streamGuard = (driver: Driver): StreamGuard => {
  let open = 0
  const open_ = () => {
    open += 1
    let closed = false
    return () => {
      if (!closed) open -= 1
      closed = true
    }
  }
  if (driver.kind !== 'pglite') return { raw: driver, driver, open: open_ }
  const busy = (statement: string | undefined): DriverError =>
    driverError({
      message: 'a stream is open on PGlite, which has a single connection: finish or break the loop first',
      statement,
    })
  const guarded: Driver = {
    ...driver,
    query: (text, params) => (open > 0 ? async () => E.left(busy(text)) : driver.query(text, params)),
    transaction: (f, o) => (open > 0 ? async () => E.left(busy(undefined)) : driver.transaction(f, o)),
  }
  return { raw: driver, driver: Object.freeze(guarded), open: open_ }
}

/** A single-slot hand-over between the cursor's transaction and the consumer. */
const channel = <A>() => {
  const queue: A[] = []
  const takers: Array<(a: A) => void> = []
  return {
    put: (a: A) => {
      const t = takers.shift()
      if (t === undefined) queue.push(a)
      else t(a)
    },
    take: (): Promise<A> =>
      queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise<A>((resolve) => takers.push(resolve)),
  }
}

let cursors = 0

type Item =
  | { readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>> }
  | { readonly end: E.Either<QueryError, void> }

/**
 * The rows of a query, batch by batch, with constant memory: each batch is fetched when
 * the loop asks for it. Breaking out of the loop closes the cursor and the transaction.
 * Includes are not loaded (load them per batch with `all` on the batch's keys).
 * Shape: `stream(driver, guard)(source, { batchSize })` →
 * `AsyncIterable<Either<QueryError, ReadonlyArray<R>>>`; a `Left` is the last item.
 * Units: `batchSize` rows (default 1,000).
 * Errors (as a final `Left`): `InvalidQuery` for an invalid query or batch size, or a
 * query with includes; `DriverError` from the database. Nothing is thrown.
 * Source: PostgreSQL "DECLARE", "FETCH"; SQLAlchemy `yield_per`.
 * @example
 * for await (const batch of db.stream(Q.from(books), { batchSize: 500 })) {
 *   if (E.isLeft(batch)) throw batch.left
 *   for (const book of batch.right) console.log(book.title)
 * }
 * @category destructors
 * @since 0.1.0
 */
export const stream =
  (driver: Driver, guard: StreamGuard) =>
  <Src extends Source>(
    source: Src,
    options: StreamOptions = {},
  ): AsyncIterable<E.Either<QueryError, ReadonlyArray<ResultOf<Src>>>> => ({
    async *[Symbol.asyncIterator]() {
      const batchSize = options.batchSize ?? 1000
      if (!Number.isSafeInteger(batchSize) || batchSize <= 0) {
        yield E.left(invalidQuery(`stream: batchSize must be a positive integer, got ${batchSize}`))
        return
      }
      const q = toQuery(source)
      if (q.includes.length > 0) {
        yield E.left(invalidQuery('stream: includes are not loaded by streams; use all() per batch'))
        return
      }
      const c = compileSelect(q)
      if (E.isLeft(c)) {
        yield c
        return
      }
      cursors += 1
      const s = cursorStatements(`origami_cursor_${cursors}`, c.right, batchSize)
      const h = hydrator(q)
      const requests = channel<boolean>()
      const items = channel<Item>()
      const release = guard.open()
      const run = <A>(t: TE.TaskEither<DriverError, A>) =>
        t().then((r) => (E.isLeft(r) ? E.left(fromDriverError(r.left, undefined) as QueryError) : r))
      const done = driver.transaction((tx) => async (): Promise<E.Either<QueryError, void>> => {
        const d = await run(tx.query(s.declare.text, s.declare.params))
        if (E.isLeft(d)) return d
        while (await requests.take()) {
          const r = await run(tx.query(s.fetch.text, s.fetch.params))
          if (E.isLeft(r)) return r
          items.put({ rows: r.right.rows })
          if (r.right.rows.length < batchSize) break
        }
        return run(tx.query(s.close.text, s.close.params)).then((r) => (E.isLeft(r) ? r : E.right(undefined)))
      })()
      void done.then((end) => items.put({ end: end as E.Either<QueryError, void> }))
      try {
        for (;;) {
          requests.put(true)
          const item = await items.take()
          if ('end' in item) {
            if (E.isLeft(item.end)) yield item.end
            return
          }
          if (item.rows.length > 0) yield E.right(item.rows.map((r) => Object.freeze(h(r)) as ResultOf<Src>))
          if (item.rows.length < batchSize) {
            const end = await done
            if (E.isLeft(end)) yield end as E.Left<QueryError>
            return
          }
        }
      } finally {
        requests.put(false)
        await done
        release()
      }
    },
  })
