/**
 * The statements the migration runner needs besides the operations themselves: the
 * revision table (`origami_revisions`: what is applied, with checksums), the advisory
 * lock that serialises runners, and the scratch schema the schema value is rendered into
 * for comparison.
 *
 * Each statement comes twice where `db upgrade --sql` needs it: with bind parameters for
 * the runner, and with literals for a script that `psql` runs.
 *
 * @since 0.1.0
 */
import { type Compiled, compiled } from './compiled.js'
import { literal, quoteIdent } from './quote.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The revision table's name, in the current schema (`search_path`'s first).
 * @category models
 * @since 0.1.0
 */
export const revisionTable = 'origami_revisions'

/**
 * The advisory lock key every origami runner takes, per database: an arbitrary fixed
 * 64-bit number (the bytes of "origami!" read as a signed bigint).
 * @category models
 * @since 0.1.0
 */
export const lockKey = '8030596978292123937'

/** One row of the revision table, as read back. @category models @since 0.1.0 */
export interface AppliedRow {
  readonly id: string
  readonly parent: string | null
  readonly message: string
  readonly checksum: string
  readonly appliedAt: Date
  /** Units: milliseconds the revision's transaction took. */
  readonly durationMs: number
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const t = quoteIdent(revisionTable)

/**
 * Whether the revision table exists in the current schema: a row `{ present: boolean }`.
 * @category destructors
 * @since 0.1.0
 */
export const revisionTableExists: Compiled = compiled(
  `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind = 'r') AS present`,
  [revisionTable],
)

/**
 * Creates the revision table when missing. Run it under the advisory lock: two
 * concurrent `CREATE TABLE IF NOT EXISTS` can still collide on the type's name.
 * @category destructors
 * @since 0.1.0
 */
export const createRevisionTable: Compiled = compiled(
  `CREATE TABLE IF NOT EXISTS ${t} (
  "id" text NOT NULL PRIMARY KEY,
  "parent" text,
  "message" text NOT NULL,
  "checksum" text NOT NULL,
  "applied_at" timestamptz NOT NULL DEFAULT now(),
  "duration_ms" integer NOT NULL DEFAULT 0
)`,
)

/**
 * Every applied revision, oldest first.
 * @category destructors
 * @since 0.1.0
 */
export const selectRevisions: Compiled = compiled(
  `SELECT "id", "parent", "message", "checksum", "applied_at", "duration_ms" FROM ${t} ORDER BY "applied_at", "id"`,
)

/**
 * Reads the rows of `selectRevisions`.
 * Shape: rows → `ReadonlyArray<AppliedRow>`. Errors: none.
 * @category destructors
 * @since 0.1.0
 */
export const appliedRows = (
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
): ReadonlyArray<AppliedRow> =>
  rows.map((r) =>
    Object.freeze({
      id: String(r.id),
      parent: r.parent === null || r.parent === undefined ? null : String(r.parent),
      message: String(r.message),
      checksum: String(r.checksum),
      appliedAt: r.applied_at instanceof Date ? r.applied_at : new Date(String(r.applied_at)),
      durationMs: Number(r.duration_ms),
    }),
  )

/**
 * Records an applied revision. `inline` renders literals instead of parameters (for `--sql`).
 * Units: `durationMs` in milliseconds.
 * @category destructors
 * @since 0.1.0
 */
export const insertRevision = (
  r: {
    readonly id: string
    readonly parent: string | null
    readonly message: string
    readonly checksum: string
  },
  durationMs: number,
  inline = false,
): Compiled =>
  inline
    ? compiled(
        `INSERT INTO ${t} ("id", "parent", "message", "checksum") VALUES (${literal(r.id)}, ${literal(r.parent)}, ${literal(r.message)}, ${literal(r.checksum)})`,
      )
    : compiled(
        `INSERT INTO ${t} ("id", "parent", "message", "checksum", "duration_ms") VALUES ($1, $2, $3, $4, $5::int4)`,
        [r.id, r.parent, r.message, r.checksum, Math.round(durationMs)],
      )

/**
 * Forgets a revision (after its downgrade). `inline` renders a literal (for `--sql`).
 * @category destructors
 * @since 0.1.0
 */
export const deleteRevision = (id: string, inline = false): Compiled =>
  inline
    ? compiled(`DELETE FROM ${t} WHERE "id" = ${literal(id)}`)
    : compiled(`DELETE FROM ${t} WHERE "id" = $1`, [id])

/**
 * Takes the runners' advisory lock for the current transaction, waiting at most
 * `timeoutMs` (then SQLSTATE 55P03 `lock_not_available`). Two statements: the local
 * `lock_timeout`, then `pg_advisory_xact_lock`, released at commit or rollback.
 * Units: milliseconds. Source: PostgreSQL "Advisory Locks", `lock_timeout`.
 * @category destructors
 * @since 0.1.0
 */
export const takeLock = (timeoutMs: number, inline = false): ReadonlyArray<Compiled> =>
  inline
    ? [compiled(`SELECT pg_advisory_xact_lock(${lockKey})`)]
    : [
        compiled(`SELECT set_config('lock_timeout', $1, true)`, [`${Math.max(1, Math.round(timeoutMs))}ms`]),
        compiled('SELECT pg_advisory_xact_lock($1::int8)', [lockKey]),
      ]

/**
 * Creates a scratch schema and makes it the first of `search_path` for the rest of the
 * transaction: the schema value's DDL then lands there, to be introspected and rolled back.
 * @category destructors
 * @since 0.1.0
 */
export const enterScratchSchema = (name: string): ReadonlyArray<Compiled> => [
  compiled(`CREATE SCHEMA ${quoteIdent(name)}`),
  compiled(`SELECT set_config('search_path', $1, true)`, [quoteIdent(name)]),
]

/**
 * `BEGIN` and `COMMIT`, for the transactions of a `--sql` script.
 * @category destructors
 * @since 0.1.0
 */
export const scriptTransaction = { begin: 'BEGIN', commit: 'COMMIT' } as const

/**
 * Drops the revision table (with `db drop-all`: the database returns to base).
 * @category destructors
 * @since 0.1.0
 */
export const dropRevisionTable: Compiled = compiled(`DROP TABLE IF EXISTS ${t}`)
