/**
 * The seeds' Flask-Migrate workflow with origami, step by step: `npm run example:migrations`.
 *
 * It makes a throwaway project in a temporary folder (a schema module and a seed), then
 * runs the real command, `npx origami db …`, in it: init, migrate, upgrade, seed, a
 * schema change, migrate, upgrade, check, history, downgrade to base, upgrade again.
 * The database is PGlite in the project folder, or PostgreSQL when DATABASE_URL is set
 * (then the example starts with `db drop-all`, so run it on a scratch database).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const lib = JSON.stringify(join(repo, 'lib/index.ts'))
const project = mkdtempSync(join(tmpdir(), 'origami-migrations-example-'))

const schemaV1 = `import { integer, schema, serial, table, varchar } from ${lib}

export const authors = table('authors', {
  id: serial().primaryKey(),
  name: varchar(50),
})

export const books = table('books', {
  id: serial().primaryKey(),
  title: varchar(50).notNull(),
  description: varchar(200),
  authorId: integer().references(() => authors.id),
})

export const bookstore = schema({ authors, books }, {})
`

// the change: a NOT NULL name with a default, a unique email, a reviews table with a
// foreign key, and \`description\` renamed to \`summary\` (declared, so it is a RENAME)
const schemaV2 = `import { integer, schema, serial, table, text, varchar } from ${lib}

export const authors = table('authors', {
  id: serial().primaryKey(),
  name: varchar(50).notNull().default('anonymous'),
  email: varchar(120).unique(),
})

export const books = table('books', {
  id: serial().primaryKey(),
  title: varchar(50).notNull(),
  summary: varchar(200).renamedFrom('description'),
  authorId: integer().references(() => authors.id),
})

export const reviews = table('reviews', {
  id: serial().primaryKey(),
  bookId: integer().notNull().references(() => books.id, { onDelete: 'cascade' }),
  body: text().notNull(),
})

export const bookstore = schema({ authors, books, reviews }, {})
`

const seed = `import { pipe } from ${JSON.stringify(join(repo, 'node_modules/fp-ts/lib/function.js'))}
import { session as S } from ${lib}
import { authors, books, bookstore } from './schema.ts'

// the seeds' seeder file: one author with two books, in one commit
const butler = S.ref(authors)
export default (db) =>
  db.commit(
    pipe(
      S.empty(bookstore),
      S.add(butler, { name: 'Octavia E. Butler' }),
      S.add(S.ref(books), { title: 'Kindred', authorId: butler }),
      S.add(S.ref(books), { title: 'Parable of the Sower', authorId: butler }),
    ),
  )
`

const step = (title: string): void => {
  process.stdout.write(`\n\u001b[1m== ${title}\u001b[0m\n`)
}

/** Runs `npx origami …` in the project, printing the command and its output; returns the exit code. */
const origami = (...args: string[]): number => {
  process.stdout.write(`$ npx origami ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`)
  try {
    process.stdout.write(
      execFileSync('npx', ['--prefix', repo, 'origami', ...args], {
        cwd: project,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NO_COLOR: '1' },
      }),
    )
    process.stdout.write('(exit 0)\n')
    return 0
  } catch (e) {
    const err = e as { status: number; stdout?: string }
    process.stdout.write(`${err.stdout ?? ''}(exit ${err.status})\n`)
    return err.status
  }
}

const expect = (what: string, code: number, wanted: number): void => {
  if (code !== wanted) {
    process.stderr.write(`example failed: ${what} exited ${code}, expected ${wanted}\n`)
    process.exit(1)
  }
}

const started = performance.now()
process.stdout.write(
  `project: ${project}\ndatabase: ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'PGlite in ./.origami/pglite'}\n`,
)
writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n')
writeFileSync(join(project, 'schema.ts'), schemaV1)
writeFileSync(join(project, 'seed.ts'), seed)

step('flask db init  →  origami db init')
expect('init', origami('db', 'init', '--schema', './schema.ts'), 0)
writeFileSync(
  join(project, 'origami.config.ts'),
  readFileSync(join(project, 'origami.config.ts'), 'utf8').replace(
    "  // seed: './seed.ts',",
    "  seed: './seed.ts',",
  ),
)
if (process.env.DATABASE_URL) {
  writeFileSync(join(project, 'schema.ts'), schemaV2)
  expect('drop-all', origami('db', 'drop-all'), 0)
  writeFileSync(join(project, 'schema.ts'), schemaV1)
}

step('flask db migrate -m "adds Book model"  →  origami db migrate -m "adds Book model"')
expect('migrate', origami('db', 'migrate', '-m', 'adds Book model'), 0)
const first = readdirSync(join(project, 'migrations'))[0]!
process.stdout.write(
  `\n--- migrations/${first} ---\n${readFileSync(join(project, 'migrations', first), 'utf8')}---\n`,
)

step('flask db upgrade  →  origami db upgrade')
expect('upgrade', origami('db', 'upgrade'), 0)
expect('check', origami('db', 'check'), 0)

step('the seeder file  →  origami db seed')
expect('seed', origami('db', 'seed'), 0)

step('change the models, then migrate again')
writeFileSync(join(project, 'schema.ts'), schemaV2)
expect('check before migrate', origami('db', 'check'), 1)
expect('migrate', origami('db', 'migrate', '-m', 'reviews, author emails, book summaries'), 0)
expect('upgrade', origami('db', 'upgrade'), 0)
expect('check', origami('db', 'check'), 0)
expect('history', origami('db', 'history'), 0)

step('offline: the SQL of every revision, for a DBA or psql')
expect('upgrade --sql', origami('db', 'upgrade', '--sql', '0001:head'), 0)

step('downgrade to base: refused until the destructive steps are named, then done')
expect('downgrade refused', origami('db', 'downgrade', 'base'), 2)
expect('downgrade', origami('db', 'downgrade', 'base', '--allow-destructive', 'all'), 0)
expect('current', origami('db', 'current'), 0)

step('and upgrade again')
expect('upgrade', origami('db', 'upgrade'), 0)
expect('check', origami('db', 'check'), 0)

rmSync(project, { recursive: true, force: true })
process.stdout.write(`\nthe whole workflow ran in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
