/**
 * Compiles plan steps to SQL. Each step becomes one set-based statement whose text
 * depends only on the table and column list — never on the number of rows — so the
 * server prepares it once: rows travel as one array parameter per column through
 * `unnest` (PERFORMANCE.md: unnest beats VALUES, and never nears the 65,535-parameter
 * limit).
 *
 * @since 0.1.0
 */

import {
  type CheckStep,
  type CollectStep,
  type DeleteStep,
  type GuardStep,
  type InsertStep,
  type NullifyStep,
  type Predicate,
  type Step,
  type StepColumn,
  type UpdateStep,
  updateRowCount,
  type Values,
} from '../../plan/step.js'
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

/** ` RETURNING …` for a non-empty list, nothing for an empty one. */
const returningClause = (cols: ReadonlyArray<StepColumn>, qualifier?: string): string =>
  cols.length === 0 ? '' : ` RETURNING ${returningList(cols, qualifier)}`

const insert = (s: InsertStep): Compiled => {
  const table = quoteIdent(s.sqlTable)
  const returning = returningClause(s.returning)
  if (s.columns.length === 0) return compiled(`INSERT INTO ${table} DEFAULT VALUES${returning}`)
  const names = s.columns.map((c) => quoteIdent(c.column)).join(', ')
  const arrays = s.columns.map((c, i) => `$${i + 1}::${arrayType(c.sqlType)}[]`).join(', ')
  const aliases = s.columns.map((_, i) => `c${i + 1}`)
  const select = s.columns.map((c, i) => element(`u.${aliases[i]}`, c.sqlType)).join(', ')
  return compiled(
    `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${arrays}) WITH ORDINALITY AS u(${aliases.join(', ')}, ord) ORDER BY u.ord${returning}`,
    // the step holds its cells column by column already: one array parameter each
    s.cells,
  )
}

const update = (s: UpdateStep): Compiled => {
  const arrays = [...s.keys, ...s.columns].map((c, i) => `$${i + 1}::${arrayType(c.sqlType)}[]`).join(', ')
  const keyAliases = s.keys.map((_, i) => `k${i + 1}`)
  const colAliases = s.columns.map((_, i) => `c${i + 1}`)
  const bump =
    s.bump === undefined || s.columns.some((c) => c.field === s.bump!.field)
      ? []
      : [`${quoteIdent(s.bump.column)} = t.${quoteIdent(s.bump.column)} + 1`]
  const set = [
    ...s.columns.map((c, i) => `${quoteIdent(c.column)} = ${element(`u.${colAliases[i]}`, c.sqlType)}`),
    ...bump,
  ].join(', ')
  const where = s.keys.map((k, i) => `t.${quoteIdent(k.column)} = u.${keyAliases[i]}`).join(' AND ')
  return compiled(
    `UPDATE ${quoteIdent(s.sqlTable)} AS t SET ${set} FROM unnest(${arrays}) AS u(${[...keyAliases, ...colAliases].join(', ')}) WHERE ${where}${returningClause(s.returning, 't')}`,
    [...s.keyCells, ...s.cells],
  )
}

/** Collects bind parameters while a predicate is rendered. */
const collector = () => {
  const params: unknown[] = []
  return {
    params,
    add: (value: unknown, type: string): string => {
      params.push(value)
      return `$${params.length}::${type}`
    },
  }
}

type Collector = ReturnType<typeof collector>

const valuesParam = (v: Values): unknown => (v._tag === 'List' ? v.cells : v)

/** Renders a predicate over the table aliased `alias`; nested sub-selects get `v1`, `v2`, … */
const predicate = (p: Predicate, alias: string, c: Collector, depth = 1): string => {
  switch (p._tag) {
    case 'In':
      return `${alias}.${quoteIdent(p.column.column)} = ANY(${c.add(valuesParam(p.values), `${arrayType(p.column.sqlType)}[]`)})`
    case 'Tuples': {
      const cols = p.columns.map((x) => `${alias}.${quoteIdent(x.column)}`).join(', ')
      const arrays = p.columns
        .map((x, i) =>
          c.add(
            p.rows.map((r) => r[i] ?? null),
            `${arrayType(x.sqlType)}[]`,
          ),
        )
        .join(', ')
      return `(${cols}) IN (SELECT * FROM unnest(${arrays}))`
    }
    case 'Via': {
      const v = `v${depth}`
      return `${alias}.${quoteIdent(p.column.column)} IN (SELECT ${v}.${quoteIdent(p.select.column)} FROM ${quoteIdent(p.sqlTable)} AS ${v} WHERE ${predicate(p.where, v, c, depth + 1)})`
    }
    case 'Or':
      return p.any.length === 0
        ? 'FALSE'
        : p.any.length === 1
          ? predicate(p.any[0]!, alias, c, depth)
          : `(${p.any.map((x) => predicate(x, alias, c, depth)).join(' OR ')})`
  }
}

const condition = (where: Predicate, unless: Predicate | undefined, c: Collector): string =>
  unless === undefined
    ? predicate(where, 't', c)
    : `${predicate(where, 't', c)} AND (${predicate(unless, 't', c)}) IS NOT TRUE`

const del = (s: DeleteStep): Compiled => {
  const c = collector()
  const where = predicate(s.where, 't', c)
  return compiled(
    `DELETE FROM ${quoteIdent(s.sqlTable)} AS t WHERE ${where}${returningClause(s.returning, 't')}`,
    c.params,
  )
}

const collect = (s: CollectStep): Compiled => {
  const c = collector()
  const where = predicate(s.where, 't', c)
  return compiled(
    `SELECT ${returningList(s.fields, 't')} FROM ${quoteIdent(s.sqlTable)} AS t WHERE ${where}`,
    c.params,
  )
}

const nullify = (s: NullifyStep): Compiled => {
  const c = collector()
  const where = condition(s.where, s.unless, c)
  return compiled(
    `UPDATE ${quoteIdent(s.sqlTable)} AS t SET ${quoteIdent(s.column.column)} = NULL WHERE ${where}`,
    c.params,
  )
}

/** At most this many orphans are named in an OrphanError; the count covers them all. */
export const guardLimit = 20

const guard = (s: GuardStep): Compiled => {
  const c = collector()
  const where = condition(s.where, s.unless, c)
  return compiled(
    `SELECT ${returningList(s.keys, 't')}, count(*) OVER () AS orphans FROM ${quoteIdent(s.sqlTable)} AS t WHERE ${where} ORDER BY ${returningList(s.keys, 't')} LIMIT ${guardLimit}`,
    c.params,
  )
}

const check = (s: CheckStep): Compiled => {
  const c = collector()
  const where = predicate(s.where, 't', c)
  return compiled(
    `SELECT ${returningList(s.keys, 't')} FROM ${quoteIdent(s.sqlTable)} AS t WHERE ${where}`,
    c.params,
  )
}

const byTag: { readonly [K in Step['_tag']]: (s: Extract<Step, { _tag: K }>) => Compiled } = {
  Insert: insert,
  Update: update,
  Delete: del,
  Collect: collect,
  Nullify: nullify,
  Guard: guard,
  Check: check,
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
 * composite key). Statements return what the executor checks: generated columns,
 * the keys of named rows; an update or delete that names nothing beyond its key
 * returns nothing and is checked by its row count.
 * Errors: none (steps are valid by construction).
 * Source: PERFORMANCE.md (unnest batches, constant statement text).
 * @category destructors
 * @since 0.1.0
 */
export const compileStep = (s: Step): Compiled => (byTag[s._tag] as (s: Step) => Compiled)(s)

/** One text per row of wire cells (type and value of each), to compare rows. */
const cellsText = (cells: ReadonlyArray<unknown>): string => {
  let out = ''
  for (const c of cells) out += `${typeof c}:${String(c)}\u0000`
  return out
}

/**
 * Whether a delete's predicate names only rows among `named` (by `cellsText`), over the
 * same columns: then every row it deletes is a named one.
 */
const deletesOnly = (
  where: Predicate,
  columns: ReadonlyArray<StepColumn>,
  named: ReadonlyMap<string, unknown>,
): boolean => {
  const rows =
    where._tag === 'In' && where.values._tag === 'List' && columns.length === 1
      ? where.column.column === columns[0]!.column
        ? where.values.cells.map((c) => [c])
        : undefined
      : where._tag === 'Tuples' &&
          where.columns.map((c) => c.column).join(',') === columns.map((c) => c.column).join(',')
        ? where.rows
        : undefined
  return rows !== undefined && rows.length >= named.size && rows.every((r) => named.has(cellsText(r)))
}

/** The text of the error a self-checking statement raises: `origami: stale rows: …`. */
export const staleMarker = 'origami: stale rows: '

/**
 * Wraps a data-modifying statement so that it fails itself unless `matched` (an
 * expression over `w`, the rows it returned) counts exactly `expected` rows: the cast
 * of the text to int8 raises SQLSTATE 22P02, whose message carries `staleMarker`. It
 * returns one row: `n`, the rows the statement touched.
 */
const selfChecked = (inner: string, c: Collector, matched: string, expected: number): string => {
  const k = c.add(expected, 'int8')
  return `WITH w AS (${inner}) SELECT count(*) AS n, CASE WHEN ${matched} = ${k} THEN 0 ELSE ('${staleMarker}' || ${k} - ${matched} || ' of ' || ${k} || ' named rows')::int8 END AS stale FROM w`
}

/**
 * The statement of a step that checks its own named rows, for plans sent as one batch
 * (no result can be read before COMMIT): an update must match every row it names and
 * a delete must delete every row it names, or the statement raises (see `staleMarker`)
 * and the transaction is rolled back. `undefined` for steps with nothing to check
 * (inserts, nullifies, deletes naming no rows): those run as `compileStep` makes them.
 * Deletes vouched for by a `Check` step and other reads are never batched.
 * Shape: `compileSelfChecked(step)` → `Compiled | undefined`; the statement returns one
 * row `{ n, stale }` (`n`: rows touched, int8).
 * Source: PostgreSQL "WITH Queries" § Data-Modifying Statements in WITH; "Type Conversion".
 * @category destructors
 * @since 0.1.0
 */
export const compileSelfChecked = (s: Step): Compiled | undefined => {
  if (s._tag === 'Update') {
    // the rows of an update step have distinct keys (the fold merges changes by key)
    const plain = compileStep({ ...s, returning: [] })
    const c = collector()
    c.params.push(...plain.params)
    return compiled(selfChecked(`${plain.text} RETURNING 1`, c, 'count(*)', updateRowCount(s)), c.params)
  }
  if (s._tag === 'Delete' && s.expect.rows.length > 0 && !s.checked) {
    const cols = s.expect.columns
    const plain = del({ ...s, returning: cols })
    const c = collector()
    c.params.push(...plain.params)
    // a row can be named twice (deleted, and removed as an orphan): count it once
    const distinct = new Map(s.expect.rows.map((r) => [cellsText(r), r]))
    const rows = [...distinct.values()]
    const named: Predicate =
      cols.length === 1
        ? { _tag: 'In', column: cols[0]!, values: { _tag: 'List', cells: rows.map((r) => r[0]!) } }
        : { _tag: 'Tuples', columns: cols, rows }
    // when the delete deletes only rows it names, every row it returns counts
    const matched = deletesOnly(s.where, cols, distinct)
      ? 'count(*)'
      : `count(*) FILTER (WHERE ${predicate(named, 'w', c)})`
    return compiled(selfChecked(plain.text, c, matched, rows.length), c.params)
  }
  return undefined
}
