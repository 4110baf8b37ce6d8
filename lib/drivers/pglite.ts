/**
 * The PGlite adapter: PostgreSQL compiled to WebAssembly, running in this process, in
 * memory or on disk. The only module that imports `@electric-sql/pglite`.
 *
 * Values are normalised by `pg-types` exactly as on postgres.js; transactions, errors
 * and `close` follow `adapter`. PGlite has a single connection: a query on the outer
 * handle while a transaction is open would wait forever, so the adapter refuses it.
 *
 * A fresh instance runs initdb inside WebAssembly (seconds, ~0.5–0.8 GB of memory);
 * starting from a template written by `writePgliteTemplate` skips that (well under a
 * second), which is what the test harness does for every test file.
 *
 * @since 0.1.0
 */
import { readFile, writeFile } from 'node:fs/promises'
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type Client, fromClient, fromThrown, isolationSql, type Run } from './adapter.js'
import type { Driver, DriverError, QueryResult } from './driver.js'
import { parsers, serializerTable } from './pg-types.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Where a PGlite database lives and what it starts from. @category models */
export interface PgliteOptions {
  /** A directory for the database files (created by PGlite when missing); omitted: in memory. */
  readonly dataDir?: string
  /**
   * A tarball written by `writePgliteTemplate`, loaded instead of running initdb. Only
   * for a new database: with a `dataDir` that already holds one, opening fails.
   */
  readonly template?: string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const toResult = (r: Results<Record<string, unknown>>): QueryResult => ({
  rows: r.rows,
  // The command tag's count, as postgres.js reports it (`INSERT 0 3` → 3, `SELECT 2` → 2);
  // statements without one (DDL) count the rows they returned.
  rowCount: r.rowCount ?? r.rows.length,
})

const runner =
  (handle: Pick<PGlite, 'query'> | Transaction): Run =>
  async (text, params) =>
    toResult(await handle.query<Record<string, unknown>>(text, params.map(nullIfUndefined)))

const nullIfUndefined = (v: unknown): unknown => (v === undefined ? null : v)

/**
 * Installs origami's parsers and serializers on a started instance. Replaced rather
 * than merged: PGlite registers parsers for the array types present when it starts
 * (user-defined ones too, over any given in the constructor's options); dropping them
 * makes arrays of user-defined types arrive as text whenever the type was created, as
 * on postgres.js.
 */
const normalise = (db: PGlite): void => {
  db.parsers = { ...parsers }
  db.serializers = serializerTable()
}

const clientOf = (db: PGlite): Client => ({
  kind: 'pglite',
  run: runner(db),
  begin: (isolation, body) =>
    db.transaction(async (tx) => {
      if (isolation !== undefined) await tx.query(`set transaction ${isolationSql[isolation]}`)
      return body(runner(tx))
    }),
  end: () => (db.closed ? Promise.resolve() : db.close()),
})

/**
 * Opens a PGlite database: in memory (no `dataDir`) or in a directory, optionally
 * starting from a template tarball.
 * Shape: `PgliteOptions` → `TaskEither<DriverError, Driver>` with `kind: 'pglite'`.
 * Errors: `DriverError` (code undefined) when the template cannot be read or loaded, or
 * PGlite fails to start (for example a `dataDir` in use by another instance).
 * Source: PGlite "API" (`PGlite.create`, `loadDataDir`).
 * @category constructors
 * @since 0.1.0
 */
export const openPglite = (options: PgliteOptions = {}): TE.TaskEither<DriverError, Driver> =>
  TE.tryCatch(
    async () => {
      const loadDataDir =
        options.template === undefined ? undefined : new Blob([await readFile(options.template)])
      const db = await PGlite.create({
        ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
        ...(loadDataDir === undefined ? {} : { loadDataDir }),
      })
      normalise(db)
      return fromClient(clientOf(db))
    },
    (e) => fromThrown(e, undefined),
  )

/**
 * Creates a fresh in-memory database (running initdb once) and writes its data
 * directory to `path` as a gzipped tar file, for `openPglite({ template: path })` to
 * start from. Shape: `path` → `TaskEither<DriverError, void>`. Size: about 4.5 MB.
 * Errors: `DriverError` (code undefined) when PGlite fails to start or `path` cannot be
 * written.
 * Source: PGlite "API" (`dumpDataDir`).
 * @category constructors
 * @since 0.1.0
 */
export const writePgliteTemplate = (path: string): TE.TaskEither<DriverError, void> =>
  TE.tryCatch(
    async () => {
      const db = await PGlite.create()
      try {
        // gzip: a tenth of the size (~4.5 MB instead of ~40 MB) and as fast to load.
        const dump = await db.dumpDataDir('gzip')
        await writeFile(path, new Uint8Array(await dump.arrayBuffer()))
      } finally {
        await db.close()
      }
    },
    (e) => fromThrown(e, undefined),
  )
