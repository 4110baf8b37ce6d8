/**
 * Quoting: identifiers always in double quotes, and constant literals for the one place
 * that cannot take bind parameters, `DEFAULT` clauses in DDL.
 *
 * Every value a query or plan step carries is a bind parameter; `literal` exists only
 * because PostgreSQL does not accept parameters in `CREATE TABLE`.
 *
 * @since 0.1.0
 */
import type { SqlType } from '../../schema/column.js'

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

// a UTF-16 surrogate with no partner: not a character, cannot be encoded as UTF-8
const loneSurrogate = /\p{Surrogate}/u

const preview = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)

/**
 * Quotes an identifier: double quotes around it, inner double quotes doubled.
 *
 * Shape: `quoteIdent('we"ird')` → `"we""ird"`.
 * Units: none checked; PostgreSQL truncates identifiers longer than 63 bytes (NAMEDATALEN − 1).
 * Errors: throws `TypeError` for an empty name, a name containing NUL (PostgreSQL cannot
 *   store it) or a lone UTF-16 surrogate — identifiers come from schema declarations, so
 *   such a name is a programming mistake, caught when the statement is rendered.
 * Source: PostgreSQL "Identifiers and Key Words" (quoted identifiers).
 *
 * @example
 * quoteIdent('author_id') // '"author_id"'
 * @category destructors
 * @since 0.1.0
 */
export const quoteIdent = (name: string): string => {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`quoteIdent: an identifier must be a non-empty string, got ${String(name) || '""'}`)
  }
  if (name.includes('\u0000')) throw new TypeError(`quoteIdent: identifier ${preview(name)} contains NUL`)
  if (loneSurrogate.test(name)) {
    throw new TypeError(`quoteIdent: identifier ${preview(name)} contains a lone UTF-16 surrogate`)
  }
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Quotes a qualified name, each part separately: a schema-qualified table or a
 * table-qualified column.
 *
 * Shape: `quoteQualified(qualifier, name)` → `"qualifier"."name"`.
 * Errors: as `quoteIdent`, for either part.
 * Source: PostgreSQL "Identifiers and Key Words".
 *
 * @example
 * quoteQualified('public', 'books') // '"public"."books"'
 * @category destructors
 * @since 0.1.0
 */
export const quoteQualified = (qualifier: string, name: string): string =>
  `${quoteIdent(qualifier)}.${quoteIdent(name)}`

const quoteString = (s: string): string => {
  if (s.includes('\u0000'))
    throw new TypeError(`literal: cannot render string ${preview(s)}: it contains NUL`)
  if (loneSurrogate.test(s)) {
    throw new TypeError(`literal: cannot render string ${preview(s)}: it contains a lone UTF-16 surrogate`)
  }
  const quoted = s.replaceAll("'", "''")
  // E'' makes the meaning of a backslash independent of standard_conforming_strings
  return s.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`
}

const an = (word: string): string => `${/^[aeio]/i.test(word) ? 'an' : 'a'} ${word}`

/** What a value is, for messages: `undefined`, `a symbol`, `an Array`, `a Map`. */
const kind = (v: unknown): string =>
  v === undefined
    ? 'undefined'
    : typeof v === 'object' && v !== null
      ? an((v.constructor as { name?: string } | undefined)?.name || 'object')
      : an(typeof v)

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Checks that `v` is JSON data exactly as `JSON.stringify` would write it (nothing dropped or coerced). */
const checkJson = (v: unknown, path: string, seen: Set<object>): void => {
  if (v === null || typeof v === 'boolean') return
  if (typeof v === 'string') {
    // jsonb rejects \u0000 in text; a lone surrogate would be written as an escape jsonb rejects too
    if (v.includes('\u0000') || loneSurrogate.test(v)) {
      throw new TypeError(
        `literal: cannot render jsonb ${path}: string ${preview(v)} has NUL or a lone surrogate`,
      )
    }
    return
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`literal: cannot render jsonb ${path}: ${v} is not finite`)
    return
  }
  if (typeof v !== 'object')
    throw new TypeError(`literal: cannot render jsonb ${path}: ${kind(v)} is not JSON`)
  if (seen.has(v)) throw new TypeError(`literal: cannot render jsonb ${path}: the value is circular`)
  if (!Array.isArray(v) && !isPlainObject(v)) {
    throw new TypeError(`literal: cannot render jsonb ${path}: ${kind(v)} is not JSON`)
  }
  seen.add(v)
  const entries: ReadonlyArray<readonly [string, unknown]> = Array.isArray(v)
    ? v.map((x, i) => [`[${i}]`, x] as const)
    : Object.entries(v).map(([k, x]) => [`.${k}`, x] as const)
  for (const [at, x] of entries) checkJson(x, `${path}${at}`, seen)
  seen.delete(v)
}

const isoDate = (d: Date, sqlType: SqlType | undefined): string => {
  const ms = d.getTime()
  if (Number.isNaN(ms)) throw new TypeError('literal: cannot render an invalid Date')
  const iso = d.toISOString()
  const year = d.getUTCFullYear()
  // toISOString writes ±YYYYYY outside 0001–9999, which PostgreSQL does not read
  if (year < 1 || year > 9999) throw new TypeError(`literal: cannot render Date ${iso}: year outside 1–9999`)
  if (sqlType?._tag === 'date') return `'${iso.slice(0, 10)}'::date`
  // a timestamp without time zone holds UTC wall-clock time (see schema/column.ts)
  if (sqlType?._tag === 'timestamp' && !sqlType.withTimezone) return `'${iso.slice(0, -1)}'::timestamp`
  return `'${iso}'::timestamptz`
}

/**
 * Renders a constant as a SQL literal, for `DEFAULT` clauses in DDL only (CREATE TABLE
 * cannot take bind parameters; everything else must use them).
 *
 * Shape: `literal(value, sqlType?)` → SQL text. `sqlType`, the column's type, picks the
 * form where the value alone is ambiguous:
 * - string → `'O''Reilly'`; with a backslash, `E'C:\\dir'` (quotes doubled, backslashes doubled);
 * - finite number → `42`, `-1.5`, `1e+21`; bigint → `9007199254740993`;
 * - boolean → `TRUE` / `FALSE`; `null` → `NULL` (SQL NULL, also for jsonb columns);
 * - Date → `'2024-01-02T03:04:05.678Z'::timestamptz`, or `'2024-01-02T03:04:05.678'::timestamp`
 *   (UTC wall-clock) for a timestamp column without time zone, `'2024-01-02'::date` for a date column;
 * - for a jsonb column (or, with no `sqlType`, a plain object or array): `'{"a":1}'::jsonb`.
 * Units: a Date's milliseconds are kept; years must be 1–9999.
 * Errors: throws `TypeError` naming the value when it cannot be rendered safely: NaN or
 *   ±Infinity, a string with NUL or a lone surrogate, an invalid Date, `undefined`, a
 *   function or symbol, or jsonb data that is not plain JSON (a class instance, a
 *   circular value, a non-finite number inside). `createTable` adds the column's name.
 * Source: PostgreSQL "Lexical Structure" §§ String Constants, "with C-Style Escapes",
 *   Numeric Constants; "JSON Types".
 *
 * @example
 * literal("O'Reilly") // "'O''Reilly'"
 * @category destructors
 * @since 0.1.0
 */
export const literal = (value: unknown, sqlType?: SqlType): string => {
  if (value === null) return 'NULL'
  if (
    sqlType?._tag === 'jsonb' ||
    (sqlType === undefined && typeof value === 'object' && !(value instanceof Date))
  ) {
    checkJson(value, '$', new Set())
    return `${quoteString(JSON.stringify(value))}::jsonb`
  }
  switch (typeof value) {
    case 'string':
      return quoteString(value)
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`literal: cannot render ${value}: not a finite number`)
      return String(value)
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'TRUE' : 'FALSE'
    case 'object':
      if (value instanceof Date) return isoDate(value, sqlType)
      throw new TypeError(
        `literal: cannot render ${kind(value)}${sqlType ? ` for ${an(sqlType._tag)} column` : ''}`,
      )
    default:
      throw new TypeError(`literal: cannot render ${kind(value)}`)
  }
}
