/**
 * How values cross the wire, shared by both adapters so that postgres.js and PGlite
 * agree to the byte: one table of result parsers (text format → JavaScript) and one
 * parameter serializer (JavaScript → text format, chosen by the type the server
 * inferred for the parameter). Internal to `lib/drivers`; not re-exported.
 *
 * Results: int2/int4/oid/float4/float8 → number; int8 → bigint; numeric, date, time,
 * interval, uuid, text → string; timestamp → Date read as UTC; timestamptz → Date;
 * json/jsonb → parsed; bool → boolean; bytea → Uint8Array; arrays of built-in types →
 * arrays, with SQL NULL elements as `null`. Arrays of user-defined types (enums,
 * domains, composites) arrive as their text literal on both clients: cast them in SQL
 * (`moods::text[]`) or read them with `parseArray`. `infinity`/`-infinity` timestamps read as
 * `new Date(±8.64e15)`, the extremes of `Date`, and those two Dates are written back as
 * `infinity`/`-infinity`.
 *
 * Parameters are sent untyped: the server infers each one's type from the statement
 * (write `$1::int8` where the context does not fix it), and the value is rendered for
 * that type: Date → `YYYY-MM-DD` for date, UTC wall-clock time for timestamp, an instant
 * for timestamptz, ISO 8601 elsewhere; bigint/number → decimal text; boolean →
 * `true`/`false`; Uint8Array → bytea hex; arrays → an array literal (every element
 * quoted, `null` as NULL, nested arrays as further dimensions except in json[]/jsonb[],
 * where they are JSON arrays); plain objects → JSON. For json/jsonb parameters a string is
 * taken as JSON text as it is (what `lib/schema`'s codec sends) and anything else is
 * `JSON.stringify`'d (bigint as a decimal string).
 *
 * Source: PostgreSQL "Date/Time Output" (ISO style), "Array Value Input" and
 * "Binary Data Types" (hex format).
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Turns one value in PostgreSQL's text format into its JavaScript form. @category models */
export type Parser = (text: string) => unknown

/** Type OIDs from `pg_type.dat` that the adapters treat specially. @category models */
export const Oid = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  jsonb: 3802,
} as const

/** The largest and smallest instants a `Date` can hold (ECMA-262 "Time Values"). */
const MAX_TIME = 8.64e15

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

const identity: Parser = (s) => s
const toNumber: Parser = (s) => Number(s)

const timestampPattern =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/

/**
 * Reads a timestamp or timestamptz in ISO output style. Without an offset the wall-clock
 * time is taken as UTC; an offset may carry minutes and seconds (`+05:30`, local mean
 * time `+00:19:32`); `BC` years and years past 9999 are read.
 * Shape: `'2024-02-29 13:14:15.123456+02'` → `Date`.
 * Units: microseconds are truncated to milliseconds (`.999999` → 999 ms).
 * Errors: none thrown; unreadable text gives an invalid Date.
 * Source: PostgreSQL "Date/Time Output" (DateStyle ISO), which both adapters set.
 * @category destructors
 * @since 0.1.0
 */
export const parseTimestamp: Parser = (s) => {
  if (s === 'infinity') return new Date(MAX_TIME)
  if (s === '-infinity') return new Date(-MAX_TIME)
  const m = timestampPattern.exec(s)
  if (m === null) return new Date(Number.NaN)
  const year = m[12] === undefined ? Number(m[1]) : 1 - Number(m[1])
  const ms = m[7] === undefined ? 0 : Math.trunc(Number(m[7].padEnd(6, '0')) / 1000)
  const d = new Date(0)
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]))
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), ms)
  if (m[8] !== undefined) {
    const offset = (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * 1000
    d.setTime(d.getTime() - (m[8] === '-' ? -offset : offset))
  }
  return d
}

const parseBytea: Parser = (s) => {
  // `bytea_output = hex` (the default): `\x` then two hex digits per byte.
  const bytes = Buffer.from(s.slice(2), 'hex')
  return new Uint8Array(bytes)
}

/**
 * Reads an array literal as output by PostgreSQL, parsing each element with `element`.
 * Unquoted `NULL` is SQL NULL (postgres.js's own parser gets this wrong: upstream
 * porsager/postgres#1049); a quoted `"NULL"` is the string. Nested braces are further
 * dimensions; a `[lo:hi]=` bounds prefix is skipped (the result is 0-based).
 * Shape: `('{1,NULL,"a \"b\""}', parse)` → `[1, null, 'a "b"']`.
 * Errors: none thrown for the server's own output; `element` may throw.
 * Source: PostgreSQL "Arrays" § Array Value Input (quoting and escaping rules).
 * @category destructors
 * @since 0.1.0
 */
export const parseArray = (text: string, element: Parser): ReadonlyArray<unknown> => {
  const n = text.length
  let i = text.charCodeAt(0) === 91 /* [ */ ? text.indexOf('=') + 1 : 0
  const list = (): Array<unknown> => {
    const out: Array<unknown> = []
    i++ // the opening brace
    if (text[i] === '}') {
      i++
      return out
    }
    while (i < n) {
      const c = text[i]
      if (c === '{') out.push(list())
      else if (c === '"') {
        let s = ''
        let start = ++i
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\') {
            s += text.slice(start, i) + text[i + 1]
            i += 2
            start = i
          } else i++
        }
        s += text.slice(start, i)
        i++ // the closing quote
        out.push(element(s))
      } else {
        const start = i
        while (i < n && text[i] !== ',' && text[i] !== '}') i++
        const raw = text.slice(start, i)
        out.push(raw === 'NULL' ? null : element(raw))
      }
      if (text[i++] !== ',') break // `}` ends this level
    }
    return out
  }
  return list()
}

const scalarParsers: Readonly<Record<number, Parser>> = {
  [Oid.bool]: (s) => s === 't',
  [Oid.bytea]: parseBytea,
  [Oid.int8]: (s) => BigInt(s),
  [Oid.int2]: toNumber,
  [Oid.int4]: toNumber,
  [Oid.oid]: toNumber,
  [Oid.json]: (s) => JSON.parse(s),
  [Oid.float4]: toNumber,
  [Oid.float8]: toNumber,
  [Oid.date]: identity,
  [Oid.timestamp]: parseTimestamp,
  [Oid.timestamptz]: parseTimestamp,
  [Oid.jsonb]: (s) => JSON.parse(s),
}

/** Array type OID → element type OID, for the built-in types (`pg_type.dat`). */
const arrayElements: Readonly<Record<number, number>> = {
  143: 142, // xml
  199: Oid.json,
  651: 650, // cidr
  791: 790, // money
  1000: Oid.bool,
  1001: Oid.bytea,
  1002: 18, // "char"
  1003: 19, // name
  1005: Oid.int2,
  1007: Oid.int4,
  1009: 25, // text
  1014: 1042, // bpchar
  1015: 1043, // varchar
  1016: Oid.int8,
  1021: Oid.float4,
  1022: Oid.float8,
  1028: Oid.oid,
  1040: 829, // macaddr
  1041: 869, // inet
  1115: Oid.timestamp,
  1182: Oid.date,
  1183: 1083, // time
  1185: Oid.timestamptz,
  1187: 1186, // interval
  1231: 1700, // numeric
  1270: 1266, // timetz
  1561: 1560, // bit
  1563: 1562, // varbit
  2951: 2950, // uuid
  3643: 3614, // tsvector
  3645: 3615, // tsquery
  3807: Oid.jsonb,
}

/**
 * Parsers by type OID, for every type either client would otherwise decode its own way
 * and for the arrays of the built-in types. Types missing here arrive as text (numeric,
 * time, interval, uuid, enums, arrays of user-defined types, …); the adapters install
 * this table in place of each client's own.
 * Source: `pg_type.dat` OIDs; the normalisation table in `driver.ts`.
 * @category constructors
 * @since 0.1.0
 */
export const parsers: Readonly<Record<number, Parser>> = {
  ...scalarParsers,
  ...Object.fromEntries(
    Object.entries(arrayElements).map(([array, element]) => {
      const parseElement = scalarParsers[element] ?? identity
      return [array, (s: string) => parseArray(s, parseElement)]
    }),
  ),
}

// -------------------------------------------------------------------------------------
// serializing
// -------------------------------------------------------------------------------------

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

/** `YYYY-MM-DD`, ` HH:MM:SS.mmm` and the era suffix of a Date, in UTC. */
const utcParts = (d: Date): { readonly day: string; readonly time: string; readonly era: string } => {
  const y = d.getUTCFullYear()
  return {
    day: `${pad(y > 0 ? y : 1 - y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`,
    time: ` ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`,
    era: y > 0 ? '' : ' BC',
  }
}

const serializeDate = (d: Date, oid: number): string => {
  const t = d.getTime()
  if (Number.isNaN(t)) throw new TypeError('an invalid Date cannot be sent as a parameter')
  const datetime = oid === Oid.date || oid === Oid.timestamp || oid === Oid.timestamptz
  if (!datetime) return d.toISOString()
  if (t === MAX_TIME) return 'infinity'
  if (t === -MAX_TIME) return '-infinity'
  const p = utcParts(d)
  return oid === Oid.date
    ? p.day + p.era
    : oid === Oid.timestamp
      ? p.day + p.time + p.era
      : p.day + p.time + '+00' + p.era
}

const hex = (bytes: Uint8Array): string =>
  '\\x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

const jsonText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : (JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null')

const quoteElement = (s: string): string =>
  s.includes('"') || s.includes('\\') ? `"${s.replace(/[\\"]/g, '\\$&')}"` : `"${s}"`

const isJsonOid = (oid: number): boolean => oid === Oid.json || oid === Oid.jsonb

/**
 * Nested arrays are further dimensions, except in json[]/jsonb[], where they are JSON
 * arrays. Strings and numbers (the elements of every batch a plan sends) skip
 * `serialize`, whose answer for them is the value itself.
 */
const arrayLiteral = (values: ReadonlyArray<unknown>, elementOid: number): string => {
  const json = isJsonOid(elementOid)
  let out = '{'
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ','
    const v = values[i]
    if (v === null || v === undefined) out += 'NULL'
    else if (typeof v === 'number' && !json) out += `"${v}"`
    else if (typeof v === 'string' && !json) out += quoteElement(v)
    else if (Array.isArray(v) && !json) out += arrayLiteral(v, elementOid)
    else out += quoteElement(serialize(v, elementOid))
  }
  return out + '}'
}

/**
 * Renders one non-null parameter for the type the server inferred for it (see the
 * module comment); the clients send SQL NULL for `null` themselves and never call this
 * with it.
 * Shape: `(value, oid)` → text.
 * Errors: throws `TypeError` for `null`/`undefined` or an invalid Date, and whatever
 * `JSON.stringify` throws (a cyclic object); the adapters catch it and return a
 * `DriverError`.
 * Source: PostgreSQL "Date/Time Input", "Arrays" § Array Value Input, "JSON Types".
 * @category destructors
 * @since 0.1.0
 */
export const serialize = (value: unknown, oid: number): string => {
  if (value === null || value === undefined) throw new TypeError('serialize: SQL NULL is sent by the client')
  if (isJsonOid(oid)) return jsonText(value)
  switch (typeof value) {
    case 'string':
      return value
    case 'number':
    case 'bigint':
      return String(value)
    case 'boolean':
      return value ? 'true' : 'false'
  }
  if (value instanceof Date) return serializeDate(value, oid)
  if (value instanceof Uint8Array) return hex(value)
  if (Array.isArray(value)) return arrayLiteral(value, arrayElements[oid] ?? 0)
  return jsonText(value)
}

const serializerCache = new Map<number, (value: unknown) => string>()

/**
 * The serializer of one type OID (`serialize` with `oid` fixed), built once per OID.
 * Shape: `oid` → `(value) => text`. Errors: as `serialize`.
 * @category constructors
 * @since 0.1.0
 */
export const serializerFor = (oid: number): ((value: unknown) => string) => {
  let f = serializerCache.get(oid)
  if (f === undefined) {
    f = (value) => serialize(value, oid)
    serializerCache.set(oid, f)
  }
  return f
}

/**
 * A stand-in for a client's table of serializers that answers for every type OID with
 * `serializerFor(oid)`, so user types (enums, domains, their arrays) are rendered the
 * same way on both clients. Writes (clients registering their own array serializers
 * when they start) are ignored.
 * Shape: `()` → `Record<oid, (value) => text>` (a Proxy).
 * Errors: none here; see `serialize`.
 * Source: postgres.js `connection.js` Bind and PGlite `query` both look serializers up by
 * the parameter type the server described.
 * @category constructors
 * @since 0.1.0
 */
export const serializerTable = (): Record<number, (value: unknown) => string> =>
  new Proxy({} as Record<number, (value: unknown) => string>, {
    has: (_target, key) => typeof key === 'string',
    get: (_target, key) => (typeof key === 'string' ? serializerFor(Number(key)) : undefined),
    set: () => true,
  })
