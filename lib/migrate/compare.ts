/**
 * Comparing a schema value with a live database. The desired side is the schema value's
 * own DDL (`createAll`), run in a scratch schema inside a transaction that is rolled
 * back, and introspected there — so both sides are in PostgreSQL's normal form (a
 * default `'draft'` reads back as `'draft'::character varying` on both) and nothing is
 * left behind. It needs the right to `CREATE SCHEMA` in the database.
 *
 * @since 0.1.0
 */
import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type Catalog, withoutTables } from '../dialects/postgres/catalog.js'
import type { Compiled } from '../dialects/postgres/compiled.js'
import { createAll } from '../dialects/postgres/ddl.js'
import { introspect } from '../dialects/postgres/introspect.js'
import { enterScratchSchema, revisionTable } from '../dialects/postgres/migration-sql.js'
import type { Driver, Executor } from '../drivers/driver.js'
import type { AnySchema } from '../schema/schema.js'
import { type Diff, diff, renamesOf } from './diff.js'
import { type MigrationError, migrationError } from './errors.js'

const runAll = (db: Executor, statements: ReadonlyArray<Compiled>): TE.TaskEither<MigrationError, void> =>
  pipe(
    statements,
    TE.traverseSeqArray((s) => db.query(s.text, s.params)),
    TE.map(() => undefined),
    TE.mapLeft((e): MigrationError => e),
  )

/** Carries the scratch catalog out of the transaction as a Left, so that it rolls back. */
interface Scratch {
  readonly _tag: 'Scratch'
  readonly catalog: Catalog
}

/**
 * The catalog the schema value renders to, read from a scratch schema that is rolled back.
 * Shape: `desiredCatalog(schema)(driver)` → `TaskEither<MigrationError, Catalog>`.
 * Errors: `Usage` when the schema's DDL cannot be rendered (a default `createAll`
 *   rejects); `DriverError` when the DDL fails (a `defaultSql` or check expression
 *   PostgreSQL rejects) or `CREATE SCHEMA` is not allowed.
 * @category destructors
 * @since 0.1.0
 */
export const desiredCatalog =
  (s: AnySchema) =>
  (driver: Driver): TE.TaskEither<MigrationError, Catalog> => {
    const name = `origami_scratch_${randomBytes(6).toString('hex')}`
    return pipe(
      TE.fromEither(
        E.tryCatch(
          () => createAll(s),
          (e) =>
            migrationError({
              _tag: 'Usage',
              message: `the schema cannot be rendered: ${(e as Error).message}`,
            }),
        ),
      ),
      TE.chain((ddl) =>
        driver.transaction((tx) =>
          pipe(
            runAll(tx, [...enterScratchSchema(name), ...ddl]),
            TE.chain(() =>
              pipe(
                introspect(name)(tx),
                TE.mapLeft((e): MigrationError | Scratch => e),
              ),
            ),
            TE.chain((catalog) => TE.left<MigrationError | Scratch, never>({ _tag: 'Scratch', catalog })),
          ),
        ),
      ),
      TE.orElse((e) => (e._tag === 'Scratch' ? TE.right(e.catalog) : TE.left(e))),
    )
  }

/**
 * The live catalog of the current schema, without origami's revision table.
 * Shape: `liveCatalog(executor)` → `TaskEither<MigrationError, Catalog>`.
 * Errors: `DriverError`.
 * @category destructors
 * @since 0.1.0
 */
export const liveCatalog = (db: Executor): TE.TaskEither<MigrationError, Catalog> =>
  pipe(
    introspect()(db),
    TE.map(withoutTables([revisionTable])),
    TE.mapLeft((e): MigrationError => e),
  )

/**
 * What it takes to make the database match the schema value (`db migrate`, `db check`).
 * Shape: `compare(schema)(driver)` → `TaskEither<MigrationError, Diff>`.
 * Errors: as `desiredCatalog` and `liveCatalog`.
 * Source: Alembic `compare_metadata`; issue 6.
 * @category destructors
 * @since 0.1.0
 */
export const compare =
  (s: AnySchema) =>
  (driver: Driver): TE.TaskEither<MigrationError, Diff> =>
    pipe(
      liveCatalog(driver),
      TE.chain((live) =>
        pipe(
          desiredCatalog(s)(driver),
          TE.map((desired) => diff(desired, renamesOf(s))(live)),
        ),
      ),
    )
