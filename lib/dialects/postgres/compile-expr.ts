/**
 * Compiles expression nodes to SQL text, collecting bind parameters. Dispatch goes
 * through a table keyed by every node kind, so a new kind that is not compiled here is a
 * type error. Values are only ever bind parameters (`$n::type`); identifiers come from
 * the schema, always quoted.
 *
 * Internal to `dialects/postgres`: `compile-query.ts` and `compile-write.ts` use it.
 *
 * @since 0.1.0
 */
import type { Expr, Select } from '../../query/ast.js'
import type { SqlType } from '../../schema/column.js'
import { quoteIdent } from './quote.js'
import { castName } from './types.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A query that cannot be compiled: an invalid condition, limit, offset, key or include. @category errors */
export interface InvalidQuery {
  readonly _tag: 'InvalidQuery'
  readonly message: string
}

/** Builds a frozen `InvalidQuery`. @category constructors */
export const invalidQuery = (message: string): InvalidQuery =>
  Object.freeze({ _tag: 'InvalidQuery', message })

/**
 * Thrown inside the compiler and caught at its entry points (`compileSelect`, …), which
 * return it as a `Left`: it never leaves `dialects/postgres`.
 */
export interface Abort {
  readonly abort: InvalidQuery
}

/** Stops compilation with an `InvalidQuery` (caught by `attempt`). */
export const fail = (message: string): never => {
  throw { abort: invalidQuery(message) } satisfies Abort
}

/** Runs a compilation step, turning an abort (or a bad identifier from `quoteIdent`) into a value. */
export const attempt = <A>(
  f: () => A,
): { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: InvalidQuery } => {
  try {
    return { ok: true, value: f() }
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'abort' in e) return { ok: false, error: (e as Abort).abort }
    if (e instanceof TypeError && e.message.startsWith('quoteIdent'))
      return { ok: false, error: invalidQuery(e.message) }
    throw e
  }
}

/** Collects bind parameters while a statement is rendered; `select` renders sub-queries. */
export interface Params {
  readonly values: unknown[]
  readonly select: (q: Select, p: Params) => string
}

/** Adds a parameter and returns its placeholder, cast when a type is given. */
export const addParam = (p: Params, value: unknown, cast: string | undefined): string => {
  p.values.push(value)
  return cast === undefined ? `$${p.values.length}` : `$${p.values.length}::${cast}`
}

/** The element type of an array parameter: jsonb travels as text (both drivers escape text arrays alike). */
export const arrayCast = (t: SqlType): string => (t._tag === 'jsonb' ? 'text' : castName(t))

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

type Renderers = { readonly [K in Expr['_tag']]: (e: Extract<Expr, { _tag: K }>, p: Params) => string }

const renderers: Renderers = {
  Column: (e) => `${quoteIdent(e.table)}.${quoteIdent(e.column)}`,
  Param: (e, p) => addParam(p, e.value, e.sqlType === undefined ? undefined : castName(e.sqlType)),
  Compare: (e, p) => `${expr(e.left, p)} ${e.op} ${expr(e.right, p)}`,
  RowCompare: (e, p) =>
    `(${e.left.map((x) => expr(x, p)).join(', ')}) ${e.op} (${e.right.map((x) => expr(x, p)).join(', ')})`,
  Between: (e, p) =>
    `${expr(e.operand, p)} ${e.negated ? 'NOT ' : ''}BETWEEN ${expr(e.low, p)} AND ${expr(e.high, p)}`,
  Like: (e, p) => `${expr(e.left, p)} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${expr(e.pattern, p)}`,
  IsNull: (e, p) => `${expr(e.operand, p)} IS ${e.negated ? 'NOT ' : ''}NULL`,
  InList: (e, p) => {
    const l = expr(e.left, p)
    const list = addParam(p, e.values, `${arrayCast(e.sqlType)}[]`)
    // NOT (x = ANY(…)) rather than x <> ALL(…): the same NULL handling, one shape
    return e.negated ? `NOT (${l} = ANY(${list}))` : `${l} = ANY(${list})`
  },
  InQuery: (e, p) => {
    if (e.query.selection?.length !== 1) fail('inQuery: the sub-query must select exactly one column')
    return `${expr(e.left, p)} ${e.negated ? 'NOT IN' : 'IN'} (${p.select(e.query, p)})`
  },
  Exists: (e, p) => `${e.negated ? 'NOT EXISTS' : 'EXISTS'} (${p.select(e.query, p)})`,
  Junction: (e, p) => {
    if (e.operands.length === 0) return e.op === 'AND' ? 'TRUE' : 'FALSE'
    const parts = e.operands.map((o) => expr(o, p))
    return parts.length === 1 ? parts[0]! : `(${parts.join(` ${e.op} `)})`
  },
  Not: (e, p) => `NOT (${expr(e.operand, p)})`,
  Arith: (e, p) => `(${expr(e.left, p)} ${e.op} ${expr(e.right, p)})`,
  Coalesce: (e, p) => `COALESCE(${e.operands.map((o) => expr(o, p)).join(', ')})`,
  Aggregate: (e, p) =>
    e.operand === undefined ? `${e.fn}(*)` : `${e.fn}(${e.distinct ? 'DISTINCT ' : ''}${expr(e.operand, p)})`,
  Cast: (e, p) => `(${expr(e.operand, p)})::${castName(e.sqlType)}`,
  Raw: (e, p) => {
    let text = e.parts[0] ?? ''
    for (let i = 0; i < e.values.length; i++) text += `${expr(e.values[i]!, p)}${e.parts[i + 1] ?? ''}`
    return `(${text})`
  },
  Invalid: (e) => fail(e.message),
}

/**
 * Renders one expression node, adding its values to `p`.
 * Shape: `(Expr, Params)` → SQL text. Errors: aborts (see `attempt`) on an `Invalid` node.
 * @category destructors
 */
export const expr = (e: Expr, p: Params): string =>
  (renderers[e._tag] as (e: Expr, p: Params) => string)(e, p)
