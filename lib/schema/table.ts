/**
 * Table values: a name, its columns and table-level constraints, as one frozen object.
 *
 * `table('books', { id: serial().primaryKey(), … })` returns the table's metadata under
 * `$`-prefixed keys and each column bound to the table under its field name, so that
 * `books.authorId` can be named in a foreign key or a query. The inferred `Row`,
 * `Insert`, `Patch` and `Key` types are computed once, as phantom fields, rather than
 * at every use (drizzle's `$inferSelect` idea), which keeps type-checking cheap.
 *
 * @since 0.1.0
 */
import {
  type AnyColumn,
  type ColumnRef,
  type ColumnSpec,
  type ColumnValue,
  type IsForeignKey,
  type IsOptionalOnInsert,
  type IsPrimaryKey,
  snakeCase,
} from './column.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An index declared on a table. @category models */
export interface IndexSpec {
  readonly name: string
  /** Fields, in index order. */
  readonly fields: ReadonlyArray<string>
  readonly unique: boolean
}

/** The plain data of a table: what DDL, codecs and the session read. @category models */
export interface TableSpec {
  /** SQL table name (always explicit). */
  readonly name: string
  /** Field names in declaration order. */
  readonly fields: ReadonlyArray<string>
  /** Column data by field name. */
  readonly columns: Readonly<Record<string, ColumnSpec>>
  /** SQL column name by field name. */
  readonly columnNames: Readonly<Record<string, string>>
  /** Primary-key fields, in declaration order (empty when the table has none). */
  readonly primaryKey: ReadonlyArray<string>
  /** Unique constraints as groups of fields (single-column `unique()` included). */
  readonly unique: ReadonlyArray<ReadonlyArray<string>>
  /** Secondary indexes, including the implicit one per foreign-key column. */
  readonly indexes: ReadonlyArray<IndexSpec>
  /** `CHECK` constraints, each a name and a trusted SQL boolean expression (absent: none). */
  readonly checks?: ReadonlyArray<CheckSpec>
  /** The SQL name the table had before, for migrations (absent: never renamed). */
  readonly renamedFrom?: string | undefined
}

/** A `CHECK` constraint: its name and a SQL boolean expression, written into DDL as is. @category models */
export interface CheckSpec {
  readonly name: string
  readonly expression: string
}

/** Table-level options: composite keys and constraints spanning columns. @category models */
export interface TableOptions<F extends string> {
  /** A composite primary key, as an alternative to marking each column `.primaryKey()`. */
  readonly primaryKey?: ReadonlyArray<F>
  /** Composite unique constraints. */
  readonly unique?: ReadonlyArray<ReadonlyArray<F>>
  /** Extra indexes. */
  readonly indexes?: ReadonlyArray<{
    readonly fields: ReadonlyArray<F>
    readonly unique?: boolean
    readonly name?: string
  }>
  /**
   * `CHECK` constraints by name: `{ books_price_positive: 'price > 0' }`. The expression is
   * trusted SQL (column names as in SQL), written into `CREATE TABLE` as is.
   */
  readonly checks?: Readonly<Record<string, string>>
  /**
   * The SQL name the table had before: `origami db migrate` then writes
   * `ALTER TABLE … RENAME TO` instead of a drop and a create. Renames are never guessed.
   */
  readonly renamedFrom?: string
}

type Simplify<A> = { [K in keyof A]: A[K] } & {}

type RowOf<C> = { readonly [K in keyof C]: ColumnValue<C[K]> }
type RequiredInsertKeys<C> = { [K in keyof C]: IsOptionalOnInsert<C[K]> extends true ? never : K }[keyof C]
type OptionalInsertKeys<C> = { [K in keyof C]: IsOptionalOnInsert<C[K]> extends true ? K : never }[keyof C]
type InsertOf<C> = Simplify<
  { readonly [K in RequiredInsertKeys<C>]: ColumnValue<C[K]> } & {
    readonly [K in OptionalInsertKeys<C>]?: ColumnValue<C[K]>
  }
>
// what `add` takes: as Insert, but a foreign key may hold a ref instead of a key, and
// may be left out (a relationship or a parent's nesting sets it; the codec checks at run time)
type AddRequiredKeys<C> = {
  [K in keyof C]: IsOptionalOnInsert<C[K]> extends true ? never : IsForeignKey<C[K]> extends true ? never : K
}[keyof C]
type AddOptionalKeys<C> = Exclude<keyof C, AddRequiredKeys<C>>
type AddValue<C, R> = IsForeignKey<C> extends true ? ColumnValue<C> | R : ColumnValue<C>
type AddOf<C, R> = Simplify<
  { readonly [K in AddRequiredKeys<C>]: AddValue<C[K], R> } & {
    readonly [K in AddOptionalKeys<C>]?: AddValue<C[K], R>
  }
>
type KeyFields<C> = { [K in keyof C]: IsPrimaryKey<C[K]> extends true ? K : never }[keyof C]
type PatchOf<C> = { readonly [K in Exclude<keyof C, KeyFields<C>>]?: ColumnValue<C[K]> }
type IsUnion<A, B = A> = A extends unknown ? ([B] extends [A] ? false : true) : never
type KeyOf<C> = [KeyFields<C>] extends [never]
  ? never
  : IsUnion<KeyFields<C>> extends true
    ? Simplify<{ readonly [K in KeyFields<C>]: ColumnValue<C[K]> }>
    : ColumnValue<C[KeyFields<C>]>

/**
 * A table value. Metadata sits under `$`-prefixed keys; every column is bound under its
 * field name (`books.title` is a `ColumnRef`).
 * @category models
 */
export type Table<
  N extends string = string,
  C extends Record<string, AnyColumn> = Record<string, AnyColumn>,
> = {
  readonly _tag: 'Table'
  readonly $name: N
  readonly $spec: TableSpec
  readonly $columns: C
  /** Phantom: the row type a select returns. */
  readonly $inferRow?: Simplify<RowOf<C>>
  /** Phantom: what an insert takes (nullable and defaulted columns optional). */
  readonly $inferInsert?: InsertOf<C>
  /** Phantom: what an update takes (every non-key column optional). */
  readonly $inferPatch?: Simplify<PatchOf<C>>
  /** Phantom: the primary key (a value, or an object for a composite key). */
  readonly $inferKey?: KeyOf<C>
  /** Phantom: the column fields `add` takes (foreign keys optional, and a ref allowed there). */
  readonly $inferAdd?: AddOf<C, { readonly _tag: 'Ref'; readonly table: string; readonly id: string }>
} & { readonly [K in keyof C & string]: ColumnRef<N, K, C[K]> }

/** Any table: what functions that accept every table take. @category models */
export interface AnyTable {
  readonly _tag: 'Table'
  readonly $name: string
  readonly $spec: TableSpec
  readonly $columns: Readonly<Record<string, AnyColumn>>
  readonly $inferRow?: any
  readonly $inferInsert?: any
  readonly $inferPatch?: any
  readonly $inferKey?: any
  readonly $inferAdd?: any
  readonly [field: string]: unknown
}

/** What a select of the whole table returns. @category utility types */
export type Row<T extends AnyTable> = NonNullable<T['$inferRow']>
/** What `add` takes: nullable and defaulted columns optional. @category utility types */
export type Insert<T extends AnyTable> = NonNullable<T['$inferInsert']>
/** What `update` takes: every column but the primary key, all optional. @category utility types */
export type Patch<T extends AnyTable> = NonNullable<T['$inferPatch']>
/** A primary key: the value of a single-column key, an object for a composite one. @category utility types */
export type Key<T extends AnyTable> = NonNullable<T['$inferKey']>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const reserved = new Set(['_tag'])

/**
 * Declares a table.
 *
 * Shape: `table(name, { field: column, … }, options?)` → `Table<name, columns>`.
 * Field names are TypeScript's; a column's SQL name is the one given to its constructor,
 * else the snake_case of the field (`authorId` → `author_id`).
 * Errors: throws `TypeError` for a field named `_tag` or starting with `$` (they would
 * shadow the table's metadata) and for an option naming an unknown field — programming
 * mistakes caught when the module loads. Relationship checks happen in `schema()`.
 * Source: DESIGN.md § Models; SQLAlchemy `Table`/declarative columns.
 *
 * @example
 * const authors = table('authors', { id: serial().primaryKey(), name: varchar(50).notNull() })
 * @category constructors
 * @since 0.1.0
 */
export const table = <N extends string, C extends Record<string, AnyColumn>>(
  name: N,
  columns: C,
  options: TableOptions<keyof C & string> = {},
): Table<N, C> => {
  const fields = Object.keys(columns)
  for (const f of fields) {
    if (reserved.has(f) || f.startsWith('$')) {
      throw new TypeError(`table ${name}: field name "${f}" is reserved (no "_tag", no leading "$")`)
    }
  }
  const known = (f: string, where: string): string => {
    if (!fields.includes(f)) throw new TypeError(`table ${name}: ${where} names unknown field "${f}"`)
    return f
  }
  const specs: Record<string, ColumnSpec> = {}
  const columnNames: Record<string, string> = {}
  for (const f of fields) {
    const spec = columns[f]!.spec
    const pk = options.primaryKey?.includes(f) ?? false
    specs[f] = Object.freeze(pk ? { ...spec, primaryKey: true, nullable: false } : spec)
    columnNames[f] = spec.name ?? snakeCase(f)
  }
  for (const f of options.primaryKey ?? []) known(f, 'primaryKey')
  // an explicit composite key keeps its given order (it decides the key index's leading column)
  const primaryKey =
    options.primaryKey !== undefined ? [...options.primaryKey] : fields.filter((f) => specs[f]!.primaryKey)
  const unique = [
    ...fields.filter((f) => specs[f]!.unique).map((f) => Object.freeze([f])),
    ...(options.unique ?? []).map((g) => Object.freeze(g.map((f) => known(f, 'unique')))),
  ]
  const fkIndexes = fields
    .filter((f) => specs[f]!.references !== undefined && specs[f]!.index !== false)
    // the leading column of the primary key is indexed already
    .filter((f) => primaryKey[0] !== f)
    .map((f) => ({ name: `${name}_${columnNames[f]}_idx`, fields: [f], unique: false }))
  const explicitIndexes = fields
    .filter((f) => specs[f]!.references === undefined && specs[f]!.index === true)
    .map((f) => ({ name: `${name}_${columnNames[f]}_idx`, fields: [f], unique: false }))
  const declared = (options.indexes ?? []).map((ix) => ({
    name: ix.name ?? `${name}_${ix.fields.map((f) => columnNames[known(f, 'index')]).join('_')}_idx`,
    fields: ix.fields,
    unique: ix.unique ?? false,
  }))
  const spec: TableSpec = Object.freeze({
    name,
    fields: Object.freeze(fields),
    columns: Object.freeze(specs),
    columnNames: Object.freeze(columnNames),
    primaryKey: Object.freeze(primaryKey),
    unique: Object.freeze(unique),
    indexes: Object.freeze([...fkIndexes, ...explicitIndexes, ...declared].map((ix) => Object.freeze(ix))),
    checks: Object.freeze(
      Object.entries(options.checks ?? {}).map(([n, expression]) => Object.freeze({ name: n, expression })),
    ),
    renamedFrom: options.renamedFrom,
  })
  const bound: Record<string, ColumnRef> = {}
  for (const f of fields) {
    bound[f] = Object.freeze({
      _tag: 'ColumnRef',
      table: name,
      field: f,
      column: columnNames[f]!,
      def: columns[f]!,
    })
  }
  return Object.freeze({ _tag: 'Table', $name: name, $spec: spec, $columns: columns, ...bound }) as Table<
    N,
    C
  >
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** The primary key of a row as an object of key fields (composite or not). @category destructors */
export const keyOf = (
  spec: TableSpec,
  row: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> => {
  const out: Record<string, unknown> = {}
  for (const f of spec.primaryKey) out[f] = row[f]
  return out
}

/**
 * Normalises a user-given key (`1` for a single-column key, `{ a, b }` for a composite
 * one) to an object of key fields, or `undefined` when its shape does not fit the table.
 * @category destructors
 */
export const normaliseKey = (
  spec: TableSpec,
  key: unknown,
): Readonly<Record<string, unknown>> | undefined => {
  if (spec.primaryKey.length === 0) return undefined
  if (spec.primaryKey.length === 1) {
    const f = spec.primaryKey[0]!
    if (key !== null && typeof key === 'object' && !(key instanceof Date) && f in (key as object)) {
      return { [f]: (key as Record<string, unknown>)[f] }
    }
    return { [f]: key }
  }
  if (key === null || typeof key !== 'object') return undefined
  const k = key as Record<string, unknown>
  if (!spec.primaryKey.every((f) => f in k)) return undefined
  return keyOf(spec, k)
}

/** A stable text form of a key, for maps and messages: `1`, `(1, 2)`. @category destructors */
export const keyText = (spec: TableSpec, key: Readonly<Record<string, unknown>>): string => {
  const parts = spec.primaryKey.map((f) => {
    const v = key[f]
    return v instanceof Date ? v.toISOString() : typeof v === 'string' ? JSON.stringify(v) : String(v)
  })
  return parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`
}
