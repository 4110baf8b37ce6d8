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
import type { Driver, DriverError } from './driver.js'
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

const runner =
  (sql: postgres.Sql, on: postgres.Sql | postgres.TransactionSql): Run =>
  async (text, params) => {
    const result = await on.unsafe(
      text,
      wire(sql, params) as Array<postgres.ParameterOrJSON<never>>,
      queryOptions,
    )
    // a plain array of the rows (the client's result is an Array subclass carrying
    // metadata); copied by index, which costs less than Array.from's iterator
    const rows = new Array<Record<string, unknown>>(result.length)
    for (let i = 0; i < rows.length; i++) rows[i] = result[i] as Record<string, unknown>
    return { rows, rowCount: result.count ?? result.length }
  }

const clientOf = (sql: postgres.Sql): Client => ({
  kind: 'postgres',
  run: runner(sql, sql),
  begin: async (isolation, body) =>
    (await sql.begin(isolation === undefined ? '' : isolationSql[isolation], (tx) =>
      body(runner(sql, tx)),
    )) as Awaited<ReturnType<typeof body>>,
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
