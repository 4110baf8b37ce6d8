/**
 * The postgres.js adapter: a pool of connections to a PostgreSQL server. The only
 * module that imports `postgres`.
 *
 * Only `sql.unsafe(text, params)` (extended protocol, named prepared statements) and
 * `sql.begin` are used. Values are normalised by `pg-types` exactly as on PGlite: the
 * parsers are registered through the `types` option, and the serializer table is
 * replaced by one that answers for every type OID, since postgres.js looks it up by the
 * type the server inferred for each parameter. Parameters are sent untyped (postgres.js
 * would otherwise type a boolean, bigint, Date or array parameter from the JavaScript
 * value, and an array of bigints as a single int8). Sessions run with `TimeZone=UTC` and
 * `DateStyle=ISO, MDY`, PGlite's defaults, so date arithmetic in SQL agrees on both.
 * Notices are dropped.
 *
 * @since 0.1.0
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import postgres from 'postgres'
import { type Client, fromClient, fromThrown, isolationSql, type Run } from './adapter.js'
import type { Driver, DriverError, IsolationLevel, QueryResult, Statement } from './driver.js'
import { parsers, serializerFor, serializerTable } from './pg-types.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Pool settings. @category models */
export interface PostgresOptions {
  /** Most connections open at once. Default 10. */
  readonly max?: number
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** origami's parsers in the shape of postgres.js's `types` option. */
const types: Record<string, postgres.PostgresType> = Object.fromEntries(
  Object.entries(parsers).map(([oid, parse]) => [
    `oid${oid}`,
    { to: Number(oid), from: [Number(oid)], serialize: serializerFor(Number(oid)), parse },
  ]),
)

// `simple: false` keeps statements with no parameters on the extended protocol too, so
// that multi-statement text is refused here as it is by PGlite.
const queryOptions = { prepare: true, simple: false } as postgres.UnsafeQueryOptions

// A statement carrying a long array (a plan's batch of rows through `unnest`) is sent
// unprepared, so the server plans it for the values it has. A named prepared statement
// switches to a generic plan after five runs, and a generic plan of `unnest($1)` does
// not know how many rows come: updating 10,000 rows took about a fifth longer that way (measured
// here with postgres.js against PostgreSQL 15). Short statements stay prepared, so
// point lookups are parsed and planned once.
const unpreparedOptions = { prepare: false, simple: false } as postgres.UnsafeQueryOptions
const longArray = 100

const optionsFor = (params: ReadonlyArray<unknown>): postgres.UnsafeQueryOptions => {
  for (const p of params) if (Array.isArray(p) && p.length > longArray) return unpreparedOptions
  return queryOptions
}

/** Values postgres.js would type from their JavaScript class; wrapped to go untyped. */
const typedByClient = (v: unknown): boolean =>
  (typeof v === 'object' && v !== null) || typeof v === 'boolean' || typeof v === 'bigint'

/** The parameters as postgres.js should send them; the same array when nothing needs wrapping. */
const wire = (sql: postgres.Sql, params: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  let out: unknown[] | undefined
  for (let i = 0; i < params.length; i++) {
    const v = params[i]
    if (v !== undefined && !typedByClient(v)) continue
    out ??= params.slice()
    out[i] = v === undefined ? null : sql.typed(v as never, 0)
  }
  return out ?? params
}

/** The rows as a plain array (the client's result is an Array subclass carrying metadata), copied by index. */
const toResult = (result: postgres.RowList<postgres.Row[]>): QueryResult => {
  const rows = new Array<Record<string, unknown>>(result.length)
  for (let i = 0; i < rows.length; i++) rows[i] = result[i] as Record<string, unknown>
  return { rows, rowCount: result.count ?? result.length }
}

/** Whether every parameter is a number or a string: sent as it is, prepared (point lookups). */
const primitives = (params: ReadonlyArray<unknown>): boolean => {
  for (let i = 0; i < params.length; i++) {
    const t = typeof params[i]
    if (t !== 'number' && t !== 'string') return false
  }
  return true
}

/**
 * The postgres.js query of one statement, not sent yet (postgres.js sends it on its first
 * `then`). Parameters that are all numbers and strings go as they are, prepared: `wire`
 * and `optionsFor` have nothing to do for them, and skipping them measured ~10% faster
 * per sequential lookup (W2; see bench/README.md on why that is more than two loops).
 */
const statement = (
  sql: postgres.Sql,
  on: postgres.Sql | postgres.TransactionSql | postgres.ReservedSql,
  text: string,
  params: ReadonlyArray<unknown>,
) =>
  primitives(params)
    ? on.unsafe(text, params as Array<postgres.ParameterOrJSON<never>>, queryOptions)
    : on.unsafe(text, wire(sql, params) as Array<postgres.ParameterOrJSON<never>>, optionsFor(params))

/**
 * Sends one statement of a batch at once: statements go out in the order of the calls
 * (an `await` would call `then` a microtask later, after BEGIN and COMMIT). Single
 * statements go through `runner`, which awaits: calling `then` at once measured ~25 µs
 * slower per sequential lookup (W2).
 */
const send = (
  sql: postgres.Sql,
  on: postgres.ReservedSql,
  text: string,
  params: ReadonlyArray<unknown>,
): Promise<QueryResult> => statement(sql, on, text, params).then(toResult)

const runner =
  (sql: postgres.Sql, on: postgres.Sql | postgres.TransactionSql): Run =>
  async (text, params) =>
    toResult(await statement(sql, on, text, params))

/** The `begin` options of postgres.js for an isolation level (none: the server's default). */
const beginOptions = (isolation: IsolationLevel | undefined): string =>
  isolation === undefined ? '' : isolationSql[isolation]

/** Whether a parameter is sure to serialize: primitives and (nested) arrays of them. */
const plain = (v: unknown): boolean =>
  v === null ||
  typeof v === 'number' ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  typeof v === 'bigint' ||
  (Array.isArray(v) && v.every(plain))

/**
 * BEGIN, the statements and COMMIT on one reserved connection, not awaited in between,
 * so postgres.js pipelines them. A parameter that fails to serialize on the client
 * would leave the pipeline half sent, so batches with anything but plain values go
 * through `sql.begin` (same result, more round trips). COMMIT after a failed statement
 * ends the aborted transaction (the server answers ROLLBACK).
 */
const batchOf =
  (sql: postgres.Sql) =>
  async (
    isolation: IsolationLevel | undefined,
    statements: ReadonlyArray<Statement>,
  ): Promise<ReadonlyArray<PromiseSettledResult<QueryResult | undefined>>> => {
    if (!statements.every((s) => s.params.every(plain))) {
      const settled: Array<PromiseSettledResult<QueryResult | undefined>> = Array.from(
        { length: statements.length + 2 },
        () => ({ status: 'fulfilled', value: undefined }),
      )
      let done = 0
      try {
        await sql.begin(beginOptions(isolation), async (tx) => {
          const run = runner(sql, tx)
          for (const s of statements) {
            settled[done + 1] = { status: 'fulfilled', value: await run(s.text, s.params) }
            done += 1
          }
        })
      } catch (reason) {
        // the statement that was running, else COMMIT (all ran) or BEGIN (none did)
        const at = done < statements.length ? done + 1 : statements.length + 1
        settled[done === 0 && statements.length === 0 ? 0 : at] = { status: 'rejected', reason }
      }
      return settled
    }
    const reserved = await sql.reserve()
    try {
      // each `then` called here, in this order, is the order they go out in (see `send`)
      const begin = reserved.unsafe(`begin ${beginOptions(isolation)}`).then(() => undefined)
      let sent: Array<Promise<QueryResult>>
      try {
        sent = statements.map((s) => send(sql, reserved, s.text, s.params))
      } catch (e) {
        // not expected with plain values; never hand the connection back inside a transaction
        await begin.catch(() => {})
        await reserved.unsafe('rollback').catch(() => {})
        throw e
      }
      const commit = reserved.unsafe('commit').then(() => undefined)
      return await Promise.allSettled([begin, ...sent, commit])
    } finally {
      reserved.release()
    }
  }

const clientOf = (sql: postgres.Sql): Client => ({
  kind: 'postgres',
  run: runner(sql, sql),
  batch: batchOf(sql),
  begin: async (isolation, body) =>
    (await sql.begin(beginOptions(isolation), (tx) => body(runner(sql, tx)))) as Awaited<
      ReturnType<typeof body>
    >,
  end: () => sql.end({ timeout: 5 }),
})

/**
 * Opens a pool on a PostgreSQL server and checks it at once with `select 1`, so that a
 * bad URL, wrong credentials or an unreachable server fail here rather than at the
 * first query.
 * Shape: `(url, { max })` → `TaskEither<DriverError, Driver>` with `kind: 'postgres'`.
 * Units: `max` counts connections (default 10).
 * Errors: `DriverError` — with the server's SQLSTATE (e.g. `3D000` no such database,
 * `28P01` bad password), or code undefined for a malformed URL or a refused connection.
 * Source: postgres.js README ("Connection", "Custom types"); PostgreSQL "Connection
 * Strings".
 * @category constructors
 * @since 0.1.0
 */
export const openPostgres = (
  url: string,
  options: PostgresOptions = {},
): TE.TaskEither<DriverError, Driver> =>
  TE.tryCatch(
    async () => {
      const sql = postgres(url, {
        max: options.max ?? 10,
        prepare: true,
        onnotice: () => {},
        types,
        // No catalog query per connection for array types: arrays of built-in types are
        // parsed by `pg-types`, arrays of user-defined types arrive as text, as on PGlite.
        fetch_types: false,
        connection: { TimeZone: 'UTC', DateStyle: 'ISO, MDY' },
      })
      // postgres.js reads this table, by the server-inferred type, when it binds a parameter.
      sql.options.serializers = serializerTable()
      try {
        await sql.unsafe('select 1', [], queryOptions)
      } catch (e) {
        await sql.end({ timeout: 0 }).catch(() => {})
        throw e
      }
      return fromClient(clientOf(sql))
    },
    (e) => fromThrown(e, undefined),
  )
