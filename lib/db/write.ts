/**
 * Bulk writes outside sessions: `insertMany`, `updateWhere`, `deleteWhere`. Each runs
 * set-based SQL with `RETURNING` and gives back the rows it touched.
 *
 * These are not session operations: they do not cascade (relationship `cascade` rules
 * are ignored; only the database's own `ON DELETE`/`ON UPDATE` act), they do not expand
 * nested relationship values, and they do not check `version()` columns. Use a session
 * (`S.add`, `S.delete`, `db.commit`) for those semantics.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import {
  compileDeleteWhere,
  compileInsertMany,
  compileUpdateWhere,
} from '../dialects/postgres/compile-write.js'
import type { Compiled } from '../dialects/postgres/compiled.js'
import type { Driver, Executor } from '../drivers/driver.js'
import type { Condition } from '../query/operand.js'
import { decodeInsert, decodePatch, encodeValue } from '../schema/codec.js'
import type { DecodeError } from '../schema/errors.js'
import type { AnyTable, Insert, Patch, Row } from '../schema/table.js'
import { fromDriverError, type QueryError } from './errors.js'
import { rowMapper } from './rows.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a bulk write can return in `Left`: invalid input (before any SQL), or a query error. @category errors */
export type WriteError = DecodeError | QueryError

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const runRows = async <T extends AnyTable>(
  ex: Executor,
  table: T,
  c: Compiled,
): Promise<E.Either<QueryError, ReadonlyArray<Row<T>>>> => {
  const r = await ex.query(c.text, c.params)()
  if (E.isLeft(r)) return E.left(fromDriverError(r.left, undefined) as QueryError)
  const map = rowMapper(table.$spec)
  return E.right(r.right.rows.map((x) => map(x) as Row<T>))
}

/**
 * Inserts rows in one transaction and returns them as stored (generated keys and
 * defaults filled), in input order. Consecutive rows giving the same set of fields share one
 * `INSERT … SELECT … FROM unnest(…)` statement. Does not cascade and does not expand
 * relationship values: this is not `S.add`.
 * Shape: `insertMany(driver)(table, rows)` → `TaskEither<WriteError, ReadonlyArray<Row<T>>>`.
 * Units: any number of rows; one statement per run of rows with the same fields, one parameter per column.
 * Errors: `DecodeError` for the first invalid row (no SQL sent); `ConstraintViolation`
 * (unique, foreign key, not null, check) or `DriverError` from the database — the whole
 * insert is rolled back.
 * Source: PERFORMANCE.md (unnest batches); SQLAlchemy `insert().returning()` with a list.
 * @category destructors
 * @since 0.1.0
 */
export const insertMany =
  (driver: Driver) =>
  <T extends AnyTable>(
    table: T,
    rows: ReadonlyArray<Insert<T>>,
  ): TE.TaskEither<WriteError, ReadonlyArray<Row<T>>> =>
  async () => {
    const spec = table.$spec
    // consecutive rows giving the same fields share a statement: rows (and their
    // generated keys) go in in input order
    const groups: Array<{
      sig: string
      fields: string[]
      indexes: number[]
      rows: Record<string, unknown>[]
    }> = []
    for (let i = 0; i < rows.length; i++) {
      const d = decodeInsert(table, rows[i])
      if (E.isLeft(d)) return d
      const row = d.right as Record<string, unknown>
      const fields = spec.fields.filter((f) => row[f] !== undefined)
      const sig = fields.join('\u0000')
      let g = groups[groups.length - 1]
      if (g === undefined || g.sig !== sig) {
        g = { sig, fields, indexes: [], rows: [] }
        groups.push(g)
      }
      g.indexes.push(i)
      g.rows.push(row)
    }
    if (rows.length === 0) return E.right([])
    const out: Row<T>[] = new Array(rows.length)
    return driver.transaction((tx) => async () => {
      for (const g of groups) {
        const columns = g.fields.map((f) => g.rows.map((r) => encodeValue(spec.columns[f]!, r[f])))
        // DEFAULT VALUES inserts one row per statement: rows giving no field at all
        const statements =
          g.fields.length === 0
            ? g.rows.map(() => compileInsertMany(spec, [], []))
            : [compileInsertMany(spec, g.fields, columns)]
        const got: Row<T>[] = []
        for (const c of statements) {
          const r = await runRows(tx, table, c)
          if (E.isLeft(r)) return r
          got.push(...r.right)
        }
        g.indexes.forEach((index, k) => {
          out[index] = got[k]!
        })
      }
      return E.right(out as ReadonlyArray<Row<T>>)
    })()
  }

/**
 * Sets fields on every row matching a condition and returns the updated rows. Does not
 * cascade and does not check `version()` columns: this is not `S.update`.
 * Shape: `updateWhere(executor)(table, (t) => condition, patch)` → `TaskEither<WriteError, ReadonlyArray<Row<T>>>`.
 * Units: rows returned = rows updated (0 when none matched).
 * Errors: `DecodeError` for an invalid patch (no SQL sent); `InvalidQuery` for an empty
 * patch or an invalid condition (use `() => Q.and()` to update every row deliberately);
 * `ConstraintViolation`/`DriverError` from the database.
 * Source: PostgreSQL "UPDATE … RETURNING"; SQLAlchemy `update().where().returning()`.
 * @category destructors
 * @since 0.1.0
 */
export const updateWhere =
  (ex: Executor) =>
  <T extends AnyTable>(
    table: T,
    where: (table: T) => Condition,
    patch: Patch<T>,
  ): TE.TaskEither<WriteError, ReadonlyArray<Row<T>>> =>
  async () => {
    const d = decodePatch(table, patch)
    if (E.isLeft(d)) return d
    const spec = table.$spec
    const encoded: Record<string, unknown> = {}
    for (const [f, v] of Object.entries(d.right as Record<string, unknown>))
      if (v !== undefined) encoded[f] = encodeValue(spec.columns[f]!, v)
    const c = compileUpdateWhere(spec, encoded, [where(table).node])
    return E.isLeft(c) ? c : runRows(ex, table, c.right)
  }

/**
 * Deletes every row matching a condition and returns the deleted rows. Does not
 * cascade: relationship `cascade` rules are not applied (the database's `ON DELETE`
 * still is), so a parent with children fails with a `foreign_key` violation unless the
 * key says otherwise. Use `S.delete` for cascades.
 * Shape: `deleteWhere(executor)(table, (t) => condition)` → `TaskEither<QueryError, ReadonlyArray<Row<T>>>`.
 * Errors: `InvalidQuery` for an invalid condition; `ConstraintViolation`/`DriverError`.
 * Source: PostgreSQL "DELETE … RETURNING".
 * @category destructors
 * @since 0.1.0
 */
export const deleteWhere =
  (ex: Executor) =>
  <T extends AnyTable>(
    table: T,
    where: (table: T) => Condition,
  ): TE.TaskEither<QueryError, ReadonlyArray<Row<T>>> =>
  async () => {
    const c = compileDeleteWhere(table.$spec, [where(table).node])
    return E.isLeft(c) ? c : runRows(ex, table, c.right)
  }
