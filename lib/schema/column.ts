/**
 * Column values: the SQL type, constraints and defaults of one column, as frozen data.
 *
 * A column is built by a constructor (`integer()`, `varchar(50)`, …) and refined by
 * chaining modifiers (`.notNull()`, `.primaryKey()`, `.references(…)`). Each modifier
 * returns a new frozen column; none mutates. The data lives under `spec`; the methods
 * are only a chaining convenience. Phantom type parameters record what the inferred
 * `Row`/`Insert`/`Patch` types need: the JavaScript type, nullability, whether the
 * database supplies a default, and primary-key membership.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The SQL type of a column, as data. Rendered to SQL only by `dialects/postgres`. @category models */
export type SqlType =
  | { readonly _tag: 'serial' }
  | { readonly _tag: 'bigserial' }
  | { readonly _tag: 'integer' }
  | { readonly _tag: 'bigint' }
  | { readonly _tag: 'real' }
  | { readonly _tag: 'doublePrecision' }
  | { readonly _tag: 'numeric'; readonly precision: number | null; readonly scale: number | null }
  | { readonly _tag: 'varchar'; readonly length: number }
  | { readonly _tag: 'text' }
  | { readonly _tag: 'boolean' }
  | { readonly _tag: 'timestamp'; readonly withTimezone: boolean }
  | { readonly _tag: 'date' }
  | { readonly _tag: 'uuid' }
  | { readonly _tag: 'jsonb' }

/** A column default: a constant, the current time, a random uuid, or a SQL expression. @category models */
export type ColumnDefault =
  | { readonly _tag: 'Value'; readonly value: unknown }
  | { readonly _tag: 'Now' }
  | { readonly _tag: 'RandomUuid' }
  | { readonly _tag: 'Sql'; readonly expression: string }

/** `ON DELETE` / `ON UPDATE` actions of a foreign key (PostgreSQL "Foreign Keys"). @category models */
export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default'

/** A bound column as seen from outside its table: enough to name it in a foreign key or a query. */
export interface ColumnRef<TN extends string = string, F extends string = string, C = AnyColumn> {
  readonly _tag: 'ColumnRef'
  /** The SQL name of the table. */
  readonly table: TN
  /** The TypeScript field name. */
  readonly field: F
  /** The SQL column name. */
  readonly column: string
  readonly def: C
}

/** What `.references()` stores: the target thunk (resolved by `schema()`) and the actions. @category models */
export interface ForeignKeySpec {
  readonly target: () => ColumnRef
  readonly onDelete: ReferentialAction
  readonly onUpdate: ReferentialAction
}

/** The data of a column. @category models */
export interface ColumnSpec {
  readonly sqlType: SqlType
  /** Explicit SQL name, or undefined to derive snake_case from the field name. */
  readonly name: string | undefined
  readonly nullable: boolean
  readonly primaryKey: boolean
  readonly unique: boolean
  readonly default: ColumnDefault | undefined
  readonly references: ForeignKeySpec | undefined
  /** Index a foreign-key column (true by default for foreign keys; `false` opts out). */
  readonly index: boolean | undefined
  /** An optimistic-locking version counter (`version()`). */
  readonly version: boolean
  /**
   * The SQL name this column had before (`.renamedFrom('old')`): migrations turn it into
   * `ALTER TABLE … RENAME COLUMN` instead of a drop and an add. Undefined when never renamed.
   */
  readonly renamedFrom?: string | undefined
}

/**
 * A column value. `T` is the JavaScript type of a non-null value, `N` whether NULL is
 * allowed, `D` whether the database supplies a value when none is given, `P` whether
 * the column is part of the primary key.
 *
 * @category models
 */
export interface Column<
  T,
  N extends boolean,
  D extends boolean,
  P extends boolean = false,
  F extends boolean = false,
> {
  readonly _tag: 'Column'
  readonly spec: ColumnSpec
  /** Phantom: never present at run time. */
  readonly _T?: T
  readonly _N?: N
  readonly _D?: D
  readonly _P?: P
  /** Phantom: whether the column is a foreign key (it may then hold a ref in `add`). */
  readonly _F?: F
  /** Forbids NULL (`NOT NULL`). */
  notNull(): Column<T, false, D, P, F>
  /** Makes the column (part of) the primary key; implies `NOT NULL`. Several columns marked form a composite key. */
  primaryKey(): Column<T, false, D, true, F>
  /** Adds a single-column `UNIQUE` constraint. */
  unique(): Column<T, N, D, P, F>
  /** A constant default, used by the database when an insert gives no value. */
  default(value: T): Column<T, N, true, P, F>
  /** A SQL expression default, e.g. `defaultSql("'draft'")`. The text is trusted: it is written into DDL as is. */
  defaultSql(expression: string): Column<T, N, true, P, F>
  /** `DEFAULT now()` for timestamps (`current_date` for dates). */
  defaultNow(): Column<T, N, true, P, F>
  /** `DEFAULT gen_random_uuid()` for uuid columns. */
  defaultRandom(): Column<T, N, true, P, F>
  /**
   * A foreign key to `target()` (a column of another table, or of this one). The thunk
   * lets tables refer to each other in any order; `schema()` resolves and checks it.
   * An index is created for it unless `index(false)` is chained.
   */
  references(
    target: () => ColumnRef<string, string, any>,
    options?: { readonly onDelete?: ReferentialAction; readonly onUpdate?: ReferentialAction },
  ): Column<T, N, D, P, true>
  /** Whether to create an index on this column (default: true for foreign keys, false otherwise). */
  index(on?: boolean): Column<T, N, D, P, F>
  /**
   * Declares that this column was called `previous` (its SQL name) before, so that
   * `origami db migrate` renames it (`ALTER TABLE … RENAME COLUMN`) rather than dropping it
   * and adding a new one. Renames are never guessed. Harmless once applied: keep it or remove it.
   */
  renamedFrom(previous: string): Column<T, N, D, P, F>
}

/** Any column, whatever its phantom parameters. @category models */
export type AnyColumn = Column<any, boolean, boolean, boolean, boolean>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The spec of a plain column of a type: nullable, no key, default or reference.
 * @category constructors
 */
export const baseSpec = (sqlType: SqlType, name: string | undefined): ColumnSpec => ({
  sqlType,
  name,
  nullable: true,
  primaryKey: false,
  unique: false,
  default: undefined,
  references: undefined,
  index: undefined,
  version: false,
})

const make = <T, N extends boolean, D extends boolean, P extends boolean, F extends boolean = false>(
  spec: ColumnSpec,
): Column<T, N, D, P, F> => {
  const next = (patch: Partial<ColumnSpec>): any => make({ ...spec, ...patch })
  return Object.freeze({
    _tag: 'Column' as const,
    spec: Object.freeze(spec),
    notNull: () => next({ nullable: false }),
    primaryKey: () => next({ primaryKey: true, nullable: false }),
    unique: () => next({ unique: true }),
    default: (value: T) => next({ default: Object.freeze({ _tag: 'Value', value }) }),
    defaultSql: (expression: string) => next({ default: Object.freeze({ _tag: 'Sql', expression }) }),
    defaultNow: () => next({ default: Object.freeze({ _tag: 'Now' }) }),
    defaultRandom: () => next({ default: Object.freeze({ _tag: 'RandomUuid' }) }),
    references: (
      target: () => ColumnRef<string, string, any>,
      options?: { readonly onDelete?: ReferentialAction; readonly onUpdate?: ReferentialAction },
    ) =>
      next({
        references: Object.freeze({
          target,
          onDelete: options?.onDelete ?? 'no action',
          onUpdate: options?.onUpdate ?? 'no action',
        }),
      }),
    index: (on = true) => next({ index: on }),
    renamedFrom: (previous: string) => next({ renamedFrom: previous }),
  })
}

/**
 * `serial`: a 4-byte integer filled from a sequence (SQLAlchemy `Integer, autoincrement`).
 * Shape: `serial(name?)` → `Column<number, false, true>`. Source: PostgreSQL "Serial Types".
 * @category constructors
 * @since 0.1.0
 */
export const serial = (name?: string): Column<number, false, true> =>
  make({ ...baseSpec({ _tag: 'serial' }, name), nullable: false })

/**
 * `bigserial`: an 8-byte integer filled from a sequence. Values are JavaScript `bigint`s.
 * @category constructors
 * @since 0.1.0
 */
export const bigserial = (name?: string): Column<bigint, false, true> =>
  make({ ...baseSpec({ _tag: 'bigserial' }, name), nullable: false })

/**
 * `integer`: 4 bytes, −2^31 … 2^31−1; a value outside is a `DecodeError` before any SQL.
 * @category constructors
 * @since 0.1.0
 */
export const integer = (name?: string): Column<number, true, false> =>
  make(baseSpec({ _tag: 'integer' }, name))

/**
 * `bigint`: 8 bytes, as a JavaScript `bigint` on every driver (never a lossy number).
 * @category constructors
 * @since 0.1.0
 */
export const bigint = (name?: string): Column<bigint, true, false> => make(baseSpec({ _tag: 'bigint' }, name))

/**
 * `real`: 4-byte float (SQLAlchemy `Float(precision<=24)`).
 * @category constructors
 * @since 0.1.0
 */
export const real = (name?: string): Column<number, true, false> => make(baseSpec({ _tag: 'real' }, name))

/**
 * `double precision`: 8-byte float (SQLAlchemy `Float`).
 * @category constructors
 * @since 0.1.0
 */
export const doublePrecision = (name?: string): Column<number, true, false> =>
  make(baseSpec({ _tag: 'doublePrecision' }, name))

/**
 * `numeric(precision, scale)`: exact decimal, carried as a decimal string (`"12.50"`) so
 * that no digit is lost. Units: precision and scale count decimal digits.
 * @category constructors
 * @since 0.1.0
 */
export const numeric = (precision?: number, scale?: number, name?: string): Column<string, true, false> =>
  make(baseSpec({ _tag: 'numeric', precision: precision ?? null, scale: scale ?? null }, name))

/**
 * `varchar(n)` (SQLAlchemy `String(n)`). Units: `n` counts characters (code points), as
 * PostgreSQL's `character varying(n)` does; a longer string is a `DecodeError` at `add`.
 * @category constructors
 * @since 0.1.0
 */
export const varchar = (length: number, name?: string): Column<string, true, false> =>
  make(baseSpec({ _tag: 'varchar', length }, name))

/**
 * `text`: a string of any length (no NUL characters: PostgreSQL rejects them).
 * @category constructors
 * @since 0.1.0
 */
export const text = (name?: string): Column<string, true, false> => make(baseSpec({ _tag: 'text' }, name))

/**
 * `boolean`.
 * @category constructors
 * @since 0.1.0
 */
export const boolean = (name?: string): Column<boolean, true, false> =>
  make(baseSpec({ _tag: 'boolean' }, name))

/**
 * `timestamp` (without time zone by default; `{ withTimezone: true }` for `timestamptz`).
 * Values are JavaScript `Date`s; a timestamp without time zone is read and written as UTC.
 * Units: PostgreSQL keeps microseconds, a `Date` milliseconds.
 * @category constructors
 * @since 0.1.0
 */
export const timestamp = (
  nameOrOptions?: string | { readonly withTimezone?: boolean; readonly name?: string },
  options?: { readonly withTimezone?: boolean },
): Column<Date, true, false> => {
  const opts = typeof nameOrOptions === 'object' ? nameOrOptions : { ...options, name: nameOrOptions }
  return make(baseSpec({ _tag: 'timestamp', withTimezone: opts.withTimezone ?? false }, opts.name))
}

/**
 * `date`: a calendar date, carried as an ISO `YYYY-MM-DD` string (no time zone games).
 * @category constructors
 * @since 0.1.0
 */
export const date = (name?: string): Column<string, true, false> => make(baseSpec({ _tag: 'date' }, name))

/**
 * `uuid`, as a lowercase string; chain `defaultRandom()` for `gen_random_uuid()`.
 * @category constructors
 * @since 0.1.0
 */
export const uuid = (name?: string): Column<string, true, false> => make(baseSpec({ _tag: 'uuid' }, name))

/**
 * `jsonb`: any JSON value; `T` narrows the static type (the codec checks JSON-ness only).
 * @category constructors
 * @since 0.1.0
 */
export const jsonb = <T = unknown>(name?: string): Column<T, true, false> =>
  make(baseSpec({ _tag: 'jsonb' }, name))

/**
 * An optimistic-locking counter: `integer NOT NULL DEFAULT 1`, checked and bumped by
 * every update and delete of the row. Source: SQLAlchemy `version_id_col`.
 * @category constructors
 * @since 0.1.0
 */
export const version = (name?: string): Column<number, false, true> =>
  make({
    ...baseSpec({ _tag: 'integer' }, name),
    nullable: false,
    default: Object.freeze({ _tag: 'Value', value: 1 }),
    version: true,
  })

// -------------------------------------------------------------------------------------
// utility types
// -------------------------------------------------------------------------------------

/** The JavaScript type a column reads as (with `null` when nullable). @category utility types */
export type ColumnValue<C> =
  C extends Column<infer T, infer N, any, any, any> ? (N extends true ? T | null : T) : never

/** Whether an insert may omit the column. @category utility types */
export type IsOptionalOnInsert<C> =
  C extends Column<any, infer N, infer D, any, any>
    ? N extends true
      ? true
      : D extends true
        ? true
        : false
    : never

/** Whether the column is part of the primary key. @category utility types */
export type IsPrimaryKey<C> = C extends Column<any, any, any, infer P, any> ? P : never

/** Whether the column is a foreign key. @category utility types */
export type IsForeignKey<C> = C extends Column<any, any, any, any, infer F> ? F : never

/** snake_case of a camelCase field name: `authorId` → `author_id`. @category utility */
export const snakeCase = (field: string): string =>
  field
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
