/**
 * DDL: `CREATE TABLE`, foreign keys, indexes and `DROP TABLE`, rendered from table and
 * schema values — the seeds' `db.create_all()` and `db.drop_all()`.
 *
 * Each statement is its own `Compiled` with no parameters (DDL cannot take any), in the
 * order it must run. Keywords are uppercase; identifiers are always quoted.
 *
 * @since 0.1.0
 */
import type { ColumnDefault, ColumnSpec, ReferentialAction } from '../../schema/column.js'
import { type AnySchema, type ForeignKey, foreignKeyOrder } from '../../schema/schema.js'
import type { AnyTable, IndexSpec, TableSpec } from '../../schema/table.js'
import { type Compiled, compiled } from './compiled.js'
import { literal, quoteIdent } from './quote.js'
import { sqlTypeName } from './types.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A single-column foreign-key constraint in SQL names, as DDL writes it.
 * @category models
 * @since 0.1.0
 */
export interface ForeignKeyConstraint {
  /** Constraint name, `<table>_<column>_fkey`. */
  readonly name: string
  /** SQL name of the referencing table. */
  readonly table: string
  readonly column: string
  /** SQL name of the referenced table. */
  readonly targetTable: string
  readonly targetColumn: string
  readonly onDelete: ReferentialAction
  readonly onUpdate: ReferentialAction
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Translates a schema's foreign key (table keys and field names) to SQL names.
 *
 * Shape: `foreignKeyConstraint(schema)(fk)` → `ForeignKeyConstraint`; data-last, so
 * `schema.foreignKeys.map(foreignKeyConstraint(schema))`.
 * Errors: none for a foreign key of `schema` (`schema()` resolved it).
 * Source: DESIGN.md § Models.
 * @category constructors
 * @since 0.1.0
 */
export const foreignKeyConstraint =
  (s: AnySchema) =>
  (fk: ForeignKey): ForeignKeyConstraint => {
    const from: TableSpec = s.tables[fk.table]!.$spec
    const to: TableSpec = s.tables[fk.target]!.$spec
    return Object.freeze({
      name: fk.name,
      table: from.name,
      column: from.columnNames[fk.field]!,
      targetTable: to.name,
      targetColumn: to.columnNames[fk.targetField]!,
      onDelete: fk.onDelete,
      onUpdate: fk.onUpdate,
    })
  }

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const actions: { readonly [K in ReferentialAction]: string | undefined } = {
  'no action': undefined,
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
}

const action = (clause: string, a: ReferentialAction): string => {
  if (!Object.hasOwn(actions, a)) throw new TypeError(`unknown referential action ${JSON.stringify(a)}`)
  const sql = actions[a]
  return sql === undefined ? '' : ` ${clause} ${sql}`
}

const columnList = (names: ReadonlyArray<string>): string => `(${names.map(quoteIdent).join(', ')})`

const foreignKeyClause = (fk: ForeignKeyConstraint): string =>
  `CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${quoteIdent(fk.column)}) ` +
  `REFERENCES ${quoteIdent(fk.targetTable)} (${quoteIdent(fk.targetColumn)})` +
  action('ON DELETE', fk.onDelete) +
  action('ON UPDATE', fk.onUpdate)

const defaultExpression = (c: ColumnSpec, d: ColumnDefault): string => {
  switch (d._tag) {
    case 'Value':
      if (d.value === undefined) throw new TypeError('literal: cannot render undefined')
      return literal(d.value, c.sqlType)
    case 'Now':
      // a timestamp without time zone holds UTC wall-clock time, whatever the session's TimeZone
      if (c.sqlType._tag === 'timestamp')
        return c.sqlType.withTimezone ? 'now()' : "(now() AT TIME ZONE 'UTC')"
      if (c.sqlType._tag === 'date') return 'current_date'
      throw new TypeError(`defaultNow() is only for timestamp and date columns, not ${c.sqlType._tag}`)
    case 'RandomUuid':
      if (c.sqlType._tag === 'uuid') return 'gen_random_uuid()'
      throw new TypeError(`defaultRandom() is only for uuid columns, not ${c.sqlType._tag}`)
    case 'Sql':
      return `(${d.expression})`
  }
}

/** A name for messages: as is when plain, else as a JSON string (visible quotes, escaped NUL). */
const show = (name: string): string => (/^[\w$]+$/.test(name) ? name : JSON.stringify(name))

const columnLine = (spec: TableSpec, field: string): string => {
  const c = spec.columns[field]!
  const name = spec.columnNames[field]!
  try {
    const notNull = c.nullable ? '' : ' NOT NULL'
    const dflt = c.default === undefined ? '' : ` DEFAULT ${defaultExpression(c, c.default)}`
    return `${quoteIdent(name)} ${sqlTypeName(c.sqlType)}${notNull}${dflt}`
  } catch (e) {
    throw new TypeError(`column ${show(spec.name)}.${show(name)}: ${(e as Error).message}`, { cause: e })
  }
}

/**
 * `CREATE TABLE` for one table: every column (type, `NOT NULL`, `DEFAULT`), the primary
 * key (`<table>_pkey`, composite allowed), each unique group (`<table>_<columns>_key`),
 * each `CHECK` of the table's `checks` option (the trusted expression in parentheses)
 * and the foreign keys given.
 *
 * Shape: `createTable(table, foreignKeys?)` → `Compiled` with `params: []`.
 * Foreign keys are rendered only when passed (a table alone cannot tell whether their
 * targets exist yet); `createAll` passes the ones it can, and adds the rest later.
 * Defaults: a constant through `literal`; `defaultNow()` as `now()` for timestamptz,
 * `(now() AT TIME ZONE 'UTC')` for a timestamp without time zone (origami writes and
 * reads those as UTC), `current_date` for a date; `defaultRandom()` as
 * `gen_random_uuid()`; `defaultSql(e)` as `(e)`, the trusted text in parentheses.
 * Errors: throws `TypeError` naming the table and column for a default that cannot be
 *   rendered (see `literal`), a type with invalid numbers (see `sqlTypeName`), an
 *   identifier `quoteIdent` rejects, or a foreign key of another table.
 * Source: PostgreSQL "CREATE TABLE"; DESIGN.md § Models.
 *
 * @example
 * createTable(authors).text
 * // CREATE TABLE "authors" (
 * //   "id" serial NOT NULL,
 * //   "name" varchar(50) NOT NULL,
 * //   CONSTRAINT "authors_pkey" PRIMARY KEY ("id")
 * // )
 * @category destructors
 * @since 0.1.0
 */
export const createTable = (t: AnyTable, foreignKeys: ReadonlyArray<ForeignKeyConstraint> = []): Compiled => {
  const spec: TableSpec = t.$spec
  const cols = (fields: ReadonlyArray<string>) => fields.map((f) => spec.columnNames[f]!)
  const constraints = new Map<string, string>()
  if (spec.primaryKey.length > 0) {
    constraints.set(`${spec.name}_pkey`, `PRIMARY KEY ${columnList(cols(spec.primaryKey))}`)
  }
  for (const group of spec.unique) {
    // the same group declared twice (`.unique()` and `options.unique`) is one constraint
    constraints.set(`${spec.name}_${cols(group).join('_')}_key`, `UNIQUE ${columnList(cols(group))}`)
  }
  const lines = [
    ...spec.fields.map((f) => columnLine(spec, f)),
    ...[...constraints].map(([name, body]) => `CONSTRAINT ${quoteIdent(name)} ${body}`),
    ...(spec.checks ?? []).map((c) => `CONSTRAINT ${quoteIdent(c.name)} CHECK (${c.expression})`),
    ...foreignKeys.map((fk) => {
      if (fk.table !== spec.name) {
        throw new TypeError(`createTable ${spec.name}: foreign key ${fk.name} belongs to table ${fk.table}`)
      }
      return foreignKeyClause(fk)
    }),
  ]
  const body = lines.length === 0 ? '()' : `(\n${lines.map((l) => `  ${l}`).join(',\n')}\n)`
  return compiled(`CREATE TABLE ${quoteIdent(spec.name)} ${body}`)
}

/**
 * `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …`: a foreign key added after both tables
 * exist (how `createAll` closes a cycle of foreign keys).
 *
 * Shape: `addForeignKey(fk)` → `Compiled` with `params: []`.
 * Errors: throws `TypeError` for an identifier `quoteIdent` rejects or an unknown action.
 * Source: PostgreSQL "ALTER TABLE"; SQLAlchemy `use_alter`.
 * @category destructors
 * @since 0.1.0
 */
export const addForeignKey = (fk: ForeignKeyConstraint): Compiled =>
  compiled(`ALTER TABLE ${quoteIdent(fk.table)} ADD ${foreignKeyClause(fk)}`)

/**
 * `CREATE [UNIQUE] INDEX "<name>" ON "<table>" (…)` for one of a table's indexes.
 *
 * Shape: `createIndex(table)(index)` → `Compiled`; data-last, so
 * `table.$spec.indexes.map(createIndex(table))`.
 * Errors: throws `TypeError` for a field the table lacks or an identifier `quoteIdent` rejects.
 * Source: PostgreSQL "CREATE INDEX"; PERFORMANCE.md (an index per foreign key).
 * @category destructors
 * @since 0.1.0
 */
export const createIndex =
  (t: AnyTable) =>
  (index: IndexSpec): Compiled => {
    const spec: TableSpec = t.$spec
    const columns = index.fields.map((f) => {
      const c = spec.columnNames[f]
      if (c === undefined) throw new TypeError(`index ${index.name}: table ${spec.name} has no field "${f}"`)
      return c
    })
    const kind = index.unique ? 'UNIQUE INDEX' : 'INDEX'
    return compiled(
      `CREATE ${kind} ${quoteIdent(index.name)} ON ${quoteIdent(spec.name)} ${columnList(columns)}`,
    )
  }

/**
 * `DROP TABLE IF EXISTS "<table>" CASCADE`.
 *
 * Shape: `dropTable(table)` → `Compiled`. `CASCADE` also drops the foreign-key
 * constraints of other tables that point at this one (not those tables), and views on it.
 * Errors: throws `TypeError` for a name `quoteIdent` rejects.
 * Source: PostgreSQL "DROP TABLE".
 * @category destructors
 * @since 0.1.0
 */
export const dropTable = (t: AnyTable): Compiled =>
  compiled(`DROP TABLE IF EXISTS ${quoteIdent(t.$spec.name)} CASCADE`)

/**
 * Every statement that creates a schema's tables, in an order that runs: the seeds'
 * `db.create_all()`.
 *
 * Shape: `createAll(schema, existing?)` → `ReadonlyArray<Compiled>`: one `CREATE TABLE` per table in
 * foreign-key order (`foreignKeyOrder`), each with the foreign keys whose target already
 * exists or is the table itself inline; then `ALTER TABLE … ADD CONSTRAINT` for the rest
 * (the keys of a cycle, such as users.favorite_post_id ↔ posts.user_id); then every index
 * of `TableSpec.indexes` (one per foreign-key column unless `index(false)`). Tables whose
 * SQL names are in `existing` are left alone, as SQLAlchemy's `create_all` (checkfirst)
 * does; `existingTables` finds them.
 * Errors: throws `TypeError` as `createTable` does; never for a valid schema whose
 *   defaults are renderable.
 * Source: SQLAlchemy `MetaData.create_all` (`use_alter` for cycles); PERFORMANCE.md.
 * @category destructors
 * @since 0.1.0
 */
export const createAll = (
  s: AnySchema,
  existing: ReadonlySet<string> = new Set(),
): ReadonlyArray<Compiled> => {
  const isNew = (key: string) => !existing.has(s.tables[key]!.$spec.name)
  const order = foreignKeyOrder(s).order.filter(isNew)
  const toSql = foreignKeyConstraint(s)
  const created = new Set<string>(Object.keys(s.tables).filter((k) => !isNew(k)))
  const tables: Compiled[] = []
  const deferred: Compiled[] = []
  for (const key of order) {
    const own = s.foreignKeys.filter((fk) => fk.table === key)
    const ready = (fk: ForeignKey) => fk.target === key || created.has(fk.target)
    tables.push(createTable(s.tables[key]!, own.filter(ready).map(toSql)))
    deferred.push(...own.filter((fk) => !ready(fk)).map((fk) => addForeignKey(toSql(fk))))
    created.add(key)
  }
  const indexes = order.flatMap((key) => {
    const t: AnyTable = s.tables[key]!
    return t.$spec.indexes.map(createIndex(t))
  })
  return Object.freeze([...tables, ...deferred, ...indexes])
}

/**
 * Every statement that drops a schema's tables: the seeds' `db.drop_all()`.
 *
 * Shape: `dropAll(schema)` → `ReadonlyArray<Compiled>`: `DROP TABLE IF EXISTS … CASCADE`
 * per table, in reverse foreign-key order. `IF EXISTS` makes it safe on an empty
 * database, so `dropAll` then `createAll` can run again and again; `CASCADE` drops the
 * foreign-key constraints that still point at a table, which makes cycles safe (and
 * also drops those of tables outside the schema, and views on the tables).
 * Errors: throws `TypeError` only for a table name `quoteIdent` rejects.
 * Source: SQLAlchemy `MetaData.drop_all`; PostgreSQL "DROP TABLE".
 * @category destructors
 * @since 0.1.0
 */
export const dropAll = (s: AnySchema): ReadonlyArray<Compiled> =>
  Object.freeze([...foreignKeyOrder(s).order].reverse().map((key) => dropTable(s.tables[key]!)))

/**
 * The statement that lists which of the given tables exist in the current schema.
 *
 * Shape: `existingTables(names)` → `Compiled` returning rows `{ tablename }`.
 * Source: PostgreSQL `pg_catalog.pg_tables`.
 * @category destructors
 * @since 0.1.0
 */
export const existingTables = (names: ReadonlyArray<string>): Compiled =>
  compiled(
    'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ANY($1::text[])',
    [names],
  )
