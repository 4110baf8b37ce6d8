// Codec round-trip: every value the arbitraries produce, of every column type, nullable or
// not, survives encode → database → decode unchanged (compared as canonical text), on
// PGlite and PostgreSQL. Budget: ORIGAMI_PROPERTY_RUNS (default below).
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Driver } from '../../lib/drivers/driver.js'
import { openDriver } from '../../lib/drivers/open.js'
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  fromDriver,
  integer,
  jsonb,
  numeric,
  real,
  session as S,
  schema,
  table,
  text,
  timestamp,
  uuid,
  varchar,
} from '../../lib/index.js'
import { budgetFromEnv, canonical, columnValue, isolated, parameters } from '../../properties/index.js'
import { databases } from '../support/databases.js'

const kinds = {
  integer: () => integer(),
  bigint: () => bigint(),
  real: () => real(),
  double: () => doublePrecision(),
  numeric: () => numeric(12, 3),
  numericAny: () => numeric(),
  varchar: () => varchar(5),
  text: () => text(),
  boolean: () => boolean(),
  timestamp: () => timestamp(),
  timestamptz: () => timestamp({ withTimezone: true }),
  date: () => date(),
  uuid: () => uuid(),
  jsonb: () => jsonb(),
} as const

type Kind = keyof typeof kinds
const tableOf = (cols: ReadonlyArray<{ readonly kind: Kind; readonly notNull: boolean }>) => {
  const columns: Record<string, any> = { id: integer().primaryKey() }
  cols.forEach((c, i) => {
    columns[`c${i}`] = c.notNull ? kinds[c.kind]().notNull() : kinds[c.kind]()
  })
  return table('v', columns)
}

/** Columns `c<i>` of the kinds chosen (nullable or NOT NULL) for a table `v`, and rows for it. */
const columnsAndRows = fc
  .array(fc.record({ kind: fc.constantFrom(...(Object.keys(kinds) as Kind[])), notNull: fc.boolean() }), {
    minLength: 1,
    maxLength: 4,
  })
  .chain((cols) => {
    const v = tableOf(cols)
    const value = fc.record(
      Object.fromEntries(cols.map((_, i) => [`c${i}`, columnValue(v.$spec.columns[`c${i}`]!)])),
    )
    return fc.array(value, { minLength: 1, maxLength: 3 }).map((rows) => ({ cols, rows }))
  })

describe.each(databases())('codec round-trip on $name', ({ url }) => {
  let driver: Driver
  beforeAll(async () => {
    const opened = await openDriver(url, { max: 1 })()
    if (E.isLeft(opened)) throw new Error(opened.left.message)
    driver = opened.right
  })
  afterAll(async () => {
    await driver?.close()()
  })

  it('values survive encode → database → decode', async () => {
    await fc.assert(
      fc.asyncProperty(columnsAndRows, ({ cols, rows }) =>
        isolated(driver, async () => {
          const v = tableOf(cols)
          const sch = schema({ v })
          const db = fromDriver(sch, driver)
          expect(E.isRight(await db.createAll()())).toBe(true)
          const s = rows.reduce(
            (acc, r, i) => S.add(S.ref(v), { id: i + 1, ...r } as never)(acc),
            S.empty(sch),
          )
          const done = await db.commit(s)()
          if (E.isLeft(done)) throw new Error(done.left.message)
          const back = await db.all(v)()
          if (E.isLeft(back)) throw new Error(back.left.message)
          const show = (r: Record<string, unknown>) =>
            v.$spec.fields.map((f) => `${f}=${canonical(v.$spec.columns[f]!.sqlType, r[f])}`).join(' ')
          expect(back.right.map((r) => show(r as Record<string, unknown>)).sort()).toEqual(
            rows.map((r, i) => show({ id: i + 1, ...r })).sort(),
          )
        }),
      ),
      parameters(budgetFromEnv(60, 0.5)),
    )
  }, 300_000)
})
