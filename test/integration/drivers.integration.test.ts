import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Driver, DriverError, Executor } from '../../lib/drivers/driver.js'
import { type ConnectionError, openDriver, parseDatabaseUrl } from '../../lib/drivers/open.js'
import { databases } from '../support/databases.js'
import { left, right } from '../support/results.js'

const targets = databases()

const rows = async (db: Executor, text: string, params: ReadonlyArray<unknown> = []) =>
  (await right(db.query(text, params))).rows

const one = async (db: Executor, text: string, params: ReadonlyArray<unknown> = []) =>
  (await rows(db, text, params))[0]

const utc = (y: number, month: number, d: number, h = 0, mi = 0, sec = 0, ms = 0): Date =>
  new Date(Date.UTC(y, month, d, h, mi, sec, ms))

/** A TCP port on 127.0.0.1 that nothing listens on (taken from the kernel, then released). */
const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1))
    })
  })

describe.each(targets)('$name driver', ({ name, url, open }) => {
  let db: Driver
  beforeAll(async () => {
    db = await open()
  })

  it('reports which client it runs on', () => {
    expect(db.kind).toBe(name)
  })

  describe('reading values', () => {
    it('normalises every column type the same way', async () => {
      const row = await one(
        db,
        `select 1::int2 as i2, (-2147483648)::int4 as i4, 9223372036854775807::int8 as i8,
                12345.678900::numeric as n, 1.5::float4 as f4, 0.1::float8 as f8,
                'NaN'::float8 as nan, '-Infinity'::float8 as ninf,
                'tëxt ✓'::text as t, 'vc'::varchar(10) as vc, true as bt, false as bf,
                '2024-02-29'::date as d, '2024-02-29 13:14:15.123456'::timestamp as ts,
                '2024-02-29 13:14:15.5+02'::timestamptz as tz,
                'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid as u,
                '{"a": {"b": [1, null, "x"]}, "c": true}'::jsonb as j,
                '[1, "two", {"three": 3}, null]'::jsonb as ja,
                '"just a string"'::jsonb as js, '42.5'::jsonb as jn, 'null'::jsonb as jnull,
                '{"k": [1, 2]}'::json as json, '\\x0102ff'::bytea as by`,
      )
      expect(row).toStrictEqual({
        i2: 1,
        i4: -2147483648,
        i8: 9223372036854775807n,
        n: '12345.678900',
        f4: 1.5,
        f8: 0.1,
        nan: Number.NaN,
        ninf: Number.NEGATIVE_INFINITY,
        t: 'tëxt ✓',
        vc: 'vc',
        bt: true,
        bf: false,
        d: '2024-02-29',
        ts: utc(2024, 1, 29, 13, 14, 15, 123),
        tz: utc(2024, 1, 29, 11, 14, 15, 500),
        u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        j: { a: { b: [1, null, 'x'] }, c: true },
        ja: [1, 'two', { three: 3 }, null],
        js: 'just a string',
        jn: 42.5,
        jnull: null,
        json: { k: [1, 2] },
        by: new Uint8Array([1, 2, 255]),
      })
    })

    it('reads SQL NULL of every type as null', async () => {
      const types = ['int2', 'int4', 'int8', 'numeric', 'float8', 'text', 'bool', 'date', 'timestamp']
      const more = ['timestamptz', 'uuid', 'jsonb', 'json', 'bytea', 'int4[]', 'text[]']
      const all = [...types, ...more]
      const row = await one(db, `select ${all.map((t, i) => `null::${t} as c${i}`).join(', ')}`)
      expect(row).toStrictEqual(Object.fromEntries(all.map((_, i) => [`c${i}`, null])))
    })

    it('reads int8 at both ends of its range exactly', async () => {
      expect(
        await one(
          db,
          `select (-9223372036854775808)::int8 as lo, 9007199254740993::int8 as past_2_53, count(*) as n from (values (1), (2)) v`,
        ),
      ).toStrictEqual({ lo: -9223372036854775808n, past_2_53: 9007199254740993n, n: 2n })
    })

    it('reads timestamps: microseconds truncated, infinities, BC and five-digit years', async () => {
      const row = await one(
        db,
        `select '2024-01-01 23:59:59.999999'::timestamp as trunc, 'infinity'::timestamp as inf,
                '-infinity'::timestamptz as ninf, '0044-03-15 12:00:00 BC'::timestamp as bc,
                '10000-01-01 00:00:00'::timestamp as far, '0099-06-01 00:00:00'::timestamp as early`,
      )
      const bc = new Date(0)
      bc.setUTCFullYear(-43, 2, 15)
      bc.setUTCHours(12)
      const early = new Date(0)
      early.setUTCFullYear(99, 5, 1)
      expect(row).toStrictEqual({
        trunc: utc(2024, 0, 1, 23, 59, 59, 999),
        inf: new Date(8.64e15),
        ninf: new Date(-8.64e15),
        bc,
        far: utc(10000, 0, 1),
        early,
      })
    })

    it('reads timestamptz correctly whatever the session time zone (offsets with minutes and seconds)', async () => {
      const zones = await right(
        db.transaction((tx) =>
          TE.tryCatch(
            async () => {
              const read = async (zone: string, literal: string) => {
                await rows(tx, `set local timezone = '${zone}'`)
                return (await one(
                  tx,
                  `select '${literal}'::timestamptz as t, '${literal}'::timestamptz::text as shown`,
                ))!
              }
              return [
                await read('Asia/Kolkata', '2024-01-01 00:00:00+00'),
                await read('America/St_Johns', '2024-01-01 00:00:00+00'),
                await read('Europe/Amsterdam', '1850-01-01 00:00:00+00'),
              ]
            },
            (e) => e,
          ),
        ),
      )
      expect(zones.map((z) => z.shown)).toEqual([
        '2024-01-01 05:30:00+05:30',
        '2023-12-31 20:30:00-03:30',
        // Local mean time: the seconds depend on the tzdata release (PGlite ships its own).
        expect.stringMatching(/^1850-01-01 00:\d\d:\d\d\+00:\d\d:\d\d$/),
      ])
      expect(zones.map((z) => z.t)).toStrictEqual([utc(2024, 0, 1), utc(2024, 0, 1), utc(1850, 0, 1)])
    })

    it('reads arrays of every element type, with NULL elements as null', async () => {
      const row = await one(
        db,
        `select '{1,NULL,-3}'::int2[] as i2, '{1,NULL,3}'::int4[] as i4, '{9007199254740993,NULL}'::int8[] as i8,
                '{1.50,NULL}'::numeric[] as n, '{0.5,NULL,NaN}'::float8[] as f8, '{t,f,NULL}'::bool[] as b,
                array['a', null, 'NULL', 'null', '', 'q"d', 'b\\s', 'c,m', '{x}', ' s ']::text[] as t,
                '{x,NULL}'::varchar[] as vc, '{2024-02-29,NULL}'::date[] as d,
                '{"2024-02-29 13:14:15.5",NULL}'::timestamp[] as ts,
                '{"2024-02-29 13:14:15.5+02",NULL}'::timestamptz[] as tz,
                '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'::uuid[] as u,
                array['{"a": [1, "}"]}'::jsonb, null, '[1, 2]', '"s"'] as j,
                '{{1,2},{3,NULL}}'::int4[] as two_d, '{}'::int4[] as empty, '[0:1]={7,8}'::int4[] as bounded,
                '{"\\\\x01ff",NULL}'::bytea[] as by`,
      )
      expect(row).toStrictEqual({
        i2: [1, null, -3],
        i4: [1, null, 3],
        i8: [9007199254740993n, null],
        n: ['1.50', null],
        f8: [0.5, null, Number.NaN],
        b: [true, false, null],
        t: ['a', null, 'NULL', 'null', '', 'q"d', 'b\\s', 'c,m', '{x}', ' s '],
        vc: ['x', null],
        d: ['2024-02-29', null],
        ts: [utc(2024, 1, 29, 13, 14, 15, 500), null],
        tz: [utc(2024, 1, 29, 11, 14, 15, 500), null],
        u: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', null],
        j: [{ a: [1, '}'] }, null, [1, 2], 's'],
        two_d: [
          [1, 2],
          [3, null],
        ],
        empty: [],
        bounded: [7, 8],
        by: [new Uint8Array([1, 255]), null],
      })
    })

    it('reads arrays of user-defined types as text, on every connection alike; text[] casts parse', async () => {
      await rows(db, `create type mood as enum ('ok', 'sad')`)
      const expected = { m: '{ok,NULL,sad}', cast: ['ok', null, 'sad'], one: 'sad' }
      const sql = 'select $1::mood[] as m, $1::mood[]::text[] as cast, $2::mood as one'
      expect(await one(db, sql, [['ok', null, 'sad'], 'sad'])).toStrictEqual(expected)
      if (name === 'postgres') {
        // A pool opened after the type exists reads it the same way.
        const fresh = await open()
        expect(await one(fresh, sql, [['ok', null, 'sad'], 'sad'])).toStrictEqual(expected)
      }
    })
  })

  describe('sending parameters', () => {
    beforeAll(async () => {
      await rows(
        db,
        `create table roundtrip (
           id int4 primary key, i2 int2, i8 int8, n numeric(20, 6), f4 float4, f8 float8, t text,
           vc varchar(20), b bool, d date, d_from_date date, ts timestamp, tz timestamptz, u uuid,
           j jsonb, j_text jsonb, js json, by bytea, ta text[], ia int4[], ba int8[], da date[],
           tza timestamptz[], ja jsonb[])`,
      )
    })

    it('round-trips a value of every type through a table', async () => {
      const input = {
        id: 1,
        i2: -32768,
        i8: 9007199254740993n,
        n: '123.456000',
        f4: 1.5,
        f8: 0.1,
        t: 'tëxt ✓ \'quoted\' "double" \\ back',
        vc: 'varchar',
        b: false,
        d: '2024-02-29',
        d_from_date: utc(2024, 1, 29, 23, 59, 59),
        ts: utc(2024, 1, 29, 13, 14, 15, 123),
        tz: utc(1999, 11, 31, 23, 59, 59, 999),
        u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        j: { nested: { list: [1, null, 'x', { deep: true }] }, n: 1.25 },
        j_text: '{"already": "JSON text"}',
        js: [1, 'two', null],
        by: new Uint8Array([0, 1, 127, 128, 255]),
        ta: ['a', null, 'NULL', '', 'q"d', 'b\\s', 'c,m', '{x}'],
        ia: [1, null, -2147483648],
        ba: [1n, null, -9223372036854775808n],
        da: ['2024-01-01', null],
        tza: [utc(2024, 0, 1, 12), null, new Date(8.64e15)],
        ja: [{ a: 1 }, null, [1, 2], 'true'],
      }
      const columns = Object.keys(input)
      await rows(
        db,
        `insert into roundtrip (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(input),
      )
      expect(await one(db, `select ${columns.join(', ')} from roundtrip where id = $1`, [1])).toStrictEqual({
        ...input,
        d_from_date: '2024-02-29',
        j_text: { already: 'JSON text' },
        ja: [{ a: 1 }, null, [1, 2], true],
      })
    })

    it('accepts bigint parameters beyond 2^53 wherever an integer or numeric goes', async () => {
      const big = 9007199254740993n
      expect(
        await one(db, 'select $1::int8 + 1 as plus, $2::numeric as n, $3::int4 as small', [big, big, 7n]),
      ).toStrictEqual({ plus: 9007199254740994n, n: '9007199254740993', small: 7 })
      expect(await rows(db, 'select id from roundtrip where id = $1 and i8 = $2', [1n, big])).toStrictEqual([
        { id: 1 },
      ])
      expect(await rows(db, 'select x from unnest($1::int8[]) as x', [[big, -big]])).toStrictEqual([
        { x: big },
        { x: -big },
      ])
    })

    it('accepts Date parameters for date, timestamp and timestamptz, in comparisons too', async () => {
      const when = utc(2024, 1, 29, 13, 14, 15, 123)
      expect(
        await one(db, 'select $1::timestamptz as tz, $2::timestamp as ts, $3::date as d', [when, when, when]),
      ).toStrictEqual({ tz: when, ts: when, d: '2024-02-29' })
      expect(
        await rows(db, 'select id from roundtrip where ts = $1 and tz < $2', [when, new Date()]),
      ).toStrictEqual([{ id: 1 }])
      const bc = new Date(0)
      bc.setUTCFullYear(-43, 2, 15)
      expect(
        await one(db, 'select $1::timestamp as bc, $2::timestamptz as inf', [bc, new Date(-8.64e15)]),
      ).toStrictEqual({ bc, inf: new Date(-8.64e15) })
    })

    it('round-trips text[] and int4[] parameters with tricky strings and NULL elements (unnest)', async () => {
      const texts = [
        'plain',
        null,
        'NULL',
        'null',
        '',
        ' ',
        'quote"d',
        "apos'trophe",
        'back\\slash',
        '\\"',
        'com,ma',
      ]
      const more = ['{brace}', '}', '{', 'new\nline', 'tab\t', 'é ✓ 😀', '{"a":1}', 'a b']
      const all = [...texts, ...more]
      const ints = all.map((_, i) => (i % 3 === 1 ? null : i - 5))
      const result = await rows(
        db,
        'select s, n, i from unnest($1::text[], $2::int4[]) with ordinality as t(s, n, i)',
        [all, ints],
      )
      expect(result).toStrictEqual(all.map((s, i) => ({ s, n: ints[i], i: BigInt(i + 1) })))
    })

    it('round-trips any array of strings and nulls (property)', async () => {
      const tricky = fc.constantFrom(
        'NULL',
        'null',
        '',
        ' ',
        '"',
        '\\',
        ',',
        '{',
        '}',
        '{}',
        'a,b',
        '\\"',
        "'",
      )
      const element = fc.option(
        fc.oneof(tricky, fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' })),
        {
          nil: null,
        },
      )
      await fc.assert(
        fc.asyncProperty(fc.array(element.filter((s) => s === null || !s.includes('\u0000'))), async (xs) => {
          const back = await one(db, 'select $1::text[] as a, array_length($1::text[], 1) as n', [xs])
          expect(back).toStrictEqual({ a: xs, n: xs.length === 0 ? null : xs.length })
        }),
        { numRuns: 60 },
      )
    })

    it('matches int4 columns against an array parameter with = any($1)', async () => {
      expect(await rows(db, 'select id from roundtrip where id = any($1)', [[0, 1, null]])).toStrictEqual([
        { id: 1 },
      ])
    })

    it('sends jsonb parameters: objects, arrays, scalars, JSON text, and null as SQL NULL', async () => {
      const row = await one(
        db,
        `select $1::jsonb as obj, $2::jsonb as arr, $3::jsonb as num, $4::jsonb as bool,
                $5::jsonb as text_json, $6::jsonb as json_string, $7::jsonb is null as sql_null, $8::jsonb as big`,
        [
          { a: [1, { b: null }] },
          [1, 'x', [2]],
          3.5,
          true,
          '{"t": 1}',
          '"s"',
          null,
          { n: 12345678901234567890n },
        ],
      )
      expect(row).toStrictEqual({
        obj: { a: [1, { b: null }] },
        arr: [1, 'x', [2]],
        num: 3.5,
        bool: true,
        text_json: { t: 1 },
        json_string: 's',
        sql_null: true,
        big: { n: '12345678901234567890' },
      })
    })

    it('sends booleans, numbers, bytes and Dates as the type the statement gives them', async () => {
      const row = await one(
        db,
        `select $1::bool as b, $2::float8 as f, $3::bytea as by, $4::text as date_text, $5::int2[] as i2,
                $6::bool[] as ba, $7::timestamptz[] as tza, $8::date[] as da`,
        [
          true,
          -0.5,
          new Uint8Array([222, 173]),
          utc(2024, 0, 2, 3, 4, 5, 6),
          [1, null],
          [true, null, false],
          [utc(2024, 0, 1), null],
          [utc(2024, 0, 1, 23), '2024-01-03'],
        ],
      )
      expect(row).toStrictEqual({
        b: true,
        f: -0.5,
        by: new Uint8Array([222, 173]),
        date_text: '2024-01-02T03:04:05.006Z',
        i2: [1, null],
        ba: [true, null, false],
        tza: [utc(2024, 0, 1), null],
        da: ['2024-01-01', '2024-01-03'],
      })
    })

    it('sends parameters untyped: where the statement fixes no type they arrive as text', async () => {
      expect(await one(db, 'select $1 as big, $2 as flag, $3 as n', [5n, true, 42])).toStrictEqual({
        big: '5',
        flag: 'true',
        n: '42',
      })
    })

    it('treats undefined as NULL', async () => {
      expect(await one(db, 'select $1::int4 is null as u', [undefined])).toStrictEqual({ u: true })
    })

    it('returns a DriverError for a parameter it cannot send, and stays usable', async () => {
      const cyclic: Record<string, unknown> = {}
      cyclic.self = cyclic
      const invalid = await left(db.query('select $1::timestamptz as t', [new Date(Number.NaN)]))
      expect(invalid).toMatchObject({
        _tag: 'DriverError',
        code: undefined,
        statement: 'select $1::timestamptz as t',
      })
      expect(invalid.message).toMatch(/invalid Date/)
      const circular = await left(db.query('select $1::jsonb as j', [cyclic]))
      expect(circular).toMatchObject({ _tag: 'DriverError', code: undefined })
      expect(await one(db, 'select $1::timestamptz as t', [utc(2020, 0, 1)])).toStrictEqual({
        t: utc(2020, 0, 1),
      })
      expect(await one(db, 'select $1::jsonb as j', [{ ok: 1 }])).toStrictEqual({ j: { ok: 1 } })
      const inTx = await db.transaction((tx) =>
        tx.query('select $1::timestamptz as t', [new Date(Number.NaN)]),
      )()
      expect(inTx).toMatchObject({ _tag: 'Left', left: { _tag: 'DriverError', code: undefined } })
      expect(await one(db, 'select 1 as still_usable')).toStrictEqual({ still_usable: 1 })
    })
  })

  describe('row counts', () => {
    it('counts rows affected by DML and rows returned by queries; DDL counts 0', async () => {
      const count = async (text: string) => (await right(db.query(text, []))).rowCount
      expect(await count('create table counted (id int primary key, v text)')).toBe(0)
      expect(await count(`insert into counted values (1, 'a'), (2, 'b'), (3, 'c')`)).toBe(3)
      expect(await count(`update counted set v = 'z' where id < 3`)).toBe(2)
      expect(await count(`insert into counted values (4, 'd'), (5, 'e') returning id`)).toBe(2)
      expect(await count('select * from counted')).toBe(5)
      expect(await count('select * from counted where false')).toBe(0)
      expect(await count('delete from counted where id > 3')).toBe(2)
      expect(await count(`update counted set v = 'y' where false`)).toBe(0)
    })
  })

  describe('transactions', () => {
    beforeAll(async () => {
      await rows(db, 'create table ledger (id int primary key, note text)')
    })

    const ids = async () => (await rows(db, 'select id from ledger order by id')).map((r) => r.id)

    it('commits when f returns Right, and returns its value (arrays intact)', async () => {
      const value = await right(
        db.transaction((tx) =>
          pipe(
            tx.query(`insert into ledger values (1, 'one'), (2, 'two') returning id`, []),
            TE.map((r) => r.rows.map((row) => row.id)),
          ),
        ),
      )
      expect(value).toStrictEqual([1, 2])
      expect(await ids()).toStrictEqual([1, 2])
    })

    it("rolls back when f returns Left, and returns that very Left's value", async () => {
      const mine = { _tag: 'Mine', reason: 'changed my mind' } as const
      const result = await db.transaction((tx) =>
        pipe(
          tx.query(`insert into ledger values (3, 'three')`, []),
          TE.chainW(() => TE.left(mine)),
        ),
      )()
      expect(result).toStrictEqual(E.left(mine))
      expect(E.isLeft(result) && result.left).toBe(mine)
      expect(await ids()).toStrictEqual([1, 2])
    })

    it('rolls back when a statement fails, returning its DriverError', async () => {
      const failure = await left(
        db.transaction((tx) =>
          pipe(
            tx.query(`insert into ledger values (4, 'four')`, []),
            TE.chain(() => tx.query(`insert into ledger values (1, 'duplicate')`, [])),
          ),
        ),
      )
      expect(failure).toMatchObject({
        _tag: 'DriverError',
        code: '23505',
        constraint: 'ledger_pkey',
        table: 'ledger',
      })
      expect(await ids()).toStrictEqual([1, 2])
    })

    it('rolls back even when f swallows the failed statement', async () => {
      const failure = await left(
        db.transaction((tx) =>
          pipe(
            tx.query(`insert into ledger values (5, 'five')`, []),
            TE.chain(() => tx.query(`insert into ledger values (2, 'duplicate')`, [])),
            TE.orElseW(() => TE.right('recovered?')),
          ),
        ),
      )
      expect(failure).toMatchObject({ _tag: 'DriverError', code: '23505' })
      expect(await ids()).toStrictEqual([1, 2])
    })

    it('returns a DriverError when COMMIT itself fails (deferred unique constraint)', async () => {
      await rows(
        db,
        'create table deferred (k int, constraint deferred_k unique (k) deferrable initially deferred)',
      )
      const failure = await left(
        db.transaction((tx) =>
          pipe(
            tx.query('insert into deferred values (1)', []),
            TE.chain(() => tx.query('insert into deferred values (1)', [])),
          ),
        ),
      )
      expect(failure).toMatchObject({ _tag: 'DriverError', code: '23505', constraint: 'deferred_k' })
      expect(await rows(db, 'select * from deferred')).toStrictEqual([])
    })

    it.each(['read committed', 'repeatable read', 'serializable'] as const)(
      'runs at isolation level %s',
      async (isolation) => {
        const level = await right(
          db.transaction((tx) => tx.query('show transaction_isolation', []), { isolation }),
        )
        expect(level.rows).toStrictEqual([{ transaction_isolation: isolation }])
      },
    )

    it('refuses a query or a transaction on the outer handle inside a transaction, instead of hanging', async () => {
      const seen = await right(
        db.transaction(() =>
          TE.fromTask(async () => ({
            query: await db.query('select 1', [])(),
            nested: await db.transaction((tx) => tx.query('select 1', []))(),
          })),
        ),
      )
      expect(seen.query).toMatchObject({ _tag: 'Left', left: { _tag: 'DriverError', statement: 'select 1' } })
      expect(E.isLeft(seen.query) && seen.query.left.message).toMatch(/transaction's handle/)
      expect(seen.nested).toMatchObject({ _tag: 'Left', left: { _tag: 'DriverError' } })
    })

    it('lets work scheduled inside f use the driver once the transaction is over', async () => {
      let release = () => {}
      const gate = new Promise<void>((resolve) => {
        release = resolve
      })
      let later: Promise<E.Either<DriverError, unknown>> | undefined
      await right(
        db.transaction(() =>
          TE.fromIO(() => {
            later = gate.then(() => db.query('select 1 as x', [])())
          }),
        ),
      )
      release()
      expect(await later).toStrictEqual(E.right({ rows: [{ x: 1 }], rowCount: 1 }))
    })

    it('refuses the transaction handle once the transaction is over', async () => {
      let kept: Executor | undefined
      await right(
        db.transaction((tx) => {
          kept = tx
          return TE.right(undefined)
        }),
      )
      const late = await left(kept!.query('select 1', []))
      expect(late.message).toMatch(/already finished/)
    })

    it('rolls back and rethrows an exception thrown by f (a defect, not a database error)', async () => {
      const boom = new Error('boom')
      const attempt = db.transaction((tx) =>
        pipe(
          tx.query(`insert into ledger values (6, 'six')`, []),
          TE.chain(() => () => Promise.reject(boom)),
        ),
      )()
      await expect(attempt).rejects.toBe(boom)
      expect(await ids()).toStrictEqual([1, 2])
    })
  })

  describe('errors', () => {
    beforeAll(async () => {
      await rows(db, 'create table parent (id int primary key)')
      await rows(
        db,
        `create table child (id int primary key, parent_id int references parent (id),
                             name text not null, secret text, qty int constraint qty_positive check (qty > 0))`,
      )
    })

    it('reports a unique violation with code, constraint, table, detail and statement, and no parameters', async () => {
      const insert = 'insert into child (id, name, secret) values ($1, $2, $3)'
      await rows(db, insert, [1, 'first', 'hunter2-the-secret'])
      const error = await left(db.query(insert, [1, 'again', 'hunter2-the-secret']))
      expect(error).toStrictEqual({
        _tag: 'DriverError',
        code: '23505',
        message: 'duplicate key value violates unique constraint "child_pkey"',
        detail: 'Key (id)=(1) already exists.',
        hint: undefined,
        constraint: 'child_pkey',
        table: 'child',
        column: undefined,
        statement: insert,
      } satisfies DriverError)
      expect(JSON.stringify(error)).not.toContain('hunter2')
      expect(Object.isFrozen(error)).toBe(true)
    })

    it('reports not-null, foreign-key and check violations with their fields', async () => {
      const notNull = await left(db.query('insert into child (id, name) values ($1, $2)', [2, null]))
      expect(notNull).toMatchObject({ code: '23502', table: 'child', column: 'name' })
      const foreign = await left(
        db.query('insert into child (id, parent_id, name) values (3, 99, $1)', ['x']),
      )
      expect(foreign).toMatchObject({ code: '23503', table: 'child', constraint: 'child_parent_id_fkey' })
      expect(foreign.detail).toMatch(/not present in table "parent"/)
      const check = await left(db.query('insert into child (id, name, qty) values (4, $1, -1)', ['x']))
      expect(check).toMatchObject({ code: '23514', table: 'child', constraint: 'qty_positive' })
    })

    it('reports syntax errors, unknown tables and multi-statement text with their SQLSTATE', async () => {
      expect(await left(db.query('selec 1', []))).toMatchObject({ code: '42601', statement: 'selec 1' })
      expect(await left(db.query('select * from no_such_table', []))).toMatchObject({ code: '42P01' })
      expect(await left(db.query('select 1; select 2', []))).toMatchObject({ code: '42601' })
    })
  })

  describe('opening and closing', () => {
    it('closes idempotently; later queries and transactions return a DriverError', async () => {
      const own = await right(openDriver(url))
      expect(await own.close()()).toStrictEqual(E.right(undefined))
      expect(await own.close()()).toStrictEqual(E.right(undefined))
      expect((await left(own.query('select 1', []))).message).toMatch(/closed/)
      expect((await left(own.transaction((tx) => tx.query('select 1', [])))).message).toMatch(/closed/)
    })
  })
})

// PostgreSQL only (absent from a PGlite-only run).
describe.each(targets.filter((t) => t.name === 'postgres'))('$name URLs', ({ url }) => {
  it('opens postgresql:// URLs too, and reports a missing database', async () => {
    const other = await right(openDriver(url.replace(/^postgres:/, 'postgresql:'), { max: 2 }))
    expect(other.kind).toBe('postgres')
    const database = new URL(url).pathname.slice(1)
    expect(await one(other, 'select current_database() = $1 as same', [database])).toStrictEqual({
      same: true,
    })
    await right(other.close())
    const missing = await left(openDriver(url.replace(/\/[^/]*$/, '/no_such_database')))
    expect(missing).toMatchObject({ _tag: 'ConnectionError' })
    expect(missing.message).toMatch(/does not exist/)
  })
})

describe('openDriver', () => {
  it('reads every URL form', () => {
    const memory = E.right({ _tag: 'PgliteMemory', template: undefined })
    expect(parseDatabaseUrl(undefined)).toStrictEqual(memory)
    expect(parseDatabaseUrl('')).toStrictEqual(memory)
    expect(parseDatabaseUrl('pglite:')).toStrictEqual(memory)
    expect(parseDatabaseUrl('pglite:memory')).toStrictEqual(memory)
    expect(parseDatabaseUrl('pglite:memory?template=%2Ftmp%2Ft%20x.tar')).toStrictEqual(
      E.right({ _tag: 'PgliteMemory', template: '/tmp/t x.tar' }),
    )
    expect(parseDatabaseUrl('pglite:/abs/dir')).toStrictEqual(
      E.right({ _tag: 'PgliteDirectory', dataDir: '/abs/dir', template: undefined }),
    )
    expect(parseDatabaseUrl('pglite:./rel/dir')).toStrictEqual(
      E.right({ _tag: 'PgliteDirectory', dataDir: join(process.cwd(), 'rel/dir'), template: undefined }),
    )
    expect(parseDatabaseUrl('postgres://u@h/db')).toStrictEqual(
      E.right({ _tag: 'Postgres', url: 'postgres://u@h/db' }),
    )
    expect(parseDatabaseUrl('postgresql://u@h/db')).toStrictEqual(
      E.right({ _tag: 'Postgres', url: 'postgresql://u@h/db' }),
    )
  })

  it('rejects other URLs with a ConnectionError whose password is masked', async () => {
    const refused = async (url: string): Promise<ConnectionError> => left(openDriver(url))
    expect(await refused('mysql://root:s3cret@localhost/db')).toStrictEqual({
      _tag: 'ConnectionError',
      url: 'mysql://root:***@localhost/db',
      message: expect.stringMatching(/unsupported database URL/),
    })
    expect(await refused('pglite:memroy')).toMatchObject({ _tag: 'ConnectionError', url: 'pglite:memroy' })
    expect(await refused('pglite:memory?bogus=1')).toMatchObject({ message: expect.stringMatching(/bogus/) })
    expect(await refused('pglite:memory?template=%2Fno%2Fsuch%2Ffile.tar')).toMatchObject({
      _tag: 'ConnectionError',
      message: expect.stringMatching(/ENOENT/),
    })
  })

  it('reports an unreachable PostgreSQL server at open time', async () => {
    const port = await closedPort()
    const error = await left(openDriver(`postgres://origami:pa55word@127.0.0.1:${port}/db?password=pa55word`))
    expect(error).toStrictEqual({
      _tag: 'ConnectionError',
      url: `postgres://origami:***@127.0.0.1:${port}/db?password=***`,
      message: expect.stringMatching(/ECONNREFUSED/),
    })
    expect(JSON.stringify(error)).not.toContain('pa55word')
  })

  it('opens an in-memory PGlite by default (no URL)', async () => {
    const db = await right(openDriver(undefined))
    expect(db.kind).toBe('pglite')
    expect(await one(db, 'select 40 + $1::int4 as answer', [2])).toStrictEqual({ answer: 42 })
    await right(db.close())
  })

  describe('PGlite on disk', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'origami-pglite-'))
    })
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    it('creates the directory, keeps the data across reopening, and loads a template only into a new one', async () => {
      const dataDir = join(dir, 'nested', 'db')
      const template = `?template=${encodeURIComponent(inject('pgliteTemplate'))}`
      const first = await right(openDriver(`pglite:${dataDir}${template}`))
      await rows(first, 'create table kept (v text)')
      await rows(first, 'insert into kept values ($1)', ['still here'])
      await right(first.close())
      const again = await right(openDriver(`pglite:${dataDir}`))
      expect(await rows(again, 'select v from kept')).toStrictEqual([{ v: 'still here' }])
      await right(again.close())
      expect(await left(openDriver(`pglite:${dataDir}${template}`))).toMatchObject({
        _tag: 'ConnectionError',
        message: expect.stringMatching(/already exists/),
      })
    })
  })
})
