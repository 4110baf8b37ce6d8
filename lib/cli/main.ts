/**
 * The `origami` command: `origami db <subcommand>`, built on commander. `main(argv, io)`
 * runs one invocation in-process and resolves to the exit code; `bin/origami.mjs` calls
 * it with the real process. Never interactive: nothing is asked, every choice is a flag.
 *
 * Exit codes: 0 ok; 1 check failed (drift between schema, files and database); 2 usage
 * (bad arguments, unknown revision, destructive operation not accepted); 3 lock timeout;
 * 4 SQL or connection error.
 *
 * @since 0.1.0
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { exitCode, type MigrationError } from '../migrate/errors.js'
import { type ModuleLoader, tsxLoader } from '../migrate/files.js'
import { check, init, migrateCommand } from './commands/authoring.js'
import { current, historyCommand, run } from './commands/running.js'
import { createAllCommand, dropAllCommand, seed } from './commands/tables.js'
import type { CommonOptions, Ctx, Outcome } from './context.js'
import { errorJson, explainError, type Io, output } from './output.js'

const collect = (value: string, previous: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== ''),
]

const milliseconds = (value: string): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of milliseconds (≥ 1)')
  return n
}

const common = (c: Command): Command =>
  c
    .option('--config <file>', 'the config file (default: origami.config.ts in the current folder)')
    .option('--url <url>', 'the database URL (overrides DATABASE_URL and the config)')
    .option('--json', 'print one JSON document instead of text (for scripts)')

const destructive = (c: Command): Command =>
  c.addOption(
    new Option(
      '--allow-destructive <name>',
      'accept a destructive operation: a table (books), a column (users.email), or all; repeatable, or comma-separated',
    )
      .argParser(collect)
      .default([]),
  )

const runOptions = (c: Command): Command =>
  destructive(
    c
      .option('--sql', 'print the SQL script instead of running it (no connection); REV may be FROM:TO')
      .option('--lock-timeout <ms>', 'how long to wait for the migration lock (default 30000)', milliseconds),
  )

/**
 * Runs the command once, in-process.
 *
 * Shape: `main(argv, io, load?)` → `Promise<number>`, the exit code; `argv` is the words
 * after `origami` (e.g. `['db', 'upgrade', '--json']`); output goes to `io`.
 * Units: none.
 * Errors: none thrown for anything a user can cause; each failure is printed (with
 *   `--json`, as `{ ok: false, error }` on stdout) and mapped to its exit code.
 * Source: Flask-Migrate's `flask db` commands; issue 6.
 * @example
 * const code = await main(['db', 'check'], { cwd, env: process.env, stdout, stderr, isTTY: false, now: () => new Date() })
 * @category destructors
 * @since 0.1.0
 */
export const main = async (
  argv: ReadonlyArray<string>,
  io: Io,
  load: ModuleLoader = tsxLoader,
): Promise<number> => {
  let outcome: Promise<number> | undefined
  const start = (opts: CommonOptions, f: (ctx: Ctx) => Outcome): void => {
    const out = output(io, opts.json === true)
    const ctx: Ctx = { io, out, load, options: opts }
    outcome = f(ctx)().then(
      E.fold(
        (e: MigrationError) => {
          if (out.json) out.result({ ok: false, error: errorJson(e) })
          const [first, ...rest] = explainError(e)
          io.stderr(`${out.paint.red('error:')} ${first}\n${rest.map((l) => `${l}\n`).join('')}`)
          return exitCode(e)
        },
        (code) => code,
      ),
    )
  }
  const program = new Command('origami')
    .description('origami: migrations and database tasks for an origami schema (never interactive)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
  const db = program
    .command('db')
    .description('database commands, as Flask-Migrate\'s "flask db": init, migrate, upgrade, downgrade, …')
  db.exitOverride()

  common(db.command('init'))
    .description('create origami.config.ts and the migrations folder (touches no database)')
    .option('--schema <module>', 'the module exporting the schema value', './schema.ts')
    .option('--migrations <dir>', 'the revision folder', './migrations')
    .action((o) => start(o, (ctx) => init(ctx, o)))

  destructive(common(db.command('migrate')))
    .description(
      'write the next revision: the schema value compared with the database (which must be at head)',
    )
    .requiredOption('-m, --message <message>', 'what the revision does, e.g. "adds Book model"')
    .option('--empty', 'write a revision even when nothing changed (to fill in by hand)')
    .action((o) => start(o, (ctx) => migrateCommand(ctx, o)))

  runOptions(common(db.command('upgrade')))
    .description(
      'apply revisions up to REV (default head); each in its own transaction, under an advisory lock',
    )
    .argument('[rev]', 'head, an id (or its start), +N; with --sql: FROM:TO')
    .action((rev: string | undefined, o) => start(o, (ctx) => run(ctx, 'upgrade', rev, o)))

  runOptions(common(db.command('downgrade')))
    .description('revert revisions down to REV (default -1: the current one); base reverts all')
    .argument('[rev]', 'base, an id (or its start), -N; with --sql: FROM:TO')
    .action((rev: string | undefined, o) => start(o, (ctx) => run(ctx, 'downgrade', rev, o)))

  common(db.command('current'))
    .description('print the revision the database is at')
    .action((o) => start(o, current))

  common(db.command('history'))
    .description('list the revisions, newest first, with what is applied')
    .action((o) => start(o, historyCommand))

  common(db.command('check'))
    .description('exit 1 when the database is not at head or differs from the schema value (for CI)')
    .action((o) => start(o, check))

  common(db.command('create-all'))
    .description('create the tables of the schema that are missing, without revisions (as db.create_all())')
    .action((o) => start(o, createAllCommand))

  common(db.command('drop-all'))
    .description('drop every table of the schema and the revision table (as db.drop_all())')
    .action((o) => start(o, dropAllCommand))

  common(db.command('seed'))
    .description('run the seed module named in origami.config.ts')
    .action((o) => start(o, seed))

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; a bare `origami` or `origami db` shows help and is a usage error
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0
      return 2
    }
    throw e
  }
  if (outcome === undefined) {
    program.outputHelp()
    return 2
  }
  return outcome
}
