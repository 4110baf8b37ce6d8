/**
 * `db create-all`, `db drop-all` and `db seed`: the seeds' seeder file (drop all, create
 * all, add rows) as commands.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { fromDriver } from '../../db/connect.js'
import { dropRevisionTable } from '../../dialects/postgres/migration-sql.js'
import { driverError } from '../../drivers/adapter.js'
import type { Driver } from '../../drivers/driver.js'
import { type MigrationError, migrationError } from '../../migrate/errors.js'
import { exportsOf } from '../../migrate/files.js'
import type { AnySchema } from '../../schema/schema.js'
import { type Ctx, configOf, databaseLabel, type Outcome, schemaOf, withDatabase } from '../context.js'
import { ms } from '../output.js'

/** A `db` error (StepFailed, ConstraintViolation, …) as a MigrationError, keeping its cause. */
const dbError = (e: {
  readonly _tag: string
  readonly message: string
  readonly cause?: unknown
}): MigrationError => {
  const cause = e.cause as { _tag?: string } | undefined
  if (e._tag === 'DriverError') return e as MigrationError
  if (cause?._tag === 'DriverError') return cause as MigrationError
  return migrationError({ _tag: 'Usage', message: `${e._tag}: ${e.message}` })
}

const withSchema = (
  ctx: Ctx,
  f: (schema: AnySchema, driver: Driver) => TE.TaskEither<MigrationError, number>,
  what: string,
): Outcome =>
  pipe(
    configOf(ctx),
    TE.bindTo('config'),
    TE.bind('schema', ({ config }) => schemaOf(ctx, config)),
    TE.chain(({ config, schema }) => {
      ctx.out.line(`${what} on ${databaseLabel(config)}`)
      return withDatabase(config, (driver) => f(schema, driver))
    }),
  )

/**
 * `db create-all`: creates every table of the schema that does not exist yet (no
 * revision is recorded: for prototypes and tests, as `db.create_all()` in the seeds).
 * @category destructors
 * @since 0.1.0
 */
export const createAllCommand = (ctx: Ctx): Outcome =>
  withSchema(
    ctx,
    (schema, driver) => {
      const started = performance.now()
      return pipe(
        fromDriver(schema, driver).createAll(),
        TE.mapLeft(dbError),
        TE.map(() => {
          const names = Object.values(schema.tables).map((t) => t.$spec.name)
          ctx.out.line(
            `created the tables that were missing among ${names.join(', ')} in ${ms(performance.now() - started)}`,
          )
          ctx.out.result({ ok: true, tables: names })
          return 0
        }),
      )
    },
    'create all',
  )

/**
 * `db drop-all`: drops every table of the schema and the revision table (the database
 * returns to base), as `db.drop_all()` in the seeds.
 * @category destructors
 * @since 0.1.0
 */
export const dropAllCommand = (ctx: Ctx): Outcome =>
  withSchema(
    ctx,
    (schema, driver) => {
      const started = performance.now()
      return pipe(
        fromDriver(schema, driver).dropAll(),
        TE.mapLeft(dbError),
        TE.chain(() =>
          pipe(
            driver.query(dropRevisionTable.text, []),
            TE.mapLeft((e): MigrationError => e),
          ),
        ),
        TE.map(() => {
          const names = Object.values(schema.tables).map((t) => t.$spec.name)
          ctx.out.line(
            `dropped ${names.join(', ')} and the revision table in ${ms(performance.now() - started)}`,
          )
          ctx.out.result({ ok: true, tables: names })
          return 0
        }),
      )
    },
    'drop all',
  )

/**
 * `db seed`: runs the config's seed module. Its default export takes a database handle
 * (`Db`, as `connect` gives) and returns a promise or a `TaskEither`; a `Left` or a
 * rejection fails the command with exit code 4.
 * @category destructors
 * @since 0.1.0
 */
export const seed = (ctx: Ctx): Outcome =>
  pipe(
    configOf(ctx),
    TE.bindTo('config'),
    TE.bind('schema', ({ config }) => schemaOf(ctx, config)),
    TE.chain(({ config, schema }) => {
      const file = config.seed
      if (file === undefined)
        return TE.left(
          migrationError({
            _tag: 'Usage',
            message: 'no seed module: add seed: "./seed.ts" to origami.config.ts',
          }),
        )
      ctx.out.line(`seed ${file} on ${databaseLabel(config)}`)
      const started = performance.now()
      return withDatabase(config, (driver) => async () => {
        try {
          const f = exportsOf(await ctx.load(file)).default
          if (typeof f !== 'function')
            return E.left(
              migrationError({
                _tag: 'Usage',
                message: `${file}: the default export must be a function (db) => …`,
              }),
            )
          let result: unknown = await f(fromDriver(schema, driver))
          if (typeof result === 'function') result = await (result as () => Promise<unknown>)()
          if (
            typeof result === 'object' &&
            result !== null &&
            (result as { _tag?: unknown })._tag === 'Left'
          ) {
            const left = (result as E.Left<{ _tag: string; message: string }>).left
            const e = dbError(left)
            return E.left(
              e._tag === 'Usage'
                ? migrationError(driverError({ message: `the seed failed: ${e.message}` }))
                : e,
            )
          }
          ctx.out.line(`seeded in ${ms(performance.now() - started)}`)
          ctx.out.result({ ok: true, seed: file })
          return E.right(0)
        } catch (e) {
          return E.left(
            migrationError({
              _tag: 'DriverError',
              code: undefined,
              message: `the seed failed: ${e instanceof Error ? e.message : String(e)}`,
              detail: undefined,
              hint: undefined,
              constraint: undefined,
              table: undefined,
              column: undefined,
              statement: undefined,
            }),
          )
        }
      })
    }),
  )
