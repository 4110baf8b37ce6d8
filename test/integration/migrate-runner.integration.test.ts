/**
 * The runner on real databases: two runners at once apply each revision exactly once; a
 * failing revision rolls back and leaves the revision table as it was; a held lock is a
 * `LockTimeout` (exit 3); and the `--sql` script, applied by psql (PostgreSQL) or
 * statement by statement (PGlite), gives the same catalog as the runner.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { beforeEach, describe, expect, it } from 'vitest'
import { introspect } from '../../lib/dialects/postgres/introspect.js'
import type { Driver } from '../../lib/drivers/driver.js'
import { openDriver } from '../../lib/drivers/open.js'
import { integer, schema, serial, table, text, varchar } from '../../lib/index.js'
import { exitCode } from '../../lib/migrate/errors.js'
import { generate } from '../../lib/migrate/generate.js'
import type { Operation } from '../../lib/migrate/operation.js'
import { type Revision, validateRevision } from '../../lib/migrate/revision.js'
import { migrate, readState, verify } from '../../lib/migrate/runner.js'
import { script } from '../../lib/migrate/script.js'
import { databases } from '../support/databases.js'
import { right } from '../support/results.js'

const exec = promisify(execFile)

const revision = (
  id: string,
  parent: string | null,
  upgrade: ReadonlyArray<Operation>,
  downgrade: ReadonlyArray<Operation> = [],
): Revision => {
  const data = { id, parent, message: `revision ${id}`, upgrade, downgrade }
  const r = validateRevision(`${id}.ts`, JSON.stringify(data))(data)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const slowLine = [1, 2, 3].map((n) =>
  revision(
    `000${n}_t${n}`,
    n === 1 ? null : `000${n - 1}_t${n - 1}`,
    ['SELECT pg_sleep(0.05)', `CREATE TABLE t${n} (id int)`],
    [`DROP TABLE t${n}`],
  ),
)

const reset = async (d: Driver) => {
  await right(d.query('DROP SCHEMA public CASCADE', []))
  await right(d.query('CREATE SCHEMA public', []))
}

describe.each(databases())('$name', ({ name, url, open }) => {
  let db: Driver
  beforeEach(async () => {
    db ??= await open()
    await reset(db)
  })

  it('applies each revision exactly once when two runners upgrade at once', async () => {
    // PostgreSQL: two connection pools, as two deploys would have; PGlite has one connection
    const other = name === 'postgres' ? await right(openDriver(url, { max: 2 })) : db
    try {
      const [a, b] = await Promise.all([
        right(migrate('upgrade', slowLine, 'head')(db)),
        right(migrate('upgrade', slowLine, 'head')(other)),
      ])
      const applied = [...a.revisions, ...b.revisions].filter((r) => r.outcome === 'applied').map((r) => r.id)
      expect(applied.sort()).toEqual(['0001_t1', '0002_t2', '0003_t3'])
      expect(a.revisions.length + b.revisions.length).toBe(6) // the rest were skipped, not re-run
      const state = await right(readState(slowLine)(db))
      expect(state.applied.map((r) => r.id)).toEqual(['0001_t1', '0002_t2', '0003_t3'])
      expect(state.current).toBe(2)
    } finally {
      if (other !== db) await other.close()()
    }
  })

  it('rolls a failing revision back, revision table included, and names the statement and SQLSTATE', async () => {
    const line = [
      revision('0001_ok', null, ['CREATE TABLE kept (id int)']),
      revision('0002_bad', '0001_ok', ['CREATE TABLE lost (id int)', 'INSERT INTO missing_table VALUES (1)']),
    ]
    const r = await migrate('upgrade', line, 'head')(db)()
    expect(E.isLeft(r) && r.left).toMatchObject({
      _tag: 'RevisionFailed',
      revision: '0002_bad',
      statement: 'INSERT INTO missing_table VALUES (1)',
      cause: { code: '42P01' },
    })
    expect(E.isLeft(r) && exitCode(r.left)).toBe(4)
    const state = await right(readState(line)(db))
    expect(state.applied.map((x) => x.id)).toEqual(['0001_ok'])
    const tables = await right(
      db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`, []),
    )
    expect(tables.rows.map((x) => x.tablename)).toEqual(['kept', 'origami_revisions'])
  })

  it('reports applied files edited or removed, by name', async () => {
    await right(migrate('upgrade', slowLine, '0002')(db))
    const edited = [{ ...slowLine[0]!, checksum: 'changed' }, slowLine[1]!, slowLine[2]!]
    const v = verify(await right(readState(edited)(db)))
    expect(E.isLeft(v) && v.left).toMatchObject({ _tag: 'Drift', edited: ['0001_t1'], missing: [] })
    const missing = verify(await right(readState([slowLine[0]!])(db)))
    expect(E.isLeft(missing) && missing.left).toMatchObject({ _tag: 'Drift', missing: ['0002_t2'] })
    const run = await migrate('upgrade', edited, 'head')(db)()
    expect(E.isLeft(run) && run.left._tag).toBe('Drift')
  })

  it.runIf(name === 'postgres')(
    'times out with LockTimeout (exit 3) while another runner holds the lock',
    async () => {
      const holder = await right(openDriver(url, { max: 1 }))
      let release = () => {}
      const held = new Promise<void>((r) => {
        release = r
      })
      let locked = () => {}
      const isLocked = new Promise<void>((r) => {
        locked = r
      })
      const holding = holder.transaction((tx) => async () => {
        await tx.query('SELECT pg_advisory_xact_lock(8030596978292123937)', [])()
        locked()
        await held
        return E.right(undefined)
      })()
      try {
        await isLocked
        const r = await migrate('upgrade', slowLine, 'head', { lockTimeoutMs: 200 })(db)()
        expect(E.isLeft(r) && r.left._tag).toBe('LockTimeout')
        expect(E.isLeft(r) && exitCode(r.left)).toBe(3)
      } finally {
        release()
        await holding
        await holder.close()()
      }
    },
  )

  it('gives the same catalog from the --sql script as from the runner, and downgrades to base', async () => {
    const authors = table('authors', { id: serial().primaryKey(), name: varchar(50) })
    const books = table('books', {
      id: serial().primaryKey(),
      title: varchar(50).notNull(),
      authorId: integer().references(() => authors.id, { onDelete: 'set null' }),
    })
    const v1 = schema({ authors, books }, {})
    const authors2 = table('authors', {
      id: serial().primaryKey(),
      name: varchar(50).notNull().default('anon'),
      bio: text(),
    })
    const reviews = table(
      'reviews',
      {
        id: serial().primaryKey(),
        bookId: integer()
          .notNull()
          .references(() => books.id, { onDelete: 'cascade' }),
        body: text().notNull(),
      },
      { checks: { reviews_body_check: 'length(body) > 0' } },
    )
    const books2 = table('books', {
      id: serial().primaryKey(),
      title: varchar(50).notNull().unique(),
      authorId: integer().references(() => authors2.id, { onDelete: 'set null' }),
    })
    const v2 = schema({ authors: authors2, books: books2, reviews }, {})
    const line: Revision[] = []
    for (const [s, message] of [
      [v1, 'books'],
      [v2, 'reviews'],
    ] as const) {
      const g = await right(generate({ schema: s, line, message, now: new Date(0) })(db))
      if (g._tag !== 'Revision') throw new Error('expected a revision')
      const r = validateRevision(`${g.revision.id}.ts`, g.text)(g.revision)
      if (E.isLeft(r)) throw new Error(r.left.message)
      line.push(r.right)
      await right(migrate('upgrade', line, 'head')(db))
    }
    const byRunner = await right(introspect('public')(db))
    const sql = script('upgrade', line, -1, line.length - 1)
    await reset(db)
    if (name === 'postgres') {
      await exec('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql])
    } else {
      // no psql for PGlite: the script's statements one by one (each ends a line with ';')
      for (const s of sql
        .split(/;\n/)
        .map((x) => x.replace(/^--.*$/gm, '').trim())
        .filter((x) => x !== ''))
        await right(db.query(s, []))
    }
    expect(await right(introspect('public')(db))).toEqual(byRunner)
    const state = await right(readState(line)(db))
    expect(state.applied.map((r) => [r.id, r.checksum])).toEqual(line.map((r) => [r.id, r.checksum]))

    await right(migrate('downgrade', line, 'base', { allowDestructive: ['all'] })(db))
    const left = await right(introspect('public')(db))
    expect(left.tables.map((t) => t.name)).toEqual(['origami_revisions'])
    await right(migrate('upgrade', line, 'head')(db))
    expect(await right(introspect('public')(db))).toEqual(byRunner)
  })
})
