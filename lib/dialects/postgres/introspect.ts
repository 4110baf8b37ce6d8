/**
 * Catalog introspection: reads the tables of one database schema from `pg_catalog` into a
 * `Catalog` — columns (type, nullability, default, serial), primary keys, unique
 * constraints, foreign keys with their `ON DELETE` / `ON UPDATE` actions, check
 * constraints and the indexes that back no constraint.
 *
 * Four statements, each over the whole schema (no query per table). Only `pg_catalog` is
 * read, never `information_schema` (slower, and it hides objects the user does not own).
 * NOT NULL constraints, which PostgreSQL 18 also lists in `pg_constraint` (`contype 'n'`),
 * are read from `pg_attribute.attnotnull` on every version.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { DriverError, Executor } from '../../drivers/driver.js'
import type { ReferentialAction } from '../../schema/column.js'
import type {
  Catalog,
  CatalogCheck,
  CatalogColumn,
  CatalogForeignKey,
  CatalogIndex,
  CatalogKey,
  CatalogTable,
} from './catalog.js'
import { type Compiled, compiled } from './compiled.js'

// -------------------------------------------------------------------------------------
// statements
// -------------------------------------------------------------------------------------

const tablesSql = `SELECT c.relname::text AS name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`

const columnsSql = `SELECT c.relname::text AS table_name, a.attname::text AS name,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
  a.attnotnull AS not_null,
  pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expr,
  EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend dep
    JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
    WHERE dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'
  ) AS owns_sequence
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`

const attnames = (keys: string, rel: string): string =>
  `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(num, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.num ORDER BY k.ord)`

const constraintsSql = `SELECT c.relname::text AS table_name, con.conname::text AS name, con.contype::text AS kind,
  ${attnames('con.conkey', 'con.conrelid')} AS columns,
  t.relname::text AS target_table,
  ${attnames('con.confkey', 'con.confrelid')} AS target_columns,
  con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
  pg_catalog.pg_get_constraintdef(con.oid) AS definition
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class t ON t.oid = con.confrelid
WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'f', 'c') AND c.relkind IN ('r', 'p')
ORDER BY c.relname, con.conname`

const indexesSql = `SELECT c.relname::text AS table_name, i.relname::text AS name, ix.indisunique AS is_unique,
  ARRAY(SELECT COALESCE(a.attname::text, pg_catalog.pg_get_indexdef(ix.indexrelid, k.ord::int, true))
    FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, ord)
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num AND k.num > 0
    WHERE k.ord <= ix.indnkeyatts
    ORDER BY k.ord) AS columns,
  (ix.indexprs IS NULL AND ix.indpred IS NULL AND ix.indnkeyatts = ix.indnatts) AS plain,
  pg_catalog.pg_get_indexdef(ix.indexrelid) AS definition
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_constraint con
    WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x')
  )
ORDER BY c.relname, i.relname`

/**
 * The four statements `introspect` runs, each taking the schema name as `$1`.
 * Shape: `introspectionStatements(schema)` → `{ tables, columns, constraints, indexes }`.
 * Source: PostgreSQL "System Catalogs" (`pg_class`, `pg_attribute`, `pg_attrdef`,
 * `pg_constraint`, `pg_index`, `pg_depend`).
 * @category destructors
 * @since 0.1.0
 */
export const introspectionStatements = (
  schemaName: string,
): {
  readonly tables: Compiled
  readonly columns: Compiled
  readonly constraints: Compiled
  readonly indexes: Compiled
} =>
  Object.freeze({
    tables: compiled(tablesSql, [schemaName]),
    columns: compiled(columnsSql, [schemaName]),
    constraints: compiled(constraintsSql, [schemaName]),
    indexes: compiled(indexesSql, [schemaName]),
  })

// -------------------------------------------------------------------------------------
// reading rows
// -------------------------------------------------------------------------------------

type Row = Readonly<Record<string, unknown>>

const actions: Readonly<Record<string, ReferentialAction>> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
}

const str = (v: unknown): string => String(v)
const strs = (v: unknown): ReadonlyArray<string> => Object.freeze(Array.isArray(v) ? v.map(String) : [])
const byTable = (rows: ReadonlyArray<Row>, table: string) => rows.filter((r) => r.table_name === table)

/** `CHECK ((price > 0))` → `(price > 0)`; `NOT VALID` and `NO INHERIT` suffixes are kept out. */
const checkExpression = (definition: string): string =>
  definition
    .replace(/^CHECK \(/, '')
    .replace(/\)( NO INHERIT)?( NOT VALID)?$/, '')
    .trim()

const column = (r: Row): CatalogColumn => {
  const serial = r.owns_sequence === true && /^nextval\(/.test(String(r.default_expr ?? ''))
  return Object.freeze({
    name: str(r.name),
    type: str(r.type),
    nullable: r.not_null !== true,
    default:
      serial || r.default_expr === null || r.default_expr === undefined ? undefined : str(r.default_expr),
    serial,
  })
}

const key = (r: Row): CatalogKey => Object.freeze({ name: str(r.name), columns: strs(r.columns) })

const foreignKey = (r: Row): CatalogForeignKey =>
  Object.freeze({
    name: str(r.name),
    columns: strs(r.columns),
    targetTable: str(r.target_table),
    targetColumns: strs(r.target_columns),
    onDelete: actions[str(r.on_delete)] ?? 'no action',
    onUpdate: actions[str(r.on_update)] ?? 'no action',
  })

const check = (r: Row): CatalogCheck =>
  Object.freeze({ name: str(r.name), expression: checkExpression(str(r.definition)) })

const index = (r: Row): CatalogIndex =>
  Object.freeze({
    name: str(r.name),
    columns: strs(r.columns),
    unique: r.is_unique === true,
    plain: r.plain === true,
    definition: str(r.definition),
  })

/**
 * Assembles a `Catalog` from the rows of the four introspection statements.
 * Shape: `(schema, { tables, columns, constraints, indexes })` → `Catalog`; pure.
 * Errors: none (rows of an unknown constraint kind are ignored).
 * @category constructors
 * @since 0.1.0
 */
export const catalogFromRows = (
  schemaName: string,
  rows: {
    readonly tables: ReadonlyArray<Row>
    readonly columns: ReadonlyArray<Row>
    readonly constraints: ReadonlyArray<Row>
    readonly indexes: ReadonlyArray<Row>
  },
): Catalog => {
  const tables = rows.tables.map((t): CatalogTable => {
    const name = str(t.name)
    const cons = byTable(rows.constraints, name)
    const of = (kind: string) => cons.filter((c) => c.kind === kind)
    const pk = of('p')[0]
    return Object.freeze({
      name,
      columns: Object.freeze(byTable(rows.columns, name).map(column)),
      primaryKey: pk === undefined ? undefined : key(pk),
      uniques: Object.freeze(of('u').map(key)),
      foreignKeys: Object.freeze(of('f').map(foreignKey)),
      indexes: Object.freeze(byTable(rows.indexes, name).map(index)),
      checks: Object.freeze(of('c').map(check)),
    })
  })
  return Object.freeze({ schema: schemaName, tables: Object.freeze(tables) })
}

/**
 * Reads a database schema's tables from `pg_catalog`.
 *
 * Shape: `introspect(schema)(executor)` → `TaskEither<DriverError, Catalog>`; `schema`
 * defaults to `current_schema()` (usually `public`). Runs four read-only statements; pass
 * a transaction's handle to read inside it (e.g. a scratch schema before its rollback).
 * Errors: `DriverError` when a statement fails (no such privilege, connection lost).
 * Source: PostgreSQL "System Catalogs"; Alembic's autogenerate reflection.
 * @example
 * const live = await introspect()(driver)()
 * @category destructors
 * @since 0.1.0
 */
export const introspect =
  (schemaName?: string) =>
  (db: Executor): TE.TaskEither<DriverError, Catalog> => {
    const named: TE.TaskEither<DriverError, string> =
      schemaName !== undefined
        ? TE.right(schemaName)
        : pipe(
            db.query('SELECT current_schema()::text AS name', []),
            TE.map((r) => String(r.rows[0]?.name ?? 'public')),
          )
    return pipe(
      named,
      TE.chain((nsp) => {
        const s = introspectionStatements(nsp)
        const run = (c: Compiled) =>
          pipe(
            db.query(c.text, c.params),
            TE.map((r) => r.rows),
          )
        return pipe(
          TE.Do,
          TE.bind('tables', () => run(s.tables)),
          TE.bind('columns', () => run(s.columns)),
          TE.bind('constraints', () => run(s.constraints)),
          TE.bind('indexes', () => run(s.indexes)),
          TE.map((rows) => catalogFromRows(nsp, rows)),
        )
      }),
    )
  }
