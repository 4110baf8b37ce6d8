/**
 * A commit of one self-checking update or delete runs as that one statement, without
 * BEGIN/COMMIT (a single statement is atomic): on both databases, the driver sees one
 * query and no transaction or batch, and a stale row fails the statement and leaves
 * the database as it was.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromDriver } from '../../lib/db/connect.js'
import type { Driver } from '../../lib/drivers/driver.js'
import * as S from '../../lib/namespaces/session.js'
import { authors, books, bookstore } from '../fixtures/bookstore.js'
import { databases } from '../support/databases.js'
import { left, right } from '../support/results.js'

/** A driver that records what the commit asked of it. */
const watched = (d: Driver) => {
  const calls: string[] = []
  const driver: Driver = {
    ...d,
    query: (text, params) => {
      calls.push(`query ${text.slice(0, 6)}`)
      return d.query(text, params)
    },
    transaction: (body, options) => {
      calls.push('transaction')
      return d.transaction(body, options)
    },
    ...(d.batch === undefined
      ? {}
      : {
          batch: (statements, options) => {
            calls.push('batch')
            return d.batch!(statements, options)
          },
        }),
  }
  return { driver, calls }
}

describe.each(databases())('a lone self-checking statement on $name', ({ open }) => {
  let titles: () => Promise<unknown[]>
  let w: ReturnType<typeof watched>
  let ids: number[]
  beforeAll(async () => {
    w = watched(await open())
    const db = fromDriver(bookstore, w.driver)
    await right(db.createAll())
    const made = await right(
      db.commit(
        pipe(
          S.empty(bookstore),
          S.add(S.ref(authors), { name: 'a', books: [{ title: 'one' }, { title: 'two' }] }),
        ),
      ),
    )
    ids = [...made.inserted.entries()].filter(([ref]) => ref.includes('books')).map(([, r]) => r.id as number)
    titles = async () =>
      (await right(w.driver.query('SELECT title FROM books ORDER BY id', []))).rows.map((r) => r.title)
  })

  /** Commits the session with no driver calls recorded before it. */
  const commit = (s: S.Session<typeof bookstore>) => {
    w.calls.length = 0
    return fromDriver(bookstore, w.driver).commit(s)
  }
  /** The two books' titles updated, the second named by `second` (999: a row that is not there). */
  const retitle = (first: string, second: number, title: string) =>
    pipe(S.empty(bookstore), S.update(books, ids[0]!, { title: first }), S.update(books, second, { title }))

  it('updates named rows with one statement and no transaction', async () => {
    const done = await right(commit(retitle('uno', ids[1]!, 'dos')))
    expect(w.calls).toEqual(['query WITH w'])
    expect(done).toMatchObject({ statements: 1, counts: { 'update books': 2 } })
    expect(await titles()).toEqual(['uno', 'dos'])
  })

  it('fails as a whole on a stale row, names it, and changes nothing', async () => {
    const e = await left(commit(retitle('x', 999, 'y')))
    expect(e).toMatchObject({ _tag: 'StaleRowError', table: 'books', step: 'update books', keys: ['999'] })
    // the statement, then the read of which named rows are gone
    expect(w.calls).toEqual(['query WITH w', 'query SELECT'])
    expect(await titles()).toEqual(['uno', 'dos'])
  })

  it('deletes named rows the same way', async () => {
    const e = await left(commit(pipe(S.empty(bookstore), S.delete(books, ids[0]!), S.delete(books, 998))))
    expect(e).toMatchObject({ _tag: 'StaleRowError', step: 'delete books', keys: ['998'] })
    expect(await titles()).toEqual(['uno', 'dos'])
    await right(commit(pipe(S.empty(bookstore), S.delete(books, ids[0]!))))
    expect(w.calls).toEqual(['query WITH w'])
    expect(await titles()).toEqual(['dos'])
  })
})
