/**
 * The Flask-Migrate workflow through the `origami` command, in-process (`main` with an
 * injected Io): init → migrate → upgrade → change the schema → migrate → upgrade →
 * downgrade to base → upgrade again, with `db check` clean at each head; on PGlite (a
 * directory in a temp folder) and on PostgreSQL (DATABASE_URL overriding the config).
 * A few true subprocess calls check the bin itself.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, inject, it } from 'vitest'
import { main } from '../../lib/cli/main.js'
import { openDriver } from '../../lib/drivers/open.js'
import { databases } from '../support/databases.js'

const root = resolve(import.meta.dirname, '../..')
const lib = join(root, 'lib/index.ts')
const exec = promisify(execFile)

const schemaV1 = `import { integer, schema, serial, table, varchar } from ${JSON.stringify(lib)}
export const authors = table('authors', { id: serial().primaryKey(), name: varchar(50) })
export const books = table('books', {
  id: serial().primaryKey(),
  title: varchar(50).notNull(),
  authorId: integer().references(() => authors.id, { onDelete: 'cascade' }),
})
export const bookstore = schema({ authors, books }, {})
`
// adds a column, a table with a foreign key, makes a column NOT NULL with a default, adds a unique
const schemaV2 = `import { integer, schema, serial, table, text, varchar } from ${JSON.stringify(lib)}
export const authors = table('authors', {
  id: serial().primaryKey(),
  name: varchar(50).notNull().default('anonymous'),
  email: varchar(120).unique(),
})
export const books = table('books', {
  id: serial().primaryKey(),
  title: varchar(50).notNull(),
  authorId: integer().references(() => authors.id, { onDelete: 'cascade' }),
})
export const reviews = table('reviews', {
  id: serial().primaryKey(),
  bookId: integer().notNull().references(() => books.id, { onDelete: 'cascade' }),
  body: text().notNull(),
}, { checks: { reviews_body_not_empty: 'length(body) > 0' } })
export const bookstore = schema({ authors, books, reviews }, {})
`

interface Ran {
  readonly code: number
  readonly out: string
  readonly err: string
}

const cli =
  (cwd: string, env: Record<string, string | undefined>) =>
  async (...argv: string[]): Promise<Ran> => {
    let out = ''
    let err = ''
    const code = await main(argv, {
      cwd,
      env,
      stdout: (t) => {
        out += t
      },
      stderr: (t) => {
        err += t
      },
      isTTY: false,
      now: () => new Date('2024-05-06T07:08:09Z'),
    })
    return { code, out, err }
  }

const json = (r: Ran) => JSON.parse(r.out) as Record<string, unknown>

describe.each(databases())('$name', ({ name, url }) => {
  it('runs the whole workflow, with db check clean at each head', async () => {
    const dir = mkdtempSync(join(tmpdir(), `origami-cli-${name}-`))
    const template = inject('pgliteTemplate')
    // PGlite: a directory under the project (made once from the template: it loads only into
    // an empty directory); PostgreSQL: DATABASE_URL, overriding the config
    if (name === 'pglite') {
      const made = await openDriver(`pglite:${join(dir, 'db')}?template=${encodeURIComponent(template)}`)()
      if (E.isLeft(made)) throw new Error(made.left.message)
      await made.right.close()()
    }
    const dbUrl = name === 'pglite' ? 'pglite:./db' : 'postgres://config-is-overridden@127.0.0.1:1/none'
    const env = name === 'pglite' ? {} : { DATABASE_URL: url }
    const run = cli(dir, env)
    const sqlOn = async (sql: string) => {
      const d = await openDriver(name === 'pglite' ? `pglite:${join(dir, 'db')}` : url)()
      if (E.isLeft(d)) throw new Error(d.left.message)
      const r = await d.right.query(sql, [])()
      await d.right.close()()
      if (E.isLeft(r)) throw new Error(r.left.message)
      return r.right.rows
    }

    expect((await run('db', 'init', '--schema', './schema.ts')).code).toBe(0)
    const config = readFileSync(join(dir, 'origami.config.ts'), 'utf8')
    writeFileSync(
      join(dir, 'origami.config.ts'),
      config.replace(
        `  // url: 'postgres://postgres@localhost:5432/app',`,
        `  url: ${JSON.stringify(dbUrl)},`,
      ),
    )
    writeFileSync(join(dir, 'schema.ts'), schemaV1)
    expect((await run('db', 'init')).code).toBe(0) // idempotent while no revision exists

    const first = await run('db', 'migrate', '-m', 'adds Book model')
    expect(first).toMatchObject({ code: 0 })
    expect(first.out).toContain('+ create table authors')
    expect(readdirSync(join(dir, 'migrations'))).toEqual(['0001_adds_book_model.ts'])
    expect((await run('db', 'init')).code).toBe(2) // now initialised

    const pending = await run('db', 'check')
    expect(pending.code).toBe(1)
    expect(pending.out).toContain('pending revisions: 0001_adds_book_model')

    const up1 = await run('db', 'upgrade')
    expect(up1.code).toBe(0)
    expect(up1.out).toMatch(/↑ 0001_adds_book_model {2}adds Book model {2}\d+ ms/)
    expect(await run('db', 'check')).toMatchObject({ code: 0 })
    expect((await run('db', 'current')).out).toBe('0001_adds_book_model (head)\n')
    expect((await run('db', 'migrate', '-m', 'nothing')).out).toContain('no changes')

    await sqlOn(`INSERT INTO authors (name) VALUES (NULL), ('Ursula')`)
    writeFileSync(join(dir, 'schema.ts'), schemaV2)
    const drift = await run('db', 'check', '--json')
    expect(drift.code).toBe(1)
    expect(json(drift)).toMatchObject({ ok: false, current: '0001_adds_book_model', pending: [] })

    const second = await run('db', 'migrate', '-m', 'reviews and emails')
    expect(second.code).toBe(0)
    const file = join(dir, 'migrations/0002_reviews_and_emails.ts')
    const text = readFileSync(file, 'utf8')
    expect(text).toContain(`parent: "0001_adds_book_model"`)
    expect(text).toContain(`{ op: "setNotNull", table: "authors", column: "name", backfill: true }`)
    expect(text).toContain('// DESTRUCTIVE: drop table reviews')

    const up2 = await run('db', 'upgrade', '--json')
    expect(up2.code).toBe(0)
    expect(json(up2)).toMatchObject({
      ok: true,
      direction: 'upgrade',
      from: '0001_adds_book_model',
      to: '0002_reviews_and_emails',
    })
    expect(await run('db', 'check')).toMatchObject({ code: 0 })
    expect(await sqlOn('SELECT name FROM authors ORDER BY id')).toEqual([
      { name: 'anonymous' },
      { name: 'Ursula' },
    ])

    const hist = json(await run('db', 'history', '--json'))
    expect((hist.revisions as Array<{ id: string; applied: boolean }>).map((r) => [r.id, r.applied])).toEqual(
      [
        ['0002_reviews_and_emails', true],
        ['0001_adds_book_model', true],
      ],
    )

    // downgrading drops tables and columns: refused unless named, and nothing runs
    const refused = await run('db', 'downgrade', 'base')
    expect(refused.code).toBe(2)
    expect(refused.err).toContain('--allow-destructive reviews')
    expect((await run('db', 'current')).out).toBe('0002_reviews_and_emails (head)\n')

    const down = await run('db', 'downgrade', 'base', '--allow-destructive', 'all')
    expect(down.code).toBe(0)
    expect(down.out).toMatch(/↓ 0002_reviews_and_emails[\s\S]*↓ 0001_adds_book_model/)
    expect((await run('db', 'current')).out).toMatch(/^base \(2 pending/)
    expect(
      await sqlOn(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'origami_revisions'`,
      ),
    ).toEqual([{ n: 0 }])

    expect((await run('db', 'upgrade', '0001')).code).toBe(0)
    expect(await run('db', 'check')).toMatchObject({ code: 1 }) // at 0001, schema is v2
    expect((await run('db', 'upgrade')).code).toBe(0)
    expect(await run('db', 'check')).toMatchObject({ code: 0 })

    // an applied file edited: reported by name, upgrade refuses with exit 1
    writeFileSync(file, text.replace('reviews and emails', 'reviews, emails'))
    const edited = await run('db', 'upgrade')
    expect(edited.code).toBe(1)
    expect(edited.err).toContain('revision 0002_reviews_and_emails was applied, and its file has been edited')
    expect((await run('db', 'current')).err).toContain('0002_reviews_and_emails was edited')
    writeFileSync(file, text)

    // offline SQL: nothing runs, no connection needed
    const offline = await run('db', 'upgrade', '--sql', '--url', 'postgres://nobody@127.0.0.1:1/none')
    expect(offline.code).toBe(0)
    expect(offline.out).toContain('-- upgrade 0002_reviews_and_emails: reviews and emails')

    // the bin itself, in a real process (tsx loads config, schema and revisions)
    const real = await exec(process.execPath, [join(root, 'bin/origami.mjs'), 'db', 'current', '--json'], {
      cwd: dir,
      env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? '' },
    })
    expect(JSON.parse(real.stdout)).toMatchObject({ current: '0002_reviews_and_emails', head: true })
  }, 120_000)
})

describe('the command', () => {
  const run = cli(tmpdir(), {})
  it.each([
    ['db'],
    ['db', 'init'],
    ['db', 'migrate'],
    ['db', 'upgrade'],
    ['db', 'downgrade'],
    ['db', 'current'],
    ['db', 'history'],
    ['db', 'check'],
    ['db', 'create-all'],
    ['db', 'drop-all'],
    ['db', 'seed'],
  ])('%s %s --help prints usage and exits 0', async (...words) => {
    const r = await run(...words, '--help')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Usage: origami/)
  })
  it('exits 2 for usage errors and a missing config', async () => {
    expect((await run('db', 'migrate')).err).toContain("required option '-m, --message <message>'")
    expect((await run('db', 'migrate')).code).toBe(2)
    expect((await run('db', 'upgrade', '--lock-timeout', 'soon')).code).toBe(2)
    expect((await run('db', 'frobnicate')).code).toBe(2)
    expect((await run()).code).toBe(2)
    const none = await run('db', 'current', '--config', 'nope.config.ts', '--json')
    expect(none.code).toBe(2)
    expect(json(none)).toMatchObject({ ok: false, error: { _tag: 'Usage' } })
  })
  it('exits 2 from a real process for a bad option, and 0 for --help', async () => {
    const bin = join(root, 'bin/origami.mjs')
    await expect(exec(process.execPath, [bin, 'db', 'upgrade', '--help'])).resolves.toMatchObject({
      stdout: expect.stringContaining('--allow-destructive'),
    })
    await expect(exec(process.execPath, [bin, 'db', 'upgrade', '--no-such-flag'])).rejects.toMatchObject({
      code: 2,
    })
  })
})
