import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromDriver } from '../../lib/db/connect.js'
import type { Driver, Executor } from '../../lib/drivers/driver.js'
import { integer, schema, serial, table } from '../../lib/index.js'
import * as S from '../../lib/namespaces/session.js'
import { databases } from '../support/databases.js'
import { left, right } from '../support/results.js'

const counters = table('counters', { id: serial().primaryKey(), n: integer().notNull() })
const s = schema({ counters })

/**
 * Our driver, with another connection that commits a conflicting update right after our
 * transaction has taken its snapshot, in the first `interfere` attempts. Under
 * SERIALIZABLE our next write to that row then fails with SQLSTATE 40001: a real
 * serialization failure on the server, not a simulated one.
 */
const interfering = (
  ours: Driver,
  other: Driver,
  interfere: number,
): Driver & { readonly attempts: () => number } => {
  let attempts = 0
  return {
    ...ours,
    // the step-by-step path, where a statement can be slipped in between (batches: below)
    batch: undefined,
    transaction: (f, o) =>
      ours.transaction((tx) => {
        attempts += 1
        let first = attempts <= interfere
        const wrapped: Executor = {
          query: (text, params) => {
            if (!first) return tx.query(text, params)
            first = false
            return pipe(
              tx.query('SELECT n FROM counters WHERE id = 1', []), // takes the snapshot
              TE.chain(() => other.query('UPDATE counters SET n = n + 100 WHERE id = 1', [])),
              TE.chain(() => tx.query(text, params)),
            )
          },
        }
        return f(wrapped)
      }, o),
    attempts: () => attempts,
  }
}

const targets = databases()
const postgres = targets.filter((t) => t.name === 'postgres')

describe.runIf(postgres.length > 0).each(postgres)('retries on $name', ({ open }) => {
  let ours: Driver
  let other: Driver
  beforeAll(async () => {
    ours = await open()
    other = await open()
    const db = fromDriver(s, ours)
    await right(db.dropAll())
    await right(db.createAll())
    await right(db.commit(pipe(S.empty(s), S.add(S.ref(counters), { n: 0 }))))
  })
  const n = async () => (await right(ours.query('SELECT n FROM counters WHERE id = 1', []))).rows[0]!.n

  it('re-runs the whole plan after a serialization failure and says how many attempts it took', async () => {
    const d = interfering(ours, other, 1)
    const done = await right(
      fromDriver(s, d).commit(pipe(S.empty(s), S.update(counters, 1, { n: 5 })), {
        isolation: 'serializable',
        retries: 2,
        backoffMs: 1,
      }),
    )
    expect(done.attempts).toBe(2)
    expect(d.attempts()).toBe(2)
    expect(await n()).toBe(5)
  })

  it('gives up after the retries allowed, with a SerializationFailure, and keeps nothing of the commit', async () => {
    await right(ours.query('UPDATE counters SET n = 0 WHERE id = 1', []))
    const d = interfering(ours, other, 10)
    const e = await left(
      fromDriver(s, d).commit(pipe(S.empty(s), S.update(counters, 1, { n: 7 })), {
        isolation: 'serializable',
        retries: 1,
        backoffMs: 1,
      }),
    )
    expect(e).toMatchObject({
      _tag: 'SerializationFailure',
      attempts: 2,
      code: '40001',
      step: 'update counters',
    })
    expect(await n()).toBe(200) // the other connection's two updates, none of ours
  })

  it('does not retry unless asked: the first serialization failure is returned', async () => {
    const d = interfering(ours, other, 1)
    const e = await left(
      fromDriver(s, d).commit(pipe(S.empty(s), S.update(counters, 1, { n: 9 })), {
        isolation: 'serializable',
      }),
    )
    expect(e).toMatchObject({ _tag: 'SerializationFailure', attempts: 1 })
    expect(d.attempts()).toBe(1)
  })

  it('re-runs a plan sent as one batch when a concurrent update makes it fail with 40001', async () => {
    await right(ours.query('UPDATE counters SET n = 0 WHERE id = 1', []))
    expect(ours.batch).toBeDefined()
    // the other connection holds the row: our batch's update waits for it, then finds
    // the row changed since its snapshot (repeatable read) and fails with 40001
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const locking = other.transaction((tx) =>
      pipe(
        tx.query('UPDATE counters SET n = n + 100 WHERE id = 1', []),
        TE.chain(() => TE.fromTask(() => held)),
      ),
    )()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const committing = fromDriver(s, ours).commit(pipe(S.empty(s), S.update(counters, 1, { n: 5 })), {
      isolation: 'repeatable read',
      retries: 2,
      backoffMs: 1,
    })()
    await new Promise((resolve) => setTimeout(resolve, 100))
    release()
    await locking
    const done = await right(() => committing)
    expect(done.attempts).toBe(2)
    expect(done.statements).toBe(1)
    expect(await n()).toBe(5)
  })
})

describe.each(targets)('isolation on $name', ({ open }) => {
  it('commits under each isolation level in one attempt when nothing interferes', async () => {
    const db = fromDriver(s, await open())
    await right(db.dropAll())
    await right(db.createAll())
    for (const isolation of ['read committed', 'repeatable read', 'serializable'] as const) {
      const done = await right(
        db.commit(pipe(S.empty(s), S.add(S.ref(counters), { n: 1 })), { isolation, retries: 3 }),
      )
      expect(done.attempts).toBe(1)
    }
    expect((await right(db.all(counters))).length).toBe(3)
  })
})
