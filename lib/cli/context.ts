/**
 * What every subcommand needs: the printer, the module loader, the parsed global options,
 * and helpers to load the project (config, schema, revisions) and to use a database
 * that is always closed afterwards.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Driver } from '../drivers/driver.js'
import { maskPassword, openDriver } from '../drivers/open.js'
import type { MigrationError } from '../migrate/errors.js'
import { loadRevisions, type ModuleLoader } from '../migrate/files.js'
import { history, type Revision } from '../migrate/revision.js'
import type { AnySchema } from '../schema/schema.js'
import { findConfig, loadConfig, loadSchema, type ResolvedConfig } from './config.js'
import type { Io, Out } from './output.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The options every subcommand takes.
 * @category models
 * @since 0.1.0
 */
export interface CommonOptions {
  readonly config?: string
  readonly url?: string
  readonly json?: boolean
}

/**
 * A subcommand's context.
 * @category models
 * @since 0.1.0
 */
export interface Ctx {
  readonly io: Io
  readonly out: Out
  readonly load: ModuleLoader
  readonly options: CommonOptions
}

/**
 * A subcommand's outcome: an exit code, or an error (printed and mapped by `main`).
 * @category models
 * @since 0.1.0
 */
export type Outcome = TE.TaskEither<MigrationError, number>

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The resolved config.
 * @category destructors
 * @since 0.1.0
 */
export const configOf = (ctx: Ctx): TE.TaskEither<MigrationError, ResolvedConfig> =>
  pipe(
    findConfig(ctx.io.cwd, ctx.options.config),
    TE.chain((file) => loadConfig(ctx.load, { file, env: ctx.io.env, url: ctx.options.url })),
  )

/**
 * The schema value of the config.
 * @category destructors
 * @since 0.1.0
 */
export const schemaOf = (ctx: Ctx, c: ResolvedConfig): TE.TaskEither<MigrationError, AnySchema> =>
  loadSchema(ctx.load)(c)

/**
 * The revisions of the config's folder, base first.
 * @category destructors
 * @since 0.1.0
 */
export const lineOf = (ctx: Ctx, c: ResolvedConfig): TE.TaskEither<MigrationError, ReadonlyArray<Revision>> =>
  pipe(loadRevisions(ctx.load)(c.migrations), TE.chainEitherK(history))

/**
 * Opens the config's database, runs `f`, and closes the database whatever happened.
 * Shape: `withDatabase(config, f)` → what `f` returns.
 * Errors: `ConnectionError`, and `f`'s.
 * @category destructors
 * @since 0.1.0
 */
export const withDatabase = <A>(
  c: ResolvedConfig,
  f: (driver: Driver) => TE.TaskEither<MigrationError, A>,
): TE.TaskEither<MigrationError, A> =>
  pipe(
    openDriver(c.url, { max: 2 }),
    TE.mapLeft((e): MigrationError => e),
    TE.chain((driver) => async () => {
      try {
        return await f(driver)()
      } finally {
        await driver.close()()
      }
    }),
  )

/**
 * The database a command uses, for its first output line: the URL with its password
 * masked, and where it came from.
 * @category destructors
 * @since 0.1.0
 */
export const databaseLabel = (c: ResolvedConfig): string =>
  `${maskPassword(c.url)}${c.urlSource === 'default' ? ' (default: PGlite in the project)' : c.urlSource === 'config' ? '' : ` (from ${c.urlSource})`}`
