/**
 * `connect`: a database handle for one schema — commit sessions, read rows, create and
 * drop the schema's tables. The driver is picked by URL (PGlite when there is none).
 *
 * @since 0.1.0
 */

import type * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Compiled } from '../dialects/postgres/compiled.js'
import { createAll, dropAll, existingTables } from '../dialects/postgres/ddl.js'
import type { Driver, DriverError } from '../drivers/driver.js'
import { type ConnectionError, openDriver } from '../drivers/open.js'
import type { Condition } from '../query/operand.js'
import type { ResultOf, Source } from '../query/query.js'
import type { AnySchema } from '../schema/schema.js'
import type { AnyTable, Insert, Key, Patch, Row } from '../schema/table.js'
import type { Session } from '../session/session.js'
import { type CommitOptions, type Committed, commit } from './commit.js'
import { type CommitError, fromDriverError, type QueryError, type StepFailed } from './errors.js'
import { consoleLogger, type Logger, logged } from './log.js'
import type { KeysetPage, Page } from './paginate.js'
import { reads } from './reads.js'
import { type StreamOptions, stream, streamGuard } from './stream.js'
import { deleteWhere, insertMany, updateWhere, type WriteError } from './write.js'

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
  /** The number of rows a query or table yields (`count(*)`); see `db/read.ts`. */
  readonly count: (source: Source) => TE.TaskEither<QueryError, number>
  /** A page by number, with the total and page count; see `db/paginate.ts`. */
  readonly paginate: <Src extends Source>(
    source: Src,
    options: { readonly page: number; readonly perPage: number },
  ) => TE.TaskEither<QueryError, Page<ResultOf<Src>>>
  /** The rows after a keyset cursor, with the next cursor; see `db/paginate.ts`. */
  readonly keyset: <Src extends Source>(
    source: Src,
    options: { readonly perPage: number; readonly after?: string | null },
  ) => TE.TaskEither<QueryError, KeysetPage<ResultOf<Src>>>
  /** The rows of a query in batches through a server-side cursor, constant memory; see `db/stream.ts`. */
  readonly stream: <Src extends Source>(
    source: Src,
    options?: StreamOptions,
  ) => AsyncIterable<E.Either<QueryError, ReadonlyArray<ResultOf<Src>>>>
  /** Inserts rows in bulk with `RETURNING`, outside sessions: no cascades; see `db/write.ts`. */
  readonly insertMany: <T extends AnyTable>(
    table: T,
    rows: ReadonlyArray<Insert<T>>,
  ) => TE.TaskEither<WriteError, ReadonlyArray<Row<T>>>
  /** Updates the rows matching a condition with `RETURNING`, outside sessions: no cascades, no version checks. */
  readonly updateWhere: <T extends AnyTable>(
    table: T,
    where: (table: T) => Condition,
    patch: Patch<T>,
  ) => TE.TaskEither<WriteError, ReadonlyArray<Row<T>>>
  /** Deletes the rows matching a condition with `RETURNING`, outside sessions: no cascades. */
  readonly deleteWhere: <T extends AnyTable>(
    table: T,
    where: (table: T) => Condition,
  ) => TE.TaskEither<QueryError, ReadonlyArray<Row<T>>>
}

/** Options of `connect`. @category models */
export interface ConnectOptions {
  /** Most connections postgres.js opens (default 10); ignored by PGlite, which has one. */
  readonly max?: number
  /**
   * Logs every statement after it ran, with its parameters and its duration in
   * milliseconds (the seeds' `echo=True`): a function receiving each `LogEntry`, or
   * `true` for one line per statement on stderr. Parameters can hold secrets.
   */
  readonly log?: Logger | boolean
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
export const fromDriver = <S extends AnySchema>(
  schema: S,
  raw: Driver,
  options: ConnectOptions = {},
): Db<S> => {
  const logger = options.log === true ? consoleLogger : options.log
  const guard = streamGuard(logger === undefined || logger === false ? raw : logged(raw, logger))
  const driver = guard.driver
  return Object.freeze({
    ...reads(driver),
    stream: stream(guard.raw, guard),
    insertMany: insertMany(driver),
    updateWhere: updateWhere(driver),
    deleteWhere: deleteWhere(driver),
    schema,
    kind: driver.kind,
    driver,
    commit: commit(driver),
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
}

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
    TE.map((driver) => fromDriver(schema, driver, options)),
  )
