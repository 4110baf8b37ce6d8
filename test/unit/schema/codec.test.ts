import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { codecs, decodeInsert, decodePatch, encodeValue, toJSON } from '../../../lib/schema/codec.js'
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  serial,
  text,
  timestamp,
  uuid,
  varchar,
} from '../../../lib/schema/column.js'
import { table } from '../../../lib/schema/table.js'
import { books, posts } from '../../fixtures/bookstore.js'

const everything = table('everything', {
  id: serial().primaryKey(),
  small: integer().notNull(),
  big: bigint(),
  price: numeric(6, 2),
  ratio: doublePrecision(),
  name: varchar(5),
  body: text(),
  flag: boolean(),
  at: timestamp({ withTimezone: true }),
  localAt: timestamp(),
  day: date(),
  token: uuid(),
  doc: jsonb<{ readonly a: number }>(),
})

const fails = (u: unknown) => {
  const r = decodeInsert(everything, u)
  if (E.isRight(r)) throw new Error('expected a DecodeError')
  return r.left
}

describe('column codecs', () => {
  it('varchar(50) accepts 50 characters and rejects 51, counting code points', () => {
    expect(E.isRight(decodeInsert(books, { title: 'x'.repeat(50) }))).toBe(true)
    const e = decodeInsert(books, { title: 'x'.repeat(51) })
    expect(E.isLeft(e) && e.left).toMatchObject({
      _tag: 'DecodeError',
      table: 'books',
      errors: [{ field: 'title', expected: 'varchar(50)' }],
    })
    // 5 emoji are 10 UTF-16 units but 5 characters, as PostgreSQL counts them
    expect(E.isRight(decodeInsert(everything, { small: 1, name: '😀😀😀😀😀' }))).toBe(true)
  })

  it('integer accepts 2^31 − 1 and −2^31, rejects 2^31 and fractions', () => {
    expect(E.isRight(decodeInsert(everything, { small: 2 ** 31 - 1 }))).toBe(true)
    expect(E.isRight(decodeInsert(everything, { small: -(2 ** 31) }))).toBe(true)
    expect(fails({ small: 2 ** 31 }).errors[0]).toMatchObject({ field: 'small', expected: 'integer' })
    expect(fails({ small: 1.5 }).errors[0]!.field).toBe('small')
  })

  it('notNull rejects null and a missing required field, naming the field', () => {
    expect(fails({ small: null }).errors[0]).toMatchObject({
      field: 'small',
      message: 'is NOT NULL, got null',
    })
    expect(fails({}).errors[0]).toMatchObject({ field: 'small' })
  })

  it('rejects unknown fields', () => {
    expect(fails({ small: 1, nope: 2 }).errors[0]).toMatchObject({ field: 'nope' })
  })

  it('checks every type', () => {
    const cases: ReadonlyArray<readonly [string, unknown]> = [
      ['big', 1],
      ['big', 2n ** 63n],
      ['price', 12.5],
      ['price', '12345.6'],
      ['price', 'abc'],
      ['ratio', '1'],
      ['body', 'a\u0000b'],
      ['flag', 'true'],
      ['at', '2024-01-01'],
      ['at', new Date('nope')],
      ['day', '2024-02-30'],
      ['day', new Date()],
      ['token', 'not-a-uuid'],
      ['doc', { a: 1n }],
      ['doc', { a: Number.NaN }],
      ['doc', new Map()],
    ]
    for (const [field, value] of cases) {
      expect(
        fails({ small: 1, [field]: value }).errors.map((e) => e.field),
        `${field}=${String(value)}`,
      ).toEqual([field])
    }
    const ok = decodeInsert(everything, {
      small: 1,
      big: 2n ** 62n,
      price: '-1234.50',
      ratio: 0.5,
      name: 'abc',
      body: 'it’s',
      flag: false,
      at: new Date(0),
      localAt: new Date(0),
      day: '2024-02-29',
      token: '123e4567-e89b-12d3-a456-426614174000',
      doc: { a: 1 },
    })
    expect(E.isRight(ok)).toBe(true)
  })

  it('messages describe values by kind and size, never by content', () => {
    const e = fails({ small: 1, name: 'secret-password' })
    expect(e.message).not.toContain('secret')
    expect(e.message).toContain('15 characters')
  })

  it('patches exclude the primary key and accept any subset', () => {
    expect(E.isRight(decodePatch(books, {}))).toBe(true)
    expect(E.isRight(decodePatch(books, { title: 'New' }))).toBe(true)
    const e = decodePatch(books, { id: 3 })
    expect(E.isLeft(e) && e.left.errors[0]!.field).toBe('id')
  })

  it('encodes to the wire form: bigint and dates as text, jsonb as JSON text', () => {
    const c = everything.$spec.columns
    expect(encodeValue(c.big!, 12n)).toBe('12')
    expect(encodeValue(c.at!, new Date(0))).toBe('1970-01-01T00:00:00.000Z')
    expect(encodeValue(c.localAt!, new Date(0))).toBe('1970-01-01T00:00:00.000')
    expect(encodeValue(c.doc!, { a: 1 })).toBe('{"a":1}')
    expect(encodeValue(c.small!, null)).toBe(null)
  })

  it('derives row codecs that check a full row', () => {
    const { row } = codecs(posts)
    expect(row.is({ id: 1, title: 't', datePosted: new Date(), content: 'c', userId: 1 })).toBe(true)
    expect(row.is({ id: 1, title: 't', datePosted: 'yesterday', content: 'c', userId: 1 })).toBe(false)
  })
})

describe('toJSON', () => {
  it('gives camelCase keys, ISO dates and bigints as strings', () => {
    const at = new Date('2024-05-01T10:00:00Z')
    expect(toJSON(posts, { id: 1, title: 'Blog 1', datePosted: at, content: 'c', userId: 2 })).toEqual({
      id: 1,
      title: 'Blog 1',
      datePosted: '2024-05-01T10:00:00.000Z',
      content: 'c',
      userId: 2,
    })
    expect(toJSON(everything, { id: 1, big: 2n ** 60n })).toEqual({ id: 1, big: '1152921504606846976' })
  })
})
