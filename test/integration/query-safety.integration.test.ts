import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Db } from '../../lib/index.js'
import * as Q from '../../lib/namespaces/query.js'
import { databases } from '../support/databases.js'
import { left, right } from '../support/results.js'
import { library, novels, tags, writers } from '../unit/query/schema.js'

const hostile = [
  "O'Brien",
  "'; DROP TABLE novels; --",
  '"; DROP TABLE "novels"; --',
  'back\\slash \\\\ \\x00',
  '$1 $2::int4 $$ $tag$',
  ';-- /* comment */',
  'ünïcødé ☃ 𝄞 '.repeat(40),
  '%_ LIKE wildcards',
]
const nul = 'nul\u0000byte'

describe.each(databases())('hostile input on $name', ({ url }) => {
  let db: Db<typeof library>
  beforeAll(async () => {
    db = await right(connect(library, url))
    await right(db.dropAll())
    await right(db.createAll())
  })
  afterAll(async () => {
    await db.close()()
  })

  it('stores and finds hostile values through insertMany, eq, like, between, inArray, coalesce, sql', async () => {
    const made = await right(
      db.insertMany(
        writers,
        hostile.map((name) => ({ name: name.slice(0, 80) })),
      ),
    )
    expect(made.map((w) => w.name)).toEqual(hostile.map((h) => h.slice(0, 80)))
    for (const w of made) {
      const byEq = await right(
        db.all(
          pipe(
            Q.from(writers),
            Q.where((x) => Q.eq(x.name, w.name)),
          ),
        ),
      )
      expect(byEq.map((x) => x.id)).toEqual([w.id])
      const byFilter = await right(db.all(Q.filterBy(writers, { name: w.name })))
      expect(byFilter.map((x) => x.id)).toEqual([w.id])
      const bySql = await right(
        db.all(
          pipe(
            Q.from(writers),
            Q.where((x) => Q.sql<boolean>`${x.name} = ${w.name}`),
          ),
        ),
      )
      expect(bySql.map((x) => x.id)).toEqual([w.id])
      const between = await right(
        db.count(
          pipe(
            Q.from(writers),
            Q.where((x) => Q.between(x.name, w.name, w.name)),
          ),
        ),
      )
      expect(between).toBe(1)
      const sel = await right(
        db.all(
          pipe(
            Q.from(writers),
            Q.where((x) => Q.inArray(x.name, [w.name, ...hostile])),
            Q.where((x) => Q.eq(x.id, w.id)),
            Q.select((x) => ({ n: Q.coalesce(x.born, 0), name: x.name })),
          ),
        ),
      )
      expect(sel).toEqual([{ n: 0, name: w.name }])
    }
    const patterns = await right(
      db.count(
        pipe(
          Q.from(writers),
          Q.where((x) => Q.like(x.name, hostile[7]!)),
        ),
      ),
    )
    expect(patterns).toBe(1)
    const updated = await right(
      db.updateWhere(writers, (x) => Q.eq(x.name, hostile[1]!), { name: hostile[2]! }),
    )
    expect(updated.map((w) => w.name)).toEqual([hostile[2]])
    const deleted = await right(db.deleteWhere(writers, (x) => Q.eq(x.name, hostile[2]!)))
    expect(deleted).toHaveLength(2)
  })

  it('refuses hostile filterBy keys, select keys and include names before any SQL', async () => {
    for (const key of [...hostile, nul, '__proto__', 'constructor', 'name"; --']) {
      const e = await left(db.all(Q.filterBy(writers, { [key]: 'x' } as never)))
      expect(e).toMatchObject({ _tag: 'InvalidQuery', message: expect.stringContaining('has no field') })
    }
    const nulKey = await left(
      db.all(
        pipe(
          Q.from(writers),
          Q.select((w) => ({ [nul]: w.id })),
        ),
      ),
    )
    expect(nulKey).toMatchObject({ _tag: 'InvalidQuery', message: expect.stringContaining('NUL') })
    const longKey = await left(
      db.all(
        pipe(
          Q.from(writers),
          Q.select((w) => ({ [hostile[6]!]: w.id })),
        ),
      ),
    )
    expect(longKey).toMatchObject({ _tag: 'InvalidQuery', message: expect.stringContaining('63 bytes') })
    // quote characters in a select key are quoted, not interpreted
    const quoted = await right(
      db.all(
        pipe(
          Q.from(writers),
          Q.select((w) => ({ [hostile[2]!.slice(0, 30)]: w.id })),
        ),
      ),
    )
    expect(Object.keys(quoted[0] ?? { [hostile[2]!.slice(0, 30)]: 0 })).toEqual([hostile[2]!.slice(0, 30)])
    for (const name of hostile) {
      const e = await left(db.all(pipe(Q.from(library, 'writers'), Q.include(name as never))))
      expect(e).toMatchObject({ _tag: 'InvalidQuery', message: expect.stringContaining('no relationship') })
    }
    const cursor = await left(
      db.keyset(
        pipe(
          Q.from(writers),
          Q.orderBy((w) => w.id),
        ),
        { perPage: 1, after: hostile[1] },
      ),
    )
    expect(cursor).toMatchObject({ _tag: 'InvalidQuery' })
  })

  it('rejects NUL in values with a clear error, as a DecodeError on writes and a DriverError on reads', async () => {
    expect(await left(db.insertMany(tags, [{ label: nul }]))).toMatchObject({ _tag: 'DecodeError' })
    const read = await left(
      db.all(
        pipe(
          Q.from(tags),
          Q.where((t) => Q.eq(t.label, nul)),
        ),
      ),
    )
    expect(read).toMatchObject({ _tag: 'DriverError' })
  })

  it('leaves every table in place', async () => {
    expect(await right(db.count(novels))).toBe(0)
    expect(await right(db.count(writers))).toBe(hostile.length - 2)
  })
})
