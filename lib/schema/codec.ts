/**
 * io-ts codecs derived from table values: one per column type, and `Row`, `Insert` and
 * `Patch` codecs per table. They validate every value that enters a session (before any
 * SQL is built) and give the wire form each value is sent to the database in.
 *
 * "One schema, many interpreters" (io-ts): the same table value gives the static types
 * (`table.ts`), these codecs, and the DDL (`dialects/postgres/ddl.ts`).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { ColumnSpec, SqlType } from './column.js'
import { type DecodeError, decodeError, type FieldError } from './errors.js'
import type { AnyTable, Insert, Patch, Row, TableSpec } from './table.js'

// -------------------------------------------------------------------------------------
// column codecs
// -------------------------------------------------------------------------------------

/** How a value is described in messages: its kind and size, never its content. */
export const describeValue = (u: unknown): string =>
  u === null
    ? 'null'
    : u === undefined
      ? 'undefined'
      : typeof u === 'string'
        ? `a string of ${[...u].length} characters`
        : typeof u === 'number'
          ? Number.isInteger(u)
            ? `the integer ${u}`
            : Number.isFinite(u)
              ? 'a fractional number'
              : `${u}`
          : typeof u === 'bigint'
            ? 'a bigint'
            : u instanceof Date
              ? Number.isNaN(u.getTime())
                ? 'an invalid Date'
                : 'a Date'
              : Array.isArray(u)
                ? 'an array'
                : typeof u

const refine = <A>(
  name: string,
  is: (u: unknown) => u is A,
  check: (a: A) => string | undefined,
  encode: (a: A) => unknown,
) =>
  new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => is(u) && check(u) === undefined,
    (u, c) => {
      if (!is(u)) return t.failure(u, c, `expected ${name}, got ${describeValue(u)}`)
      const problem = check(u)
      return problem === undefined ? t.success(u) : t.failure(u, c, `expected ${name}: ${problem}`)
    },
    encode,
  )

const isString = (u: unknown): u is string => typeof u === 'string'
const isNumber = (u: unknown): u is number => typeof u === 'number'
const isBigint = (u: unknown): u is bigint => typeof u === 'bigint'
const isBoolean = (u: unknown): u is boolean => typeof u === 'boolean'
const isDate = (u: unknown): u is Date => u instanceof Date
const id = <A>(a: A): A => a
/** Characters as PostgreSQL counts them (code points, not UTF-16 units). */
const codePoints = (v: string): number => {
  let n = 0
  for (const _ of v) n += 1
  return n
}

const noNul = (s: string): string | undefined =>
  s.includes('\u0000') ? 'contains a NUL character, which PostgreSQL text cannot store' : undefined

const int = (name: string, bits: 16 | 32) => {
  const max = 2 ** (bits - 1)
  return refine(
    name,
    isNumber,
    (n) =>
      !Number.isInteger(n)
        ? `got ${describeValue(n)}`
        : n < -max || n >= max
          ? `got ${n}, outside −${max} … ${max - 1}`
          : undefined,
    id,
  )
}
const int8 = (name: string) =>
  refine(
    name,
    isBigint,
    (n) => (n < -(2n ** 63n) || n >= 2n ** 63n ? 'outside the 8-byte range' : undefined),
    (n) => n.toString(),
  )
const decimalPattern = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^(NaN|-?Infinity)$/i
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const isJson = (u: unknown, depth = 0): boolean => {
  if (depth > 200) return false
  if (u === null || typeof u === 'string' || typeof u === 'boolean') return true
  if (typeof u === 'number') return Number.isFinite(u)
  if (Array.isArray(u)) return u.every((x) => isJson(x, depth + 1))
  if (typeof u === 'object' && Object.getPrototypeOf(u) === Object.prototype) {
    return Object.values(u as object).every((x) => isJson(x, depth + 1))
  }
  return false
}
const jsonHasNul = (u: unknown): boolean =>
  typeof u === 'string'
    ? u.includes('\u0000')
    : Array.isArray(u)
      ? u.some(jsonHasNul)
      : u !== null && typeof u === 'object'
        ? Object.entries(u).some(([k, v]) => k.includes('\u0000') || jsonHasNul(v))
        : false

const validDate = (s: string): boolean => {
  const m = isoDate.exec(s)
  if (m === null) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
}

/** A human name for a column type, as used in messages (`varchar(50)`, `integer`). */
export const typeLabel = (s: SqlType): string =>
  s._tag === 'varchar'
    ? `varchar(${s.length})`
    : s._tag === 'numeric'
      ? s.precision === null
        ? 'numeric'
        : `numeric(${s.precision}${s.scale === null ? '' : `, ${s.scale}`})`
      : s._tag === 'timestamp'
        ? s.withTimezone
          ? 'timestamptz'
          : 'timestamp'
        : s._tag === 'doublePrecision'
          ? 'double precision'
          : s._tag

const nonNullCodec = (s: SqlType): t.Type<any, unknown, unknown> => {
  const name = typeLabel(s)
  switch (s._tag) {
    case 'serial':
    case 'integer':
      return int(name, 32)
    case 'bigserial':
    case 'bigint':
      return int8(name)
    case 'real':
    case 'doublePrecision':
      return refine(name, isNumber, (n) => (Number.isNaN(n) ? undefined : undefined), id)
    case 'numeric': {
      const p = s.precision
      const sc = s.scale ?? 0
      return refine(
        name,
        isString,
        (v) => {
          if (!decimalPattern.test(v)) return 'not a decimal number string such as "12.50"'
          if (p === null || /e|nan|inf/i.test(v)) return undefined
          const digits = v.replace(/^-/, '').split('.')[0]!.replace(/^0+/, '').length
          return digits > p - sc ? `more than ${p - sc} digits before the decimal point` : undefined
        },
        id,
      )
    }
    case 'varchar':
      return refine(
        name,
        isString,
        (v) =>
          noNul(v) ??
          // code points never outnumber UTF-16 units: count them only for a long string
          (v.length > s.length && codePoints(v) > s.length
            ? `got ${codePoints(v)} characters, at most ${s.length}`
            : undefined),
        id,
      )
    case 'text':
      return refine(name, isString, noNul, id)
    case 'boolean':
      return refine(name, isBoolean, () => undefined, id)
    case 'timestamp':
      return refine(
        name,
        isDate,
        (d) => (Number.isNaN(d.getTime()) ? 'an invalid Date' : undefined),
        (d) => (s.withTimezone ? d.toISOString() : d.toISOString().replace('Z', '')),
      )
    case 'date':
      return refine(name, isString, (v) => (validDate(v) ? undefined : 'not a YYYY-MM-DD calendar date'), id)
    case 'uuid':
      return refine(
        name,
        isString,
        (v) => (uuidPattern.test(v) ? undefined : 'not a uuid'),
        (v) => v.toLowerCase(),
      )
    case 'jsonb':
      return new t.Type<unknown, unknown, unknown>(
        'jsonb',
        (u): u is unknown => u !== undefined && isJson(u),
        (u, c) =>
          u !== undefined && isJson(u)
            ? jsonHasNul(u)
              ? t.failure(u, c, 'expected jsonb: contains a NUL character, which jsonb cannot store')
              : t.success(u)
            : t.failure(
                u,
                c,
                `expected jsonb: a JSON value (plain objects, arrays, finite numbers), got ${describeValue(u)}`,
              ),
        (u) => JSON.stringify(u),
      )
  }
}

const nullable = (c: t.Type<any, unknown, unknown>): t.Type<any, unknown, unknown> =>
  new t.Type(
    `${c.name} | null`,
    (u): u is unknown => u === null || c.is(u),
    (u, ctx) => (u === null ? t.success(null) : c.validate(u, ctx)),
    (a) => (a === null ? null : c.encode(a)),
  )

const codecCache = new WeakMap<ColumnSpec, t.Type<any, unknown, unknown>>()

/**
 * The codec of one column: validates a JavaScript value and encodes it to the form sent
 * to the database (`bigint` → decimal text, `Date` → ISO text, jsonb → JSON text, the
 * rest unchanged; `null` stays `null`).
 * Errors: validation failures name the column type and describe the value by kind and
 * size only. Source: PostgreSQL "Data Types" ranges.
 * @category constructors
 * @since 0.1.0
 */
export const columnCodec = (spec: ColumnSpec): t.Type<any, unknown, unknown> => {
  const hit = codecCache.get(spec)
  if (hit !== undefined) return hit
  const base = nonNullCodec(spec.sqlType)
  const c = spec.nullable ? nullable(base) : base
  codecCache.set(spec, c)
  return c
}

// -------------------------------------------------------------------------------------
// table codecs
// -------------------------------------------------------------------------------------

const optionalOnInsert = (c: ColumnSpec): boolean =>
  c.nullable || c.default !== undefined || c.sqlType._tag.endsWith('serial')

/** A record codec that fails on keys it does not know (io-ts `exact` would drop them silently). */
const closed = <A>(name: string, fields: ReadonlyArray<string>, inner: t.Type<A, unknown, unknown>) =>
  new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => inner.is(u),
    (u, c) => {
      if (u === null || typeof u !== 'object' || Array.isArray(u))
        return t.failure(u, c, `expected an object, got ${describeValue(u)}`)
      const extra = Object.keys(u).filter((k) => !fields.includes(k))
      if (extra.length > 0) {
        return t.failures(
          extra.map((k) => ({
            value: (u as Record<string, unknown>)[k],
            context: [...c, { key: k, type: t.never, actual: (u as Record<string, unknown>)[k] }],
            message: `unknown field "${k}" (fields: ${fields.join(', ')})`,
          })),
        )
      }
      return inner.validate(u, c)
    },
    inner.encode,
  )

const props = (spec: TableSpec, fields: ReadonlyArray<string>): t.Props =>
  Object.fromEntries(fields.map((f) => [f, columnCodec(spec.columns[f]!)]))

/** The io-ts codecs of one table. @category models */
export interface TableCodecs<T extends AnyTable> {
  /** A full row, as a select returns it. */
  readonly row: t.Type<Row<T>, unknown, unknown>
  /** What `add` accepts: nullable and defaulted columns optional, unknown keys rejected. */
  readonly insert: t.Type<Insert<T>, unknown, unknown>
  /** What `update` accepts: every non-key column optional, unknown and key fields rejected. */
  readonly patch: t.Type<Patch<T>, unknown, unknown>
}

const tableCodecCache = new WeakMap<TableSpec, TableCodecs<any>>()

/**
 * Derives the `Row`, `Insert` and `Patch` codecs of a table (built once, then cached).
 * Shape: `codecs(table)` → `{ row, insert, patch }`, each `t.Type<…, unknown, unknown>`.
 * Source: DESIGN.md § Models ("derived io-ts codecs").
 * @category constructors
 * @since 0.1.0
 */
export const codecs = <T extends AnyTable>(table: T): TableCodecs<T> => {
  const spec = table.$spec
  const hit = tableCodecCache.get(spec)
  if (hit !== undefined) return hit
  const required = spec.fields.filter((f) => !optionalOnInsert(spec.columns[f]!))
  const optional = spec.fields.filter((f) => optionalOnInsert(spec.columns[f]!))
  const patchFields = spec.fields.filter((f) => !spec.primaryKey.includes(f))
  const out: TableCodecs<T> = Object.freeze({
    row: t.type(props(spec, spec.fields), `Row<${spec.name}>`) as any,
    insert: closed(
      `Insert<${spec.name}>`,
      spec.fields,
      t.intersection([t.type(props(spec, required)), t.partial(props(spec, optional))]),
    ) as any,
    patch: closed(`Patch<${spec.name}>`, patchFields, t.partial(props(spec, patchFields))) as any,
  })
  tableCodecCache.set(spec, out)
  return out
}

const fieldOf = (spec: TableSpec, e: t.ValidationError): string =>
  e.context.map((c) => c.key).find((k) => spec.fields.includes(k) || (k !== '' && !/^\d+$/.test(k))) ??
  '(row)'

const toFieldErrors = (spec: TableSpec, errors: t.Errors): FieldError[] => {
  const seen = new Set<string>()
  const out: FieldError[] = []
  for (const e of errors) {
    const field = fieldOf(spec, e)
    if (seen.has(field)) continue
    seen.add(field)
    const col = spec.columns[field]
    const expected =
      col === undefined ? 'no such field' : `${typeLabel(col.sqlType)}${col.nullable ? ' | null' : ''}`
    const message =
      e.message ??
      (e.value === undefined && col !== undefined
        ? `is required (${expected})`
        : `expected ${expected}, got ${describeValue(e.value)}`)
    out.push({
      field,
      expected,
      message: col !== undefined && e.value === null && !col.nullable ? `is NOT NULL, got null` : message,
    })
  }
  return out
}

/**
 * A fast check of a record against a table, compiled once per table and mode: known
 * fields only, required ones present, every value accepted by its column codec's `is`.
 * Valid input (the common case) skips io-ts's combinators; invalid input goes through
 * them for the detailed errors.
 */
const fastCheck = (spec: TableSpec, mode: 'insert' | 'patch' | 'row'): ((u: unknown) => boolean) => {
  const fields = mode === 'patch' ? spec.fields.filter((f) => !spec.primaryKey.includes(f)) : spec.fields
  const allowed = new Set(fields)
  const required =
    mode === 'patch'
      ? []
      : mode === 'row'
        ? fields
        : fields.filter((f) => !optionalOnInsert(spec.columns[f]!))
  const checks = new Map(fields.map((f) => [f, columnCodec(spec.columns[f]!)] as const))
  return (u) => {
    if (u === null || typeof u !== 'object' || Array.isArray(u)) return false
    const r = u as Record<string, unknown>
    for (const k in r) {
      if (!allowed.has(k)) return false
      const v = r[k]
      if (v !== undefined && !checks.get(k)!.is(v)) return false
    }
    for (const f of required) if (r[f] === undefined) return false
    return true
  }
}

const fastChecks = new WeakMap<TableSpec, Record<string, (u: unknown) => boolean>>()
const fast = (spec: TableSpec, mode: 'insert' | 'patch' | 'row'): ((u: unknown) => boolean) => {
  const byMode = fastChecks.get(spec) ?? {}
  fastChecks.set(spec, byMode)
  byMode[mode] ??= fastCheck(spec, mode)
  return byMode[mode]!
}

const run = (
  table: AnyTable,
  codec: t.Type<any, unknown, unknown>,
  u: unknown,
): E.Either<DecodeError, any> => {
  const r = codec.validate(u, [{ key: '', type: codec, actual: u }])
  return E.isRight(r)
    ? r
    : E.left(decodeError(table.$spec.name, toFieldErrors(table.$spec, r.left), u as any))
}

/**
 * Validates what `add` received for a table.
 * Shape: `decodeInsert(table, unknown)` → `Either<DecodeError, Insert<T>>`.
 * Errors: `DecodeError` listing each failing field once: a missing required field, a
 * value of the wrong type or out of range, NULL for a NOT NULL column, an unknown field.
 * @category destructors
 * @since 0.1.0
 */
export const decodeInsert = <T extends AnyTable>(table: T, u: unknown): E.Either<DecodeError, Insert<T>> =>
  fast(table.$spec, 'insert')(u) ? E.right(u as Insert<T>) : run(table, codecs(table).insert, u)

/**
 * Validates what `update` received. Shape and errors as `decodeInsert`; a key field in a
 * patch is reported as unknown (keys are not updated through a patch).
 * @category destructors
 * @since 0.1.0
 */
export const decodePatch = <T extends AnyTable>(table: T, u: unknown): E.Either<DecodeError, Patch<T>> =>
  fast(table.$spec, 'patch')(u) ? E.right(u as Patch<T>) : run(table, codecs(table).patch, u)

/**
 * Validates a full row (as read back from a database). Shape and errors as `decodeInsert`.
 * @category destructors
 * @since 0.1.0
 */
export const decodeRow = <T extends AnyTable>(table: T, u: unknown): E.Either<DecodeError, Row<T>> =>
  fast(table.$spec, 'row')(u) ? E.right(u as Row<T>) : run(table, codecs(table).row, u)

/**
 * Encodes one field's value to its wire form (see `columnCodec`). The value must have
 * passed validation.
 * @category destructors
 * @since 0.1.0
 */
export const encodeValue = (spec: ColumnSpec, value: unknown): unknown =>
  value === null || value === undefined ? null : columnCodec(spec).encode(value)

// -------------------------------------------------------------------------------------
// JSON
// -------------------------------------------------------------------------------------

const jsonValue = (v: unknown): unknown =>
  v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v

/**
 * A row as a JSON-ready object with camelCase keys (the seeds' `to_dict`): dates as ISO
 * 8601 strings, bigints as decimal strings (JSON numbers would lose digits), numerics as
 * their decimal strings, jsonb as is. Fields not in the table are left out.
 * Shape: `toJSON(table, row)` → `Record<field, JsonValue>`.
 * @category destructors
 * @since 0.1.0
 */
export const toJSON = <T extends AnyTable>(table: T, row: Partial<Row<T>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const f of table.$spec.fields)
    if (f in (row as object)) out[f] = jsonValue((row as Record<string, unknown>)[f])
  return out
}
