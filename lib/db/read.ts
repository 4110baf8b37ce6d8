/**
 * Reads: `all`, `first` and `get`, compiled by the dialect and decoded to rows keyed by
 * field.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { compileSelect } from '../dialects/postgres/compile-query.js'
import type { Executor } from '../drivers/driver.js'
import type { Expr } from '../query/ast.js'
import { type Query, type ResultOf, type Source, toQuery } from '../query/query.js'
import { encodeValue } from '../schema/codec.js'
import { type AnyTable, type Key, normaliseKey, type Row } from '../schema/table.js'
import { fromDriverError, type QueryError } from './errors.js'
import { rowMapper } from './rows.js'

/**
 * Every row a query (or a table) yields.
 * Shape: `all(executor)(source)` → `TaskEither<QueryError, ReadonlyArray<R>>`.
 * Errors: `InvalidQuery` before any SQL; `DriverError`/`ConstraintViolation` from the database.
 * Source: SQLAlchemy `Query.all`.
 * @category destructors
 * @since 0.1.0
 */
export const all =
  (ex: Executor) =>
  <Src extends Source>(source: Src): TE.TaskEither<QueryError, ReadonlyArray<ResultOf<Src>>> => {
    const q = toQuery(source)
    const toRow = rowMapper(q.table.$spec)
    return pipe(
      TE.fromEither(compileSelect(q)),
      TE.chainW((c) =>
        pipe(
          ex.query(c.text, c.params),
          TE.mapLeft((e) => fromDriverError(e, undefined) as QueryError),
        ),
      ),
      TE.map((r) => r.rows.map((row) => toRow(row) as ResultOf<Src>)),
    )
  }

/**
 * The first row a query yields, or none (adds `LIMIT 1`, keeping a smaller limit).
 * Shape: `first(executor)(source)` → `TaskEither<QueryError, Option<R>>`.
 * Source: SQLAlchemy `Query.first`.
 * @category destructors
 * @since 0.1.0
 */
export const first =
  (ex: Executor) =>
  <Src extends Source>(source: Src): TE.TaskEither<QueryError, O.Option<ResultOf<Src>>> => {
    const q = toQuery(source)
    return pipe(
      all(ex)({ ...q, limit: q.limit === undefined ? 1 : Math.min(q.limit, 1) }),
      TE.map((rows) => O.fromNullable(rows[0] as ResultOf<Src> | undefined)),
    )
  }

/**
 * The row with a primary key, or none.
 * Shape: `get(executor)(table, key)` → `TaskEither<QueryError, Option<Row<T>>>`; `key` is
 * the key's value, or an object of key fields for a composite key.
 * Errors: `InvalidQuery` when the key does not fit the table's primary key.
 * Source: SQLAlchemy `Query.get` / `Session.get`.
 * @category destructors
 * @since 0.1.0
 */
export const get =
  (ex: Executor) =>
  <T extends AnyTable>(table: T, key: Key<T>): TE.TaskEither<QueryError, O.Option<Row<T>>> => {
    const spec = table.$spec
    const k = normaliseKey(spec, key)
    if (k === undefined) {
      return TE.left({
        _tag: 'InvalidQuery',
        message:
          spec.primaryKey.length === 0
            ? `get: ${spec.name} has no primary key`
            : `get: expected a key of ${spec.name} (${spec.primaryKey.join(', ')})`,
      })
    }
    const where: Expr[] = spec.primaryKey.map((f) =>
      k[f] === null || k[f] === undefined
        ? { _tag: 'Invalid', message: `get: key field ${spec.name}.${f} is null` }
        : {
            _tag: 'Compare',
            op: '=',
            left: {
              _tag: 'Column',
              table: spec.name,
              field: f,
              column: spec.columnNames[f]!,
              sqlType: spec.columns[f]!.sqlType,
            },
            right: {
              _tag: 'Param',
              value: encodeValue(spec.columns[f]!, k[f]),
              sqlType: spec.columns[f]!.sqlType,
            },
          },
    )
    const q: Query<T> = Object.freeze({
      _tag: 'Select',
      table,
      where,
      orderBy: [],
      limit: undefined,
      offset: undefined,
    })
    return first(ex)(q)
  }
