/**
 * Migration DDL: renders each migration operation (`lib/migrate/operation.ts`) to the
 * statements that perform it — `CREATE TABLE`, `ALTER TABLE … ADD/DROP/RENAME/ALTER`,
 * `CREATE/DROP INDEX`. Identifiers are always quoted; types, defaults and check
 * expressions are SQL text taken from the revision file as written.
 *
 * @since 0.1.0
 */

import type {
  ColumnDef,
  ForeignKeyDef,
  Operation,
  StructuredOperation,
  TableDef,
} from '../../migrate/operation.js'
import type { ReferentialAction } from '../../schema/column.js'
import { type Compiled, compiled } from './compiled.js'
import { quoteIdent } from './quote.js'

// -------------------------------------------------------------------------------------
// pieces
// -------------------------------------------------------------------------------------

const q = quoteIdent
const list = (names: ReadonlyArray<string>): string => `(${names.map(q).join(', ')})`

const actionSql: Readonly<Record<ReferentialAction, string>> = {
  'no action': '',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
}

const action = (clause: string, a: ReferentialAction | undefined): string => {
  if (a === undefined || a === 'no action') return ''
  const sql = actionSql[a]
  if (sql === undefined) throw new TypeError(`unknown referential action ${JSON.stringify(a)}`)
  return ` ${clause} ${sql}`
}

const columnSql = (c: ColumnDef): string =>
  `${q(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.default !== undefined ? ` DEFAULT ${c.default}` : ''}`

const foreignKeySql = (fk: ForeignKeyDef): string =>
  `CONSTRAINT ${q(fk.name)} FOREIGN KEY ${list(fk.columns)} REFERENCES ${q(fk.targetTable)} ${list(fk.targetColumns)}` +
  action('ON DELETE', fk.onDelete) +
  action('ON UPDATE', fk.onUpdate)

const createTableSql = (t: TableDef): string => {
  const lines = [
    ...t.columns.map(columnSql),
    ...(t.primaryKey ? [`CONSTRAINT ${q(t.primaryKey.name)} PRIMARY KEY ${list(t.primaryKey.columns)}`] : []),
    ...(t.uniques ?? []).map((u) => `CONSTRAINT ${q(u.name)} UNIQUE ${list(u.columns)}`),
    ...(t.checks ?? []).map((c) => `CONSTRAINT ${q(c.name)} CHECK (${c.expression})`),
    ...(t.foreignKeys ?? []).map(foreignKeySql),
  ]
  return `CREATE TABLE ${q(t.table)} (\n${lines.map((l) => `  ${l}`).join(',\n')}\n)`
}

const alter = (table: string, rest: string): string => `ALTER TABLE ${q(table)} ${rest}`

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const byOp: {
  readonly [K in StructuredOperation['op']]: (
    o: Extract<StructuredOperation, { op: K }>,
  ) => ReadonlyArray<string>
} = {
  createTable: (o) => [createTableSql(o)],
  dropTable: (o) => [`DROP TABLE ${q(o.table)}`],
  renameTable: (o) => [alter(o.from, `RENAME TO ${q(o.to)}`)],
  addColumn: (o) => [alter(o.table, `ADD COLUMN ${columnSql(o.column)}`)],
  dropColumn: (o) => [alter(o.table, `DROP COLUMN ${q(o.column.name)}`)],
  renameColumn: (o) => [alter(o.table, `RENAME COLUMN ${q(o.from)} TO ${q(o.to)}`)],
  alterColumnType: (o) => [
    alter(o.table, `ALTER COLUMN ${q(o.column)} TYPE ${o.to} USING ${o.using ?? `${q(o.column)}::${o.to}`}`),
  ],
  setNotNull: (o) => [
    ...(o.backfill ? [`UPDATE ${q(o.table)} SET ${q(o.column)} = DEFAULT WHERE ${q(o.column)} IS NULL`] : []),
    alter(o.table, `ALTER COLUMN ${q(o.column)} SET NOT NULL`),
  ],
  dropNotNull: (o) => [alter(o.table, `ALTER COLUMN ${q(o.column)} DROP NOT NULL`)],
  setDefault: (o) => [alter(o.table, `ALTER COLUMN ${q(o.column)} SET DEFAULT ${o.default}`)],
  dropDefault: (o) => [alter(o.table, `ALTER COLUMN ${q(o.column)} DROP DEFAULT`)],
  addPrimaryKey: (o) => [alter(o.table, `ADD CONSTRAINT ${q(o.name)} PRIMARY KEY ${list(o.columns)}`)],
  dropPrimaryKey: (o) => [alter(o.table, `DROP CONSTRAINT ${q(o.name)}`)],
  addUnique: (o) => [alter(o.table, `ADD CONSTRAINT ${q(o.name)} UNIQUE ${list(o.columns)}`)],
  dropUnique: (o) => [alter(o.table, `DROP CONSTRAINT ${q(o.name)}`)],
  addForeignKey: (o) => [alter(o.table, `ADD ${foreignKeySql(o)}`)],
  dropForeignKey: (o) => [alter(o.table, `DROP CONSTRAINT ${q(o.name)}`)],
  createIndex: (o) => [
    o.definition ??
      `CREATE ${o.unique ? 'UNIQUE INDEX' : 'INDEX'} ${q(o.name)} ON ${q(o.table)} ${list(o.columns)}`,
  ],
  dropIndex: (o) => [`DROP INDEX ${q(o.name)}`],
  addCheck: (o) => [alter(o.table, `ADD CONSTRAINT ${q(o.name)} CHECK (${o.expression})`)],
  dropCheck: (o) => [alter(o.table, `DROP CONSTRAINT ${q(o.name)}`)],
  sql: (o) => [o.sql],
}

/**
 * The statements that perform one migration operation, in order (one, except
 * `setNotNull` with `backfill`, which first sets NULLs to the default).
 *
 * Shape: `renderOperation(op)` → `ReadonlyArray<Compiled>` with no parameters; a raw
 * string is one statement as written. `dropTable` is a plain `DROP TABLE` (no `CASCADE`:
 * generated revisions drop the foreign keys that point at a table first, so a forgotten
 * dependency fails loudly instead of silently dropping another table's constraint).
 * Errors: throws `TypeError` for an identifier `quoteIdent` rejects, an unknown action,
 *   or an unknown `op` (revision files are validated before they are rendered).
 * Source: PostgreSQL "ALTER TABLE", "CREATE TABLE", "CREATE INDEX", "DROP INDEX".
 * @example
 * renderOperation({ op: 'renameColumn', table: 'users', from: 'mail', to: 'email' })
 * // [{ text: 'ALTER TABLE "users" RENAME COLUMN "mail" TO "email"', params: [] }]
 * @category destructors
 * @since 0.1.0
 */
export const renderOperation = (o: Operation): ReadonlyArray<Compiled> => {
  if (typeof o === 'string') return [compiled(o)]
  const f = byOp[o.op] as ((x: StructuredOperation) => ReadonlyArray<string>) | undefined
  if (f === undefined) throw new TypeError(`unknown migration operation ${JSON.stringify(o.op)}`)
  return f(o).map((text) => compiled(text))
}
