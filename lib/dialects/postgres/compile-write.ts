/**
 * Compiles the bulk writes that run outside sessions (`db.insertMany`, `db.updateWhere`,
 * `db.deleteWhere`). Each returns every column of the rows it touched (`RETURNING`).
 * Inserts send one array parameter per column through `unnest`, so the text depends only
 * on the table and its column set, never on the row count (PERFORMANCE.md).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Expr } from '../../query/ast.js'
import type { TableSpec } from '../../schema/table.js'
import { addParam, arrayCast, attempt, expr, fail, type InvalidQuery } from './compile-expr.js'
import { newParams } from './compile-query.js'
import { type Compiled, compiled } from './compiled.js'
import { quoteIdent } from './quote.js'
import { castName } from './types.js'

const returning = (spec: TableSpec): string =>
  spec.fields.map((f) => quoteIdent(spec.columnNames[f]!)).join(', ')

const whereText = (where: ReadonlyArray<Expr>, p: ReturnType<typeof newParams>): string =>
  where.length === 0
    ? fail('a bulk update or delete needs a condition')
    : expr({ _tag: 'Junction', op: 'AND', operands: where }, p)

/**
 * `INSERT INTO t (cols) SELECT … FROM unnest($1::type[], …) WITH ORDINALITY AS u(…, ord)
 * ORDER BY u.ord RETURNING …`: rows go in (and sequences advance) in input order.
 * Shape: `(spec, fields, columns)` → `Compiled`; `columns[i]` holds the wire-form values
 * of `fields[i]`, one per row. No fields: `INSERT … DEFAULT VALUES` (one row).
 * Errors: none (the caller validated rows with the insert codec).
 * Source: PERFORMANCE.md (unnest beats VALUES).
 * @category destructors
 * @since 0.1.0
 */
export const compileInsertMany = (
  spec: TableSpec,
  fields: ReadonlyArray<string>,
  columns: ReadonlyArray<ReadonlyArray<unknown>>,
): Compiled => {
  const table = quoteIdent(spec.name)
  if (fields.length === 0) return compiled(`INSERT INTO ${table} DEFAULT VALUES RETURNING ${returning(spec)}`)
  const names = fields.map((f) => quoteIdent(spec.columnNames[f]!)).join(', ')
  const arrays = fields.map((f, i) => `$${i + 1}::${arrayCast(spec.columns[f]!.sqlType)}[]`).join(', ')
  const aliases = fields.map((_, i) => `c${i + 1}`)
  const select = fields
    .map((f, i) => (spec.columns[f]!.sqlType._tag === 'jsonb' ? `u.${aliases[i]}::jsonb` : `u.${aliases[i]}`))
    .join(', ')
  return compiled(
    `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${arrays}) WITH ORDINALITY AS u(${aliases.join(', ')}, ord) ORDER BY u.ord RETURNING ${returning(spec)}`,
    columns,
  )
}

/**
 * `UPDATE t SET col = $n::type, … WHERE … RETURNING …`.
 * Shape: `(spec, patch, where)` → `Either<InvalidQuery, Compiled>`; `patch` maps fields to
 * wire-form values (`null` sets NULL).
 * Errors: `InvalidQuery` for an empty patch, no condition, or an invalid condition.
 * Source: PostgreSQL "UPDATE".
 * @category destructors
 * @since 0.1.0
 */
export const compileUpdateWhere = (
  spec: TableSpec,
  patch: Readonly<Record<string, unknown>>,
  where: ReadonlyArray<Expr>,
): E.Either<InvalidQuery, Compiled> => {
  const p = newParams()
  const r = attempt(() => {
    const fields = Object.keys(patch)
    if (fields.length === 0) fail(`updateWhere: nothing to set on ${spec.name}`)
    const set = fields
      .map(
        (f) =>
          `${quoteIdent(spec.columnNames[f]!)} = ${addParam(p, patch[f], castName(spec.columns[f]!.sqlType))}`,
      )
      .join(', ')
    return `UPDATE ${quoteIdent(spec.name)} SET ${set} WHERE ${whereText(where, p)} RETURNING ${returning(spec)}`
  })
  return r.ok ? E.right(compiled(r.value, p.values)) : E.left(r.error)
}

/**
 * `DELETE FROM t WHERE … RETURNING …`.
 * Shape: `(spec, where)` → `Either<InvalidQuery, Compiled>`.
 * Errors: `InvalidQuery` for no condition or an invalid condition.
 * Source: PostgreSQL "DELETE".
 * @category destructors
 * @since 0.1.0
 */
export const compileDeleteWhere = (
  spec: TableSpec,
  where: ReadonlyArray<Expr>,
): E.Either<InvalidQuery, Compiled> => {
  const p = newParams()
  const r = attempt(
    () => `DELETE FROM ${quoteIdent(spec.name)} WHERE ${whereText(where, p)} RETURNING ${returning(spec)}`,
  )
  return r.ok ? E.right(compiled(r.value, p.values)) : E.left(r.error)
}
