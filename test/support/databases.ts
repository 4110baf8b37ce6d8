/**
 * The databases an integration test file runs on: PGlite always, PostgreSQL too when
 * the global setup found or started a server. Call `databases()` once, at the top level
 * of the test file, and loop over the result:
 *
 * ```ts
 * const targets = databases()
 * describe.each(targets)('$name', ({ open, url }) => {
 *   let db: Driver
 *   beforeAll(async () => {
 *     db = await open()
 *   })
 *   it('selects', async () => {
 *     expect(await db.query('select 1 as x', [])()).toEqual(E.right({ rows: [{ x: 1 }], rowCount: 1 }))
 *   })
 * })
 * ```
 *
 * Isolation: on PostgreSQL each call gets its own database (created before the file's
 * tests, dropped after them), so files running in parallel never see each other's
 * tables; every `open()` and every `openDriver(url)` in the file reaches that same
 * database. On PGlite every `open()` (and every `openDriver(url)`) is a new, empty
 * in-memory database started from the template. Drivers made by `open()` are closed
 * after the file; close your own `openDriver(url)` drivers.
 */
import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, inject } from 'vitest'
import type { Driver } from '../../lib/drivers/driver.js'
import { openDriver } from '../../lib/drivers/open.js'
import './context.js'

/** One database a test file runs on. */
export interface TestDatabase {
  /** Which driver; shown in test names with `describe.each(targets)('$name', …)`. */
  readonly name: 'pglite' | 'postgres'
  /**
   * A URL for `openDriver`/`connect`: `pglite:memory?template=…` (a new database per
   * open) or a postgres:// URL naming this file's own database.
   */
  readonly url: string
  /** Opens a driver on `url`; throws when that fails. Closed after the file. */
  readonly open: () => Promise<Driver>
}

/** Whether the PostgreSQL cases run (false: PGlite only, as announced by the setup). */
export const hasPostgres = (): boolean => inject('postgresAdminUrl') !== null

/** The URL of another database on the same server as `adminUrl`. */
const withDatabase = (adminUrl: string, database: string): string => {
  const u = new URL(adminUrl)
  u.pathname = `/${database}`
  return u.toString()
}

const openOrThrow = async (url: string): Promise<Driver> => {
  const opened = await openDriver(url)()
  if (E.isLeft(opened)) throw new Error(`test database: ${opened.left.message} (${opened.left.url})`)
  return opened.right
}

const runOrThrow = async (db: Driver, sql: string): Promise<void> => {
  const done = await db.query(sql, [])()
  if (E.isLeft(done)) throw new Error(`test database: ${done.left.message} (${sql})`)
}

/**
 * The databases of this test file; registers the file's `beforeAll`/`afterAll` hooks
 * that create and drop its PostgreSQL database and close what `open()` opened.
 * Shape: `()` → `[pglite]` or `[pglite, postgres]`.
 */
export const databases = (): ReadonlyArray<TestDatabase> => {
  const opened: Array<Driver> = []
  const opener = (url: string) => async (): Promise<Driver> => {
    const db = await openOrThrow(url)
    opened.push(db)
    return db
  }
  const template = inject('pgliteTemplate')
  const pgliteUrl = `pglite:memory?template=${encodeURIComponent(template)}`
  const targets: Array<TestDatabase> = [{ name: 'pglite', url: pgliteUrl, open: opener(pgliteUrl) }]

  const adminUrl = inject('postgresAdminUrl')
  let admin: Driver | undefined
  const database = `origami_test_${process.pid}_${randomBytes(4).toString('hex')}`
  if (adminUrl !== null) {
    const url = withDatabase(adminUrl, database)
    targets.push({ name: 'postgres', url, open: opener(url) })
    beforeAll(async () => {
      admin = await openOrThrow(adminUrl)
      await runOrThrow(admin, `create database "${database}"`)
    })
  }

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()()))
    if (admin !== undefined) {
      await runOrThrow(admin, `drop database if exists "${database}" with (force)`)
      await admin.close()()
    }
  })
  return targets
}
