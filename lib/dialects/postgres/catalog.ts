/**
 * The catalog: what a database schema holds (tables, columns, keys, constraints and
 * indexes) as frozen plain data, in PostgreSQL's own spelling. Both sides of a migration
 * diff have this shape: the live database read by `introspect`, and the schema value
 * rendered by `createAll` into a scratch schema and read back the same way — so types,
 * defaults and check expressions compare as PostgreSQL normalises them, never as strings
 * origami would have to guess.
 *
 * @since 0.1.0
 */
import type { ReferentialAction } from '../../schema/column.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One column.
 * Shape: `{ name: 'title', type: 'character varying(50)', nullable: false, default: undefined, serial: false }`.
 * `type` is `format_type` output; `default` is `pg_get_expr` output, undefined for none and
 * for a serial column (whose `nextval(…)` depends on the sequence's name, not the model).
 * @category models
 * @since 0.1.0
 */
export interface CatalogColumn {
  readonly name: string
  readonly type: string
  readonly nullable: boolean
  readonly default: string | undefined
  /** Filled from a sequence the column owns (`serial`, `bigserial`). */
  readonly serial: boolean
}

/**
 * A named constraint over columns: a primary key or a unique constraint.
 * @category models
 * @since 0.1.0
 */
export interface CatalogKey {
  readonly name: string
  /** Column names, in key order. */
  readonly columns: ReadonlyArray<string>
}

/**
 * A foreign-key constraint.
 * @category models
 * @since 0.1.0
 */
export interface CatalogForeignKey {
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly targetTable: string
  readonly targetColumns: ReadonlyArray<string>
  readonly onDelete: ReferentialAction
  readonly onUpdate: ReferentialAction
}

/**
 * An index that backs no constraint. `columns` holds column names, or the expression of
 * an expression column; `definition` is `pg_get_indexdef` output, used to recreate an
 * index that is not a plain list of columns (partial or expression indexes).
 * @category models
 * @since 0.1.0
 */
export interface CatalogIndex {
  readonly name: string
  readonly columns: ReadonlyArray<string>
  readonly unique: boolean
  /** Whether the index is a plain list of columns (no expression, no `WHERE`). */
  readonly plain: boolean
  readonly definition: string
}

/**
 * A `CHECK` constraint; `expression` is the inside of `pg_get_constraintdef`'s `CHECK (…)`.
 * @category models
 * @since 0.1.0
 */
export interface CatalogCheck {
  readonly name: string
  readonly expression: string
}

/**
 * One table, its columns in column order and its constraints sorted by name.
 * @category models
 * @since 0.1.0
 */
export interface CatalogTable {
  readonly name: string
  readonly columns: ReadonlyArray<CatalogColumn>
  readonly primaryKey: CatalogKey | undefined
  readonly uniques: ReadonlyArray<CatalogKey>
  readonly foreignKeys: ReadonlyArray<CatalogForeignKey>
  readonly indexes: ReadonlyArray<CatalogIndex>
  readonly checks: ReadonlyArray<CatalogCheck>
}

/**
 * The tables of one database schema (namespace), sorted by name.
 * @category models
 * @since 0.1.0
 */
export interface Catalog {
  /** The database schema read, e.g. `public`. */
  readonly schema: string
  readonly tables: ReadonlyArray<CatalogTable>
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The table of a catalog with this name, if any.
 * Shape: `findTable(name)(catalog)` → `CatalogTable | undefined`. Errors: none.
 * @category destructors
 * @since 0.1.0
 */
export const findTable =
  (name: string) =>
  (catalog: Catalog): CatalogTable | undefined =>
    catalog.tables.find((t) => t.name === name)

/**
 * A catalog without the named tables (e.g. the migrations' own revision table).
 * Shape: `withoutTables(names)(catalog)` → `Catalog`. Errors: none.
 * @category combinators
 * @since 0.1.0
 */
export const withoutTables =
  (names: ReadonlyArray<string>) =>
  (catalog: Catalog): Catalog =>
    Object.freeze({
      ...catalog,
      tables: Object.freeze(catalog.tables.filter((t) => !names.includes(t.name))),
    })
