/**
 * `driver.batch` on PostgreSQL (PGlite has none: it runs in process, so sending
 * statements together saves nothing): BEGIN, the statements and COMMIT sent together,
 * in order, all or nothing; and a commit that goes as one batch, end to end.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromDriver } from '../../lib/db/connect.js'
import type { LogEntry } from '../../lib/db/log.js'
import type { Driver } from '../../lib/drivers/driver.js'
import * as S from '../../lib/namespaces/session.js'
import { books, bookstore } from '../fixtures/bookstore.js'
import { databases } from '../support/databases.js'
import { left, right } from '../support/results.js'

const postgres = databases().filter((t) => t.name === 'postgres')

describe.runIf(postgres.length > 0).each(postgres)('batches on $name', ({ open }) => {
  let d: Driver
  beforeAll(async () => {
    d = await open()
    await right(d.query('create table batched (id int primary key, at timestamptz)', []))
  })

  const ids = async () =>
    (await right(d.query('select id from batched order by id', []))).rows.map((r) => r.id)

  it('runs the statements in order in one transaction and returns each result', async () => {
    const r = await right(
      d.batch!([
        { text: 'insert into batched (id) values ($1)', params: [1] },
        { text: 'insert into batched (id) values ($1), ($2)', params: [2, 3] },
        { text: 'select count(*)::int as n from batched', params: [] },
      ]),
    )
    expect(r.map((x) => x.rowCount)).toEqual([1, 2, 1])
    expect(r[2]!.rows).toEqual([{ n: 3 }])
    expect(await ids()).toEqual([1, 2, 3])
  })

  it('rolls everything back when one statement fails, naming it by index', async () => {
    const e = await left(
      d.batch!([
        { text: 'insert into batched (id) values ($1)', params: [4] },
        { text: 'insert into batched (id) values ($1)', params: [1] }, // duplicate key
        { text: 'insert into batched (id) values ($1)', params: [5] },
      ]),
    )
    expect(e).toMatchObject({
      index: 1,
      error: { code: '23505', statement: 'insert into batched (id) values ($1)' },
    })
    expect(await ids()).toEqual([1, 2, 3])
    // the connection is usable and not left inside a transaction
    await right(d.batch!([{ text: 'delete from batched where id = $1', params: [3] }]))
    expect(await ids()).toEqual([1, 2])
  })

  it('takes values that are not plain (a Date) through a transaction instead, with the same results', async () => {
    const at = new Date('2024-01-02T03:04:05.678Z')
    const r = await right(
      d.batch!([
        { text: 'insert into batched (id, at) values ($1, $2)', params: [6, at] },
        { text: 'select at from batched where id = $1', params: [6] },
      ]),
    )
    expect(r[1]!.rows).toEqual([{ at }])
    const e = await left(
      d.batch!([
        { text: 'insert into batched (id, at) values ($1, $2)', params: [7, at] },
        { text: 'insert into batched (id) values ($1)', params: [6] },
      ]),
    )
    expect(e).toMatchObject({ index: 1, error: { code: '23505' } })
    expect(await ids()).toEqual([1, 2, 6])
  })

  it('commits a batchable plan in one round trip and reports stale rows after rolling back', async () => {
    const log: LogEntry[] = []
    const db = fromDriver(bookstore, await open(), { log: (x) => log.push(x) })
    await right(db.dropAll())
    await right(db.createAll())
    const made = await right(
      db.commit(
        pipe(S.empty(bookstore), S.add(S.ref(books), { title: 'a' }), S.add(S.ref(books), { title: 'b' })),
      ),
    )
    const [a, b] = [...made.inserted.values()].map((r) => r.id as number)
    log.length = 0
    const ok = await right(
      db.commit(pipe(S.empty(bookstore), S.update(books, a!, { title: 'a2' }), S.delete(books, b!))),
    )
    expect(ok.counts).toEqual({ 'update books': 1, 'delete books': 1 })
    expect(log.map((x) => x.statement.slice(0, 11))).toEqual(['WITH w AS (', 'WITH w AS ('])
    const e = await left(
      db.commit(pipe(S.empty(bookstore), S.update(books, a!, { title: 'a3' }), S.delete(books, b!))),
    )
    expect(e).toMatchObject({
      _tag: 'StaleRowError',
      table: 'books',
      step: 'delete books',
      keys: [String(b)],
    })
    expect(E.isRight(await db.get(books, a!)()) && (await right(db.get(books, a!)))).toMatchObject({
      _tag: 'Some',
      value: { title: 'a2' },
    })
  })
})
