import { describe, expect, it } from 'vitest'
import { literal, quoteIdent, quoteQualified } from '../../../../lib/dialects/postgres/quote.js'
import { castName, sqlTypeName } from '../../../../lib/dialects/postgres/types.js'
import type { SqlType } from '../../../../lib/schema/column.js'

describe('quoteIdent', () => {
  it('wraps in double quotes and doubles inner ones', () => {
    expect(quoteIdent('books')).toBe('"books"')
    expect(quoteIdent('Author ID')).toBe('"Author ID"')
    expect(quoteIdent('we"ird')).toBe('"we""ird"')
    expect(quoteIdent('"')).toBe('""""')
    expect(quoteIdent("it's; DROP TABLE x")).toBe('"it\'s; DROP TABLE x"')
    expect(quoteIdent('naïve_日本')).toBe('"naïve_日本"')
  })

  it('rejects an empty name, NUL and lone surrogates with a TypeError', () => {
    expect(() => quoteIdent('')).toThrow(TypeError)
    expect(() => quoteIdent('a\u0000b')).toThrow(/contains NUL/)
    expect(() => quoteIdent('a\uD800b')).toThrow(/lone UTF-16 surrogate/)
    expect(() => quoteIdent(undefined as unknown as string)).toThrow(TypeError)
  })

  it('quoteQualified quotes each part', () => {
    expect(quoteQualified('public', 'books')).toBe('"public"."books"')
    expect(quoteQualified('my.schema', 'we"ird')).toBe('"my.schema"."we""ird"')
    expect(() => quoteQualified('', 'books')).toThrow(TypeError)
  })
})

describe('literal', () => {
  it('quotes strings, doubling single quotes', () => {
    expect(literal('draft')).toBe("'draft'")
    expect(literal("O'Reilly")).toBe("'O''Reilly'")
    expect(literal("''")).toBe("''''''")
    expect(literal('')).toBe("''")
    expect(literal('日本 ✓ 😀')).toBe("'日本 ✓ 😀'")
  })

  it('uses E-strings, with backslashes doubled, when a backslash appears', () => {
    expect(literal('C:\\dir')).toBe("E'C:\\\\dir'")
    expect(literal("\\'; DROP TABLE x; --")).toBe("E'\\\\''; DROP TABLE x; --'")
    expect(literal('\\')).toBe("E'\\\\'")
  })

  it('rejects strings PostgreSQL cannot store', () => {
    expect(() => literal('a\u0000b')).toThrow(/cannot render string "a\\u0000b": it contains NUL/)
    expect(() => literal('\uDC00')).toThrow(/lone UTF-16 surrogate/)
  })

  it('writes finite numbers, bigints, booleans and NULL', () => {
    expect(literal(0)).toBe('0')
    expect(literal(-0)).toBe('0')
    expect(literal(-1.25)).toBe('-1.25')
    expect(literal(5e-7)).toBe('5e-7')
    expect(literal(1e21)).toBe('1e+21')
    expect(literal(9007199254740993n)).toBe('9007199254740993')
    expect(literal(-5n)).toBe('-5')
    expect(literal(true)).toBe('TRUE')
    expect(literal(false)).toBe('FALSE')
    expect(literal(null)).toBe('NULL')
    expect(literal(null, { _tag: 'jsonb' })).toBe('NULL')
  })

  it('rejects non-finite numbers, naming them', () => {
    expect(() => literal(Number.NaN)).toThrow(/cannot render NaN/)
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(/cannot render Infinity/)
    expect(() => literal(Number.NEGATIVE_INFINITY)).toThrow(/cannot render -Infinity/)
  })

  it('writes Dates as ISO text cast to the column type', () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))
    expect(literal(d)).toBe("'2024-01-02T03:04:05.678Z'::timestamptz")
    expect(literal(d, { _tag: 'timestamp', withTimezone: true })).toBe(
      "'2024-01-02T03:04:05.678Z'::timestamptz",
    )
    expect(literal(d, { _tag: 'timestamp', withTimezone: false })).toBe(
      "'2024-01-02T03:04:05.678'::timestamp",
    )
    expect(literal(d, { _tag: 'date' })).toBe("'2024-01-02'::date")
  })

  it('rejects invalid Dates and years PostgreSQL would misread', () => {
    expect(() => literal(new Date(Number.NaN))).toThrow(/invalid Date/)
    expect(() => literal(new Date(Date.UTC(10000, 0, 1)))).toThrow(/year outside 1–9999/)
    expect(() => literal(new Date(Date.UTC(-1, 0, 1)))).toThrow(/year outside 1–9999/)
  })

  it('writes jsonb values as quoted JSON text cast to jsonb', () => {
    const jsonb: SqlType = { _tag: 'jsonb' }
    expect(literal({ a: 1, b: [true, null] }, jsonb)).toBe(`'{"a":1,"b":[true,null]}'::jsonb`)
    expect(literal({ a: 1 })).toBe(`'{"a":1}'::jsonb`)
    expect(literal([1, 'two'])).toBe(`'[1,"two"]'::jsonb`)
    expect(literal('draft', jsonb)).toBe(`'"draft"'::jsonb`)
    expect(literal(3, jsonb)).toBe(`'3'::jsonb`)
    expect(literal(false, jsonb)).toBe(`'false'::jsonb`)
    expect(literal({ who: "O'Reilly" }, jsonb)).toBe(`'{"who":"O''Reilly"}'::jsonb`)
    expect(literal({ path: 'a\\b', q: '"' }, jsonb)).toBe(`E'{"path":"a\\\\\\\\b","q":"\\\\""}'::jsonb`)
    expect(literal(Object.assign(Object.create(null), { a: 1 }), jsonb)).toBe(`'{"a":1}'::jsonb`)
  })

  it('rejects jsonb values that JSON.stringify would change or drop, naming where', () => {
    const jsonb: SqlType = { _tag: 'jsonb' }
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(() => literal({ a: [1, Number.NaN] }, jsonb)).toThrow(/jsonb \$\.a\[1\]: NaN is not finite/)
    expect(() => literal({ at: new Date(0) }, jsonb)).toThrow(/jsonb \$\.at: a Date is not JSON/)
    expect(() => literal({ f: () => 1 }, jsonb)).toThrow(/jsonb \$\.f: a function is not JSON/)
    expect(() => literal({ u: undefined }, jsonb)).toThrow(/jsonb \$\.u: undefined is not JSON/)
    expect(() => literal({ n: 1n }, jsonb)).toThrow(/a bigint is not JSON/)
    expect(() => literal(circular, jsonb)).toThrow(/circular/)
    expect(() => literal(new Map(), jsonb)).toThrow(/a Map is not JSON/)
    expect(() => literal({ s: 'a\u0000' }, jsonb)).toThrow(/NUL/)
    // the same value twice is not a cycle
    const shared = { x: 1 }
    expect(literal({ a: shared, b: shared }, jsonb)).toBe(`'{"a":{"x":1},"b":{"x":1}}'::jsonb`)
  })

  it('rejects values with no SQL constant form', () => {
    expect(() => literal(undefined)).toThrow(/cannot render undefined/)
    expect(() => literal(Symbol('x'))).toThrow(/cannot render a symbol/)
    expect(() => literal(() => 1)).toThrow(/cannot render a function/)
    expect(() => literal([1], { _tag: 'integer' })).toThrow(/cannot render an Array for an integer column/)
    expect(() => literal(new Uint8Array(1), { _tag: 'text' })).toThrow(
      /cannot render a Uint8Array for a text column/,
    )
    expect(() => literal(new Map())).toThrow(/jsonb \$: a Map is not JSON/)
  })
})

describe('sqlTypeName and castName', () => {
  const cases: ReadonlyArray<readonly [SqlType, string, string]> = [
    [{ _tag: 'serial' }, 'serial', 'int4'],
    [{ _tag: 'bigserial' }, 'bigserial', 'int8'],
    [{ _tag: 'integer' }, 'integer', 'int4'],
    [{ _tag: 'bigint' }, 'bigint', 'int8'],
    [{ _tag: 'real' }, 'real', 'float4'],
    [{ _tag: 'doublePrecision' }, 'double precision', 'float8'],
    [{ _tag: 'numeric', precision: 10, scale: 2 }, 'numeric(10, 2)', 'numeric'],
    [{ _tag: 'numeric', precision: 5, scale: null }, 'numeric(5)', 'numeric'],
    [{ _tag: 'numeric', precision: null, scale: null }, 'numeric', 'numeric'],
    [{ _tag: 'numeric', precision: 3, scale: 0 }, 'numeric(3, 0)', 'numeric'],
    [{ _tag: 'varchar', length: 50 }, 'varchar(50)', 'text'],
    [{ _tag: 'text' }, 'text', 'text'],
    [{ _tag: 'boolean' }, 'boolean', 'bool'],
    [{ _tag: 'timestamp', withTimezone: false }, 'timestamp', 'timestamp'],
    [{ _tag: 'timestamp', withTimezone: true }, 'timestamptz', 'timestamptz'],
    [{ _tag: 'date' }, 'date', 'date'],
    [{ _tag: 'uuid' }, 'uuid', 'uuid'],
    [{ _tag: 'jsonb' }, 'jsonb', 'jsonb'],
  ]
  it.each(cases)('%o is %s in DDL and %s in casts', (t, ddl, cast) => {
    expect(sqlTypeName(t)).toBe(ddl)
    expect(castName(t)).toBe(cast)
  })

  it('rejects numbers PostgreSQL would not accept in a type', () => {
    expect(() => sqlTypeName({ _tag: 'varchar', length: 0 })).toThrow(
      /varchar length must be an integer from 1/,
    )
    expect(() => sqlTypeName({ _tag: 'varchar', length: 1.5 })).toThrow(/got 1.5/)
    expect(() => sqlTypeName({ _tag: 'varchar', length: Number.NaN })).toThrow(/got NaN/)
    expect(() => sqlTypeName({ _tag: 'numeric', precision: 0, scale: null })).toThrow(/numeric precision/)
    expect(() => sqlTypeName({ _tag: 'numeric', precision: 1001, scale: null })).toThrow(/numeric precision/)
    expect(() => sqlTypeName({ _tag: 'numeric', precision: 10, scale: 1.5 })).toThrow(/numeric scale/)
    expect(() => sqlTypeName({ _tag: 'numeric', precision: null, scale: 2 })).toThrow(/needs a precision/)
  })
})
