/**
 * Type names: how a column's `SqlType` is spelled in DDL, and in casts of bind parameters.
 *
 * @since 0.1.0
 */
import type { SqlType } from '../../schema/column.js'

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const checkInt = (what: string, n: number, min: number, max: number): number => {
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new TypeError(`${what} must be an integer from ${min} to ${max}, got ${String(n)}`)
  }
  return n
}

const numericName = (precision: number | null, scale: number | null): string => {
  if (precision === null) {
    if (scale !== null) throw new TypeError(`numeric scale ${String(scale)} needs a precision`)
    return 'numeric'
  }
  const p = checkInt('numeric precision', precision, 1, 1000)
  // PostgreSQL 15 accepts a scale from −1000 to 1000, independent of the precision
  return scale === null ? `numeric(${p})` : `numeric(${p}, ${checkInt('numeric scale', scale, -1000, 1000)})`
}

const ddlNames: { readonly [K in SqlType['_tag']]: (t: Extract<SqlType, { _tag: K }>) => string } = {
  serial: () => 'serial',
  bigserial: () => 'bigserial',
  integer: () => 'integer',
  bigint: () => 'bigint',
  real: () => 'real',
  doublePrecision: () => 'double precision',
  numeric: (t) => numericName(t.precision, t.scale),
  varchar: (t) => `varchar(${checkInt('varchar length', t.length, 1, 10485760)})`,
  text: () => 'text',
  boolean: () => 'boolean',
  timestamp: (t) => (t.withTimezone ? 'timestamptz' : 'timestamp'),
  date: () => 'date',
  uuid: () => 'uuid',
  jsonb: () => 'jsonb',
}

/**
 * The type of a column as written in `CREATE TABLE`.
 *
 * Shape: `sqlTypeName(sqlType)` → `serial`, `bigserial`, `integer`, `bigint`, `real`,
 * `double precision`, `numeric(p, s)` / `numeric(p)` / `numeric`, `varchar(n)`, `text`,
 * `boolean`, `timestamp` / `timestamptz`, `date`, `uuid`, `jsonb`.
 * Units: numeric precision and scale count decimal digits; varchar length counts characters.
 * Errors: throws `TypeError` for a numeric precision outside 1–1000, a scale outside
 *   −1000–1000 or a scale without a precision, and a varchar length outside 1–10485760:
 *   PostgreSQL would reject the DDL, and the numbers are written into SQL text.
 * Source: PostgreSQL "Data Types" (Numeric Types, Character Types, Date/Time Types).
 *
 * @example
 * sqlTypeName({ _tag: 'numeric', precision: 10, scale: 2 }) // 'numeric(10, 2)'
 * @category destructors
 * @since 0.1.0
 */
export const sqlTypeName = (sqlType: SqlType): string =>
  (ddlNames[sqlType._tag] as (t: SqlType) => string)(sqlType)

const castNames: { readonly [K in SqlType['_tag']]: (t: Extract<SqlType, { _tag: K }>) => string } = {
  serial: () => 'int4',
  bigserial: () => 'int8',
  integer: () => 'int4',
  bigint: () => 'int8',
  real: () => 'float4',
  doublePrecision: () => 'float8',
  numeric: () => 'numeric',
  varchar: () => 'text',
  text: () => 'text',
  boolean: () => 'bool',
  timestamp: (t) => (t.withTimezone ? 'timestamptz' : 'timestamp'),
  date: () => 'date',
  uuid: () => 'uuid',
  jsonb: () => 'jsonb',
}

/**
 * The type to cast a bind parameter to, alone (`$1::int4`) or as an array
 * (`unnest($1::int4[])`, `= any($1::int4[])`).
 *
 * Shape: `castName(sqlType)` → a name that takes a `[]` suffix: serial/integer → `int4`,
 * bigserial/bigint → `int8`, real → `float4`, doublePrecision → `float8`, numeric →
 * `numeric`, varchar/text → `text`, boolean → `bool`, timestamp → `timestamp` /
 * `timestamptz`, date → `date`, uuid → `uuid`, jsonb → `jsonb`.
 * Units: no modifiers — varchar's length and numeric's precision are enforced by the
 * column on assignment (a too-long string still fails there), so one statement text
 * serves every column of a base type.
 * Errors: none.
 * Source: PostgreSQL "Data Types" (internal names), "Arrays"; PERFORMANCE.md (unnest).
 *
 * @example
 * castName({ _tag: 'serial' }) // 'int4'
 * @category destructors
 * @since 0.1.0
 */
export const castName = (sqlType: SqlType): string =>
  (castNames[sqlType._tag] as (t: SqlType) => string)(sqlType)
