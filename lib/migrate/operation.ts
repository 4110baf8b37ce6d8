/**
 * Migration operations: the steps of a revision's `upgrade` and `downgrade`, as plain
 * data written into revision files (`{ op: 'addColumn', table: 'users', column: { … } }`)
 * or a raw SQL string. They name SQL objects in PostgreSQL's spelling (table and column
 * names as in the database, types as `format_type` writes them), so a file reads like
 * the DDL it becomes; `dialects/postgres/alter.ts` renders them.
 *
 * Every generated operation carries what is needed to undo it (a dropped column keeps
 * its definition, a changed default its previous value), so `invert` is total and a
 * generated downgrade is exact.
 *
 * @since 0.1.0
 */
import type { ReferentialAction } from '../schema/column.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A column as an operation writes it. `type` is SQL (`'character varying(50)'`,
 * `'serial'`); `notNull` and `default` are omitted when absent; `default` is SQL text.
 * @category models
 * @since 0.1.0
 */
export interface ColumnDef {
  readonly name: string
  readonly type: string
  readonly notNull?: boolean
  readonly default?: string
}

/** A named key over columns (primary key or unique constraint). @category models @since 0.1.0 */
export interface KeyDef {
  readonly name: string
  readonly columns: ReadonlyArray<string>
}

/** A foreign key; actions omitted mean `no action`. @category models @since 0.1.0 */
export interface ForeignKeyDef {
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly targetTable: string
  readonly targetColumns: ReadonlyArray<string>
  readonly onDelete?: ReferentialAction
  readonly onUpdate?: ReferentialAction
}

/** An index; `definition` (a whole `CREATE INDEX` statement) replaces `columns` when given. @category models @since 0.1.0 */
export interface IndexDef {
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly unique?: boolean
  readonly definition?: string
}

/** A `CHECK` constraint; `expression` is SQL. @category models @since 0.1.0 */
export interface CheckDef {
  readonly name: string
  readonly expression: string
}

/** A whole table, as `createTable` and `dropTable` carry it. @category models @since 0.1.0 */
export interface TableDef {
  readonly table: string
  readonly columns: ReadonlyArray<ColumnDef>
  readonly primaryKey?: KeyDef
  readonly uniques?: ReadonlyArray<KeyDef>
  readonly checks?: ReadonlyArray<CheckDef>
  readonly foreignKeys?: ReadonlyArray<ForeignKeyDef>
}

type On = { readonly table: string }
type OnColumn = On & { readonly column: string }

/**
 * One step of a revision. A plain string is a raw SQL statement; `{ op: 'sql', sql,
 * destructive }` is one that names what it destroys (`['users.email']`).
 * @category models
 * @since 0.1.0
 */
export type Operation =
  | string
  | ({ readonly op: 'createTable' } & TableDef)
  | ({ readonly op: 'dropTable' } & TableDef)
  | { readonly op: 'renameTable'; readonly from: string; readonly to: string }
  | ({ readonly op: 'addColumn' } & On & { readonly column: ColumnDef })
  | ({ readonly op: 'dropColumn' } & On & { readonly column: ColumnDef })
  | ({ readonly op: 'renameColumn' } & On & { readonly from: string; readonly to: string })
  | ({ readonly op: 'alterColumnType' } & OnColumn & {
        readonly from: string
        readonly to: string
        /** SQL converting the old value; default `"column"::to`. */
        readonly using?: string
      })
  | ({ readonly op: 'setNotNull' } & OnColumn & {
        /** First set NULLs to the column's default (`UPDATE … SET c = DEFAULT WHERE c IS NULL`). */
        readonly backfill?: boolean
      })
  | ({ readonly op: 'dropNotNull' } & OnColumn)
  | ({ readonly op: 'setDefault' } & OnColumn & { readonly default: string; readonly previous?: string })
  | ({ readonly op: 'dropDefault' } & OnColumn & { readonly previous?: string })
  | ({ readonly op: 'addPrimaryKey' } & On & KeyDef)
  | ({ readonly op: 'dropPrimaryKey' } & On & KeyDef)
  | ({ readonly op: 'addUnique' } & On & KeyDef)
  | ({ readonly op: 'dropUnique' } & On & KeyDef)
  | ({ readonly op: 'addForeignKey' } & On & ForeignKeyDef)
  | ({ readonly op: 'dropForeignKey' } & On & ForeignKeyDef)
  | ({ readonly op: 'createIndex' } & On & IndexDef)
  | ({ readonly op: 'dropIndex' } & On & IndexDef)
  | ({ readonly op: 'addCheck' } & On & CheckDef)
  | ({ readonly op: 'dropCheck' } & On & CheckDef)
  | { readonly op: 'sql'; readonly sql: string; readonly destructive?: ReadonlyArray<string> }

/** The structured operations (every `Operation` but a raw string). @category models @since 0.1.0 */
export type StructuredOperation = Exclude<Operation, string>

/** The `op` names. @category models @since 0.1.0 */
export type OperationKind = StructuredOperation['op']

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const intFamily = ['smallint', 'integer', 'bigint']

const varchar = /^character varying\((\d+)\)$/
const numeric = /^numeric\((\d+),(\d+)\)$/

/**
 * Whether changing a column from type `from` to `to` cannot lose or reject a value
 * (a widening): a larger integer, `real` → `double precision`, an integer → unconstrained
 * `numeric`, a longer `varchar`, `varchar` → `text`, more numeric digits on both sides.
 * Any other change is treated as narrowing (it may fail or lose data).
 * Shape: `(from, to)` → boolean. Units: varchar lengths count characters.
 * Source: PostgreSQL "Data Types" (ranges of each type).
 * @category destructors
 * @since 0.1.0
 */
export const isWidening = (from: string, to: string): boolean => {
  if (from === to) return true
  const fi = intFamily.indexOf(from)
  const ti = intFamily.indexOf(to)
  if (fi >= 0 && ti >= 0) return ti >= fi
  if (fi >= 0 && (to === 'numeric' || to === 'double precision')) return to === 'numeric' || fi < 2
  if (from === 'real' && to === 'double precision') return true
  const fv = varchar.exec(from)
  if (fv !== null) {
    if (to === 'text' || to === 'character varying') return true
    const tv = varchar.exec(to)
    return tv !== null && Number(tv[1]) >= Number(fv[1])
  }
  if (from === 'character varying' && to === 'text') return true
  const fn = numeric.exec(from)
  const tn = numeric.exec(to)
  if (fn !== null && to === 'numeric') return true
  if (fn !== null && tn !== null) {
    const [fp, fs, tp, ts] = [Number(fn[1]), Number(fn[2]), Number(tn[1]), Number(tn[2])]
    return ts >= fs && tp - ts >= fp - fs
  }
  return false
}

/**
 * What an operation destroys, as names for `--allow-destructive`: a dropped table
 * (`books`), a dropped column or a narrowed type (`users.email`), the `destructive`
 * names of a `sql` operation. Empty for every other operation, and for a raw string.
 * Shape: `Operation` → `ReadonlyArray<string>`. Errors: none.
 * Source: issue 6 (drop table, drop column, narrowing a type).
 * @category destructors
 * @since 0.1.0
 */
export const destroys = (o: Operation): ReadonlyArray<string> => {
  if (typeof o === 'string') return []
  switch (o.op) {
    case 'dropTable':
      return [o.table]
    case 'dropColumn':
      return [`${o.table}.${o.column.name}`]
    case 'alterColumnType':
      return isWidening(o.from, o.to) ? [] : [`${o.table}.${o.column}`]
    case 'sql':
      return o.destructive ?? []
    default:
      return []
  }
}

/**
 * A short human description of an operation: `add column users.email`.
 * Shape: `Operation` → string. Errors: none.
 * @category destructors
 * @since 0.1.0
 */
export const describe = (o: Operation): string => {
  if (typeof o === 'string') return `run SQL: ${o.split('\n')[0]!.slice(0, 60)}`
  switch (o.op) {
    case 'createTable':
      return `create table ${o.table}`
    case 'dropTable':
      return `drop table ${o.table}`
    case 'renameTable':
      return `rename table ${o.from} to ${o.to}`
    case 'addColumn':
      return `add column ${o.table}.${o.column.name} (${o.column.type}${o.column.notNull ? ' not null' : ''})`
    case 'dropColumn':
      return `drop column ${o.table}.${o.column.name}`
    case 'renameColumn':
      return `rename column ${o.table}.${o.from} to ${o.to}`
    case 'alterColumnType':
      return `change type of ${o.table}.${o.column} from ${o.from} to ${o.to}`
    case 'setNotNull':
      return `make ${o.table}.${o.column} not null${o.backfill ? ' (nulls set to the default first)' : ''}`
    case 'dropNotNull':
      return `make ${o.table}.${o.column} nullable`
    case 'setDefault':
      return `set default of ${o.table}.${o.column} to ${o.default}`
    case 'dropDefault':
      return `drop default of ${o.table}.${o.column}`
    case 'addPrimaryKey':
    case 'addUnique':
    case 'dropPrimaryKey':
    case 'dropUnique': {
      const verb = o.op.startsWith('add') ? 'add' : 'drop'
      const what = o.op.endsWith('PrimaryKey') ? 'primary key' : 'unique'
      return `${verb} ${what} ${o.name} on ${o.table} (${o.columns.join(', ')})`
    }
    case 'addForeignKey':
    case 'dropForeignKey':
      return `${o.op === 'addForeignKey' ? 'add' : 'drop'} foreign key ${o.table} (${o.columns.join(', ')}) → ${o.targetTable}${o.onDelete && o.onDelete !== 'no action' ? ` on delete ${o.onDelete}` : ''}`
    case 'createIndex':
    case 'dropIndex':
      return `${o.op === 'createIndex' ? 'create' : 'drop'} ${o.unique ? 'unique ' : ''}index ${o.name} on ${o.table}`
    case 'addCheck':
    case 'dropCheck':
      return `${o.op === 'addCheck' ? 'add' : 'drop'} check ${o.name} on ${o.table}`
    case 'sql':
      return `run SQL: ${o.sql.split('\n')[0]!.slice(0, 60)}`
  }
}

/**
 * The operation that undoes `o`, or `undefined` for raw SQL (which has no known inverse).
 * Shape: `Operation` → `Operation | undefined`. Errors: none.
 * Source: Alembic autogenerate's downgrade (the reverse of each upgrade op, in reverse order).
 * @category destructors
 * @since 0.1.0
 */
export const invert = (o: Operation): Operation | undefined => {
  if (typeof o === 'string') return undefined
  switch (o.op) {
    case 'createTable':
      return { ...o, op: 'dropTable' }
    case 'dropTable':
      return { ...o, op: 'createTable' }
    case 'renameTable':
      return { op: 'renameTable', from: o.to, to: o.from }
    case 'addColumn':
      return { ...o, op: 'dropColumn' }
    case 'dropColumn':
      return { ...o, op: 'addColumn' }
    case 'renameColumn':
      return { op: 'renameColumn', table: o.table, from: o.to, to: o.from }
    case 'alterColumnType':
      return { op: 'alterColumnType', table: o.table, column: o.column, from: o.to, to: o.from }
    case 'setNotNull':
      return { op: 'dropNotNull', table: o.table, column: o.column }
    case 'dropNotNull':
      return { op: 'setNotNull', table: o.table, column: o.column }
    case 'setDefault':
      return o.previous === undefined
        ? { op: 'dropDefault', table: o.table, column: o.column, previous: o.default }
        : { op: 'setDefault', table: o.table, column: o.column, default: o.previous, previous: o.default }
    case 'dropDefault':
      return o.previous === undefined
        ? undefined
        : { op: 'setDefault', table: o.table, column: o.column, default: o.previous }
    case 'addPrimaryKey':
      return { ...o, op: 'dropPrimaryKey' }
    case 'dropPrimaryKey':
      return { ...o, op: 'addPrimaryKey' }
    case 'addUnique':
      return { ...o, op: 'dropUnique' }
    case 'dropUnique':
      return { ...o, op: 'addUnique' }
    case 'addForeignKey':
      return { ...o, op: 'dropForeignKey' }
    case 'dropForeignKey':
      return { ...o, op: 'addForeignKey' }
    case 'createIndex':
      return { ...o, op: 'dropIndex' }
    case 'dropIndex':
      return { ...o, op: 'createIndex' }
    case 'addCheck':
      return { ...o, op: 'dropCheck' }
    case 'dropCheck':
      return { ...o, op: 'addCheck' }
    case 'sql':
      return undefined
  }
}

/**
 * The downgrade of a list of operations: each inverted, in reverse order.
 * Shape: `ReadonlyArray<Operation>` → `ReadonlyArray<Operation>`; operations without an
 * inverse (raw SQL) are left out. Errors: none.
 * @category destructors
 * @since 0.1.0
 */
export const inverse = (ops: ReadonlyArray<Operation>): ReadonlyArray<Operation> =>
  [...ops].reverse().flatMap((o) => {
    const i = invert(o)
    return i === undefined ? [] : [i]
  })
