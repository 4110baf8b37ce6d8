/**
 * `connect`: a database handle for one schema — commit sessions, read rows, create and
 * drop the schema's tables. The driver is picked by URL (PGlite when there is none).
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import type * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Compiled } from '../dialects/postgres/compiled.js'
import { createAll, dropAll, existingTables } from '../dialects/postgres/ddl.js'
import type { Driver, DriverError } from '../drivers/driver.js'
import { type ConnectionError, openDriver } from '../drivers/open.js'
import type { ResultOf, Source } from '../query/query.js'
import type { AnySchema } from '../schema/schema.js'
import type { AnyTable, Key, Row } from '../schema/table.js'
import type { Session } from '../session/session.js'
import { type CommitOptions, type Committed, commit } from './commit.js'
import { type CommitError, fromDriverError, type QueryError, type StepFailed } from './errors.js'
import { all, first, get } from './read.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A connected database for schema `S`. Every method returns a lazy `TaskEither`. @category models */
export interface Db<S extends AnySchema> {
  readonly schema: S
  /** Which driver serves the URL: `pglite` or `postgres`. */
  readonly kind: Driver['kind']
  /** The driver, for statements origami does not build (tests, tools). */
  readonly driver: Driver
  /** Commits a session in one transaction; see `commit` in `db/commit.ts`. */
  readonly commit: (session: Session<S>, options?: CommitOptions) => TE.TaskEither<CommitError, Committed<S>>
  /** Every row of a query or table. */
  readonly all: <Src extends Source>(source: Src) => TE.TaskEither<QueryError, ReadonlyArray<ResultOf<Src>>>
  /** The first row of a query or table, or none. */
  readonly first: <Src extends Source>(source: Src) => TE.TaskEither<QueryError, O.Option<ResultOf<Src>>>
  /** The row with a primary key, or none. */
  readonly get: <T extends AnyTable>(table: T, key: Key<T>) => TE.TaskEither<QueryError, O.Option<Row<T>>>
  /**
   * Creates every table of the schema that does not exist yet, with its constraints and
   * indexes, in one transaction (the seeds' `create_all`; existing tables are left as they are).
   */
  readonly createAll: () => TE.TaskEither<StepFailed | QueryError, void>
  /** Drops every table of the schema, with `CASCADE` (the seeds' `drop_all`), in one transaction. */
  readonly dropAll: () => TE.TaskEither<StepFailed | QueryError, void>
  /** Closes the connection. */
  readonly close: () => TE.TaskEither<DriverError, void>
}

/** Options of `connect`. @category models */
export interface ConnectOptions {
  /** Most connections postgres.js opens (default 10); ignored by PGlite, which has one. */
  readonly max?: number
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const runAll = (
  driver: Driver,
  name: string,
  statements: ReadonlyArray<Compiled>,
): TE.TaskEither<StepFailed | QueryError, void> =>
  driver.transaction((tx) =>
    pipe(
      statements,
      TE.traverseSeqArray((s) =>
        pipe(
          tx.query(s.text, s.params),
          TE.mapLeft((e) => fromDriverError(e, name) as StepFailed | QueryError),
        ),
      ),
      TE.map(() => undefined),
    ),
  ) as TE.TaskEither<StepFailed | QueryError, void>

/**
 * Wraps an open driver as a database handle for `schema`.
 * Shape: `fromDriver(schema, driver)` → `Db<S>`. Useful when the driver is made elsewhere
 * (tests, a pool shared by several schemas).
 * @category constructors
 * @since 0.1.0
 */
export const fromDriver = <S extends AnySchema>(schema: S, driver: Driver): Db<S> =>
  Object.freeze({
    schema,
    kind: driver.kind,
    driver,
    commit: commit(driver),
    all: all(driver),
    first: first(driver),
    get: get(driver),
    createAll: () => {
      const names = Object.values(schema.tables).map((t) => t.$spec.name)
      const probe = existingTables(names)
      return pipe(
        driver.query(probe.text, probe.params),
        TE.mapLeft((e) => fromDriverError(e, 'create all') as StepFailed | QueryError),
        TE.chain((r) =>
          runAll(driver, 'create all', createAll(schema, new Set(r.rows.map((x) => String(x.tablename))))),
        ),
      )
    },
    dropAll: () => runAll(driver, 'drop all', dropAll(schema)),
    close: driver.close,
  })

/**
 * Connects to a database for `schema`, picking the driver by URL:
 * none, `pglite:` or `pglite:memory` → PGlite in memory; `pglite:./dir` → PGlite on disk;
 * `postgres://…` / `postgresql://…` → postgres.js. The library never reads
 * `DATABASE_URL` itself: pass `process.env.DATABASE_URL` when you want it.
 *
 * Shape: `connect(schema, url?, options?)` → `TaskEither<ConnectionError, Db<S>>`.
 * Units: a fresh in-memory PGlite takes seconds to start (it runs initdb).
 * Errors: `ConnectionError` for an unknown URL scheme or an unreachable server (the
 * password is masked in the message).
 * Source: DESIGN.md § Databases; Flask-SQLAlchemy `SQLALCHEMY_DATABASE_URI`.
 * @example
 * const db = await connect(bookstore)()   // Either<ConnectionError, Db>
 * @category constructors
 * @since 0.1.0
 */
export const connect = <S extends AnySchema>(
  schema: S,
  url?: string,
  options: ConnectOptions = {},
): TE.TaskEither<ConnectionError, Db<S>> =>
  pipe(
    openDriver(url, options),
    TE.map((driver) => fromDriver(schema, driver)),
  )
