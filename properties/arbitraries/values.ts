/**
 * Column values: for each column type, the JavaScript values its codec accepts, in the
 * form the drivers give back (so a value survives encode → database → decode
 * unchanged), and a canonical text for comparing a value with what a database returned.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import type { ColumnSpec, SqlType } from '../../lib/schema/column.js'

const pad = (n: number, w: number) => String(n).padStart(w, '0')

/** A date between 1900-01-01 and 2099-12-28 as `YYYY-MM-DD`. */
const isoDate = fc
  .record({
    y: fc.integer({ min: 1900, max: 2099 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)

const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).value

const decimal = (precision: number | null, scale: number | null): fc.Arbitrary<string> => {
  const s = scale ?? 0
  const whole = precision === null ? 9 : Math.min(precision - s, 9)
  return fc
    .record({
      neg: fc.boolean(),
      i: fc.integer({ min: 0, max: 10 ** Math.max(whole, 0) - 1 }),
      f: fc.nat(10 ** s - 1),
    })
    .map(({ neg, i, f }) => `${neg && (i > 0 || f > 0) ? '-' : ''}${i}${s > 0 ? `.${pad(f, s)}` : ''}`)
}

/**
 * Non-null values of a column type.
 * Shape: `sqlValue(type)` → `Arbitrary<unknown>`. Ranges: integers of the type's width;
 * bigint as `bigint`; real as a float4 value; timestamps with millisecond precision
 * between 1900 and 2100; strings without NUL, at most `varchar`'s length in characters.
 * @category constructors
 * @since 0.1.0
 */
export const sqlValue = (t: SqlType): fc.Arbitrary<unknown> => {
  switch (t._tag) {
    case 'serial':
    case 'integer':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    case 'bigserial':
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    case 'real':
      return fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x))
    case 'doublePrecision':
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x))
    case 'numeric':
      return decimal(t.precision, t.scale)
    case 'varchar':
      return fc
        .string({ unit: 'grapheme', maxLength: t.length })
        .map((s) => [...s.replaceAll('\u0000', '')].slice(0, t.length).join(''))
    case 'text':
      return fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replaceAll('\u0000', ''))
    case 'boolean':
      return fc.boolean()
    case 'timestamp':
      return fc.date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
    case 'date':
      return isoDate
    case 'uuid':
      return fc.uuid()
    case 'jsonb':
      // JSON null only inside a document: at the top a null is SQL NULL (see docs/properties.md)
      return jsonValue.filter((v) => v !== null)
  }
}

/**
 * Values of a column: its type's values, or null when the column is nullable.
 * @category constructors
 * @since 0.1.0
 */
export const columnValue = (c: ColumnSpec): fc.Arbitrary<unknown> =>
  c.nullable ? fc.option(sqlValue(c.sqlType), { nil: null, freq: 4 }) : sqlValue(c.sqlType)

const stable = (u: unknown): string =>
  Array.isArray(u)
    ? `[${u.map(stable).join(',')}]`
    : u !== null && typeof u === 'object'
      ? `{${Object.keys(u)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stable((u as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(u)

/**
 * A value as canonical text, equal for equal values of one column type whichever side
 * they came from (what the model holds, what a database returned): numbers, bigints,
 * dates as ISO text, jsonb with sorted keys, uuids in lower case.
 * @category destructors
 * @since 0.1.0
 */
export const canonical = (t: SqlType, v: unknown): string => {
  if (v === null || v === undefined) return 'NULL'
  switch (t._tag) {
    case 'jsonb':
      return stable(v)
    case 'timestamp':
      return v instanceof Date ? v.toISOString() : String(v)
    case 'uuid':
      return String(v).toLowerCase()
    case 'real':
      // a float4 is compared as float4: PostgreSQL prints the shortest text that reads back as the same float4
      return String(Math.fround(Number(v)) || 0)
    case 'doublePrecision':
      return Object.is(v, -0) ? '0' : String(v)
    default:
      return typeof v === 'string' ? JSON.stringify(v) : String(v)
  }
}
