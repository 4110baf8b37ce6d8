/**
 * Compiles plan steps to SQL. Each step becomes one set-based statement whose text
 * depends only on the table and column list — never on the number of rows — so the
 * server prepares it once: rows travel as one array parameter per column through
 * `unnest` (PERFORMANCE.md: unnest beats VALUES, and never nears the 65,535-parameter
 * limit).
 *
 * @since 0.1.0
 */

import type { Cell, DeleteStep, InsertStep, Step, StepColumn, UpdateStep } from '../../plan/step.js'
import type { SqlType } from '../../schema/column.js'
import { type Compiled, compiled } from './compiled.js'
import { quoteIdent } from './quote.js'
import { castName } from './types.js'

// jsonb travels as text (JSON) inside arrays and is cast per element: arrays of jsonb
// literals are escaped differently by the two drivers, text arrays are not.
const arrayType = (t: SqlType): string => (t._tag === 'jsonb' ? 'text' : castName(t))
const element = (alias: string, t: SqlType): string => (t._tag === 'jsonb' ? `${alias}::jsonb` : alias)

const returningList = (cols: ReadonlyArray<StepColumn>, qualifier?: string): string =>
  cols
    .map((c) => (qualifier === undefined ? quoteIdent(c.column) : `${qualifier}.${quoteIdent(c.column)}`))
    .join(', ')

const columnParams = (rows: ReadonlyArray<ReadonlyArray<Cell>>, width: number): unknown[][] =>
  Array.from({ length: width }, (_, i) => rows.map((r) => r[i] ?? null))

const insert = (s: InsertStep): Compiled => {
  const table = quoteIdent(s.sqlTable)
  const returning = returningList(s.returning)
  if (s.columns.length === 0) return compiled(`INSERT INTO ${table} DEFAULT VALUES RETURNING ${returning}`)
  const names = s.columns.map((c) => quoteIdent(c.column)).join(', ')
  const arrays = s.columns.map((c, i) => `$${i + 1}::${arrayType(c.sqlType)}[]`).join(', ')
  const aliases = s.columns.map((_, i) => `c${i + 1}`)
  const select = s.columns.map((c, i) => element(`u.${aliases[i]}`, c.sqlType)).join(', ')
  return compiled(
    `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${arrays}) WITH ORDINALITY AS u(${aliases.join(', ')}, ord) ORDER BY u.ord RETURNING ${returning}`,
    columnParams(
      s.rows.map((r) => r.cells),
      s.columns.length,
    ),
  )
}

const update = (s: UpdateStep): Compiled => {
  const n = s.keys.length
  const arrays = [...s.keys, ...s.columns].map((c, i) => `$${i + 1}::${arrayType(c.sqlType)}[]`).join(', ')
  const keyAliases = s.keys.map((_, i) => `k${i + 1}`)
  const colAliases = s.columns.map((_, i) => `c${i + 1}`)
  const set = s.columns
    .map((c, i) => `${quoteIdent(c.column)} = ${element(`u.${colAliases[i]}`, c.sqlType)}`)
    .join(', ')
  const where = s.keys.map((k, i) => `t.${quoteIdent(k.column)} = u.${keyAliases[i]}`).join(' AND ')
  return compiled(
    `UPDATE ${quoteIdent(s.sqlTable)} AS t SET ${set} FROM unnest(${arrays}) AS u(${[...keyAliases, ...colAliases].join(', ')}) WHERE ${where} RETURNING ${returningList(s.returning, 't')}`,
    columnParams(
      s.rows.map((r) => [...r.keys, ...r.cells]),
      n + s.columns.length,
    ),
  )
}

const del = (s: DeleteStep): Compiled => {
  const table = quoteIdent(s.sqlTable)
  if (s.keys.length === 1) {
    const k = s.keys[0]!
    return compiled(
      `DELETE FROM ${table} WHERE ${quoteIdent(k.column)} = ANY($1::${arrayType(k.sqlType)}[]) RETURNING ${quoteIdent(k.column)}`,
      columnParams(s.rows, 1),
    )
  }
  const arrays = s.keys.map((c, i) => `$${i + 1}::${arrayType(c.sqlType)}[]`).join(', ')
  const aliases = s.keys.map((_, i) => `k${i + 1}`)
  const where = s.keys.map((k, i) => `t.${quoteIdent(k.column)} = u.${aliases[i]}`).join(' AND ')
  return compiled(
    `DELETE FROM ${table} AS t USING unnest(${arrays}) AS u(${aliases.join(', ')}) WHERE ${where} RETURNING ${returningList(s.keys, 't')}`,
    columnParams(s.rows, s.keys.length),
  )
}

const byTag: { readonly [K in Step['_tag']]: (s: Extract<Step, { _tag: K }>) => Compiled } = {
  Insert: insert,
  Update: update,
  Delete: del,
}

/**
 * Compiles one plan step to one statement.
 *
 * Shape: `compileStep(step)` → `Compiled` with one array parameter per column (keys
 * first for updates and deletes); `RefKey` cells are passed through unchanged, so the
 * executor resolves them before running and `explain` can show them.
 * Statements: insert → `INSERT … SELECT … FROM unnest(…) WITH ORDINALITY … ORDER BY ord
 * RETURNING …` (rows go in, and sequences advance, in input order); update → `UPDATE …
 * FROM unnest(…)`; delete → `DELETE … WHERE key = ANY($1)` (or `USING unnest` for a
 * composite key). Every statement returns the rows it touched, so the executor can
 * check counts.
 * Errors: none (steps are valid by construction).
 * Source: PERFORMANCE.md (unnest batches, constant statement text).
 * @category destructors
 * @since 0.1.0
 */
export const compileStep = (s: Step): Compiled => (byTag[s._tag] as (s: Step) => Compiled)(s)
