import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Db, fromDriver } from '../../lib/db/connect.js'
import * as Q from '../../lib/namespaces/query.js'
import * as S from '../../lib/namespaces/session.js'
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  real,
  text,
  timestamp,
  uuid,
  varchar,
} from '../../lib/schema/column.js'
import { schema } from '../../lib/schema/schema.js'
import { type Row, table } from '../../lib/schema/table.js'
import { databases } from '../support/databases.js'
import { right } from '../support/results.js'

const everything = table('everything', {
  id: bigserial().primaryKey(),
  small: integer().notNull(),
  big: bigint(),
  price: numeric(12, 2),
  exact: numeric(),
  single: real(),
  ratio: doublePrecision(),
  name: varchar(5),
  body: text(),
  flag: boolean(),
  at: timestamp({ withTimezone: true }),
  localAt: timestamp(),
  day: date(),
  token: uuid(),
  doc: jsonb(),
  status: varchar(10).notNull().default('draft'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
})
const tokens = table('tokens', { id: uuid().primaryKey().defaultRandom(), label: varchar(10).notNull() })
const pairs = table('pairs', { a: integer().primaryKey(), b: integer().primaryKey(), note: text() })
const s = schema({ everything, tokens, pairs })

describe.each(databases())('values on $name', ({ open }) => {
  let db: Db<typeof s>
  beforeAll(async () => {
    db = fromDriver(s, await open())
    await right(db.dropAll())
    await right(db.createAll())
  })

  it('round-trips every column type through commit and read unchanged', async () => {
    const values = {
      small: -(2 ** 31),
      big: 2n ** 62n + 1n,
      price: '-1234567890.25',
      exact: '3.141592653589793238462643383279',
      single: 0.5,
      ratio: 1 / 3,
      name: 'åß😀xy',
      body: "quote ' backslash \\ newline \n tab \t",
      flag: false,
      at: new Date('2024-02-29T23:59:59.123Z'),
      localAt: new Date('1999-12-31T12:00:00.000Z'),
      day: '2024-02-29',
      token: '123e4567-e89b-12d3-a456-426614174000',
      doc: { nested: { list: [1, 'two', null, true], empty: {} }, 'key "quoted"': 'v' },
    } as const
    const r = S.ref(everything)
    const nulls = S.ref(everything)
    const done = await right(db.commit(pipe(S.empty(s), S.add(r, values), S.add(nulls, { small: 0 }))))
    const inserted = O.toUndefined(done.resolve(r))!
    expect(typeof inserted.id).toBe('bigint')
    expect(inserted.status).toBe('draft')
    expect(inserted.createdAt).toBeInstanceOf(Date)
    const read = O.toUndefined(await right(db.get(everything, inserted.id)))!
    const expected: Row<typeof everything> = {
      ...values,
      id: inserted.id,
      status: 'draft',
      createdAt: inserted.createdAt,
    }
    expect(read).toEqual(expected)
    expect(inserted).toEqual(expected)
    const empty = O.toUndefined(await right(db.get(everything, O.toUndefined(done.resolve(nulls))!.id)))!
    expect(empty).toMatchObject({
      big: null,
      price: null,
      doc: null,
      at: null,
      day: null,
      token: null,
      flag: null,
    })
  })

  it('resolves inserted rows to what was stored where the server normalises the value sent', async () => {
    const r = S.ref(everything)
    const done = await right(
      db.commit(
        pipe(
          S.empty(s),
          S.add(r, { small: 7, price: '1.005', token: '123E4567-E89B-12D3-A456-426614174000', name: 'ab' }),
        ),
      ),
    )
    const inserted = O.toUndefined(done.resolve(r))!
    // numeric(12, 2) rounds and uuid comes back in lower case: read back, not echoed
    expect(inserted).toMatchObject({
      small: 7,
      price: '1.01',
      token: '123e4567-e89b-12d3-a456-426614174000',
      name: 'ab',
    })
    expect(O.toUndefined(await right(db.get(everything, inserted.id)))).toEqual(inserted)
  })

  it('stores a jsonb array, string and number as themselves', async () => {
    const docs = [[1, 2, 3], 'just a string', 42, { a: [] }]
    const refs = docs.map(() => S.ref(everything))
    const done = await right(
      db.commit(pipe(S.empty(s), S.addAll(refs.map((r, i) => S.entry(r, { small: i, doc: docs[i] }))))),
    )
    expect(refs.map((r) => O.toUndefined(done.resolve(r))!.doc)).toEqual(docs)
  })

  it('compares timestamps, bigints and dates through query parameters', async () => {
    const big = 2n ** 62n + 1n
    const found = await right(
      db.all(
        pipe(
          Q.from(everything),
          Q.where((e) => Q.and(Q.eq(e.big, big), Q.gt(e.at, new Date(0)), Q.eq(e.day, '2024-02-29'))),
        ),
      ),
    )
    expect(found).toHaveLength(1)
  })

  it('matches generated uuid keys one row at a time', async () => {
    const a = S.ref(tokens)
    const b = S.ref(tokens)
    const done = await right(db.commit(pipe(S.empty(s), S.add(a, { label: 'a' }), S.add(b, { label: 'b' }))))
    const ra = O.toUndefined(done.resolve(a))!
    expect(ra.label).toBe('a')
    expect(ra.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(O.toUndefined(done.resolve(b))!.label).toBe('b')
    expect(O.toUndefined(await right(db.get(tokens, ra.id)))).toEqual(ra)
  })

  it('inserts, reads, updates and deletes by composite key', async () => {
    const refs = [S.ref(pairs), S.ref(pairs)]
    const done = await right(
      db.commit(
        pipe(
          S.empty(s),
          S.add(refs[1]!, { a: 2, b: 1, note: 'second' }),
          S.add(refs[0]!, { a: 1, b: 2, note: 'first' }),
        ),
      ),
    )
    expect(O.toUndefined(done.resolve(refs[0]!))!.note).toBe('first')
    expect(O.toUndefined(done.resolve(refs[1]!))!.note).toBe('second')
    await right(db.commit(pipe(done.session, S.update(pairs, { a: 1, b: 2 }, { note: 'changed' }))))
    expect(O.toUndefined(await right(db.get(pairs, { a: 1, b: 2 })))!.note).toBe('changed')
    await right(db.commit(pipe(S.empty(s), S.delete(pairs, { a: 2, b: 1 }))))
    expect((await right(db.all(pairs))).map((p) => [p.a, p.b])).toEqual([[1, 2]])
  })
})
