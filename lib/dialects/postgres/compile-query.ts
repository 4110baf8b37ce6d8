/**
 * Compiles the query AST to SQL. Every value is a bind parameter cast to its column's
 * type (`$1::int4`), and identifiers come only from the schema, quoted; the statement
 * text depends on the query's shape, not its values, so prepared statements are reused.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Expr, OrderTerm, Select } from '../../query/ast.js'
import { type Compiled, compiled } from './compiled.js'
import { quoteIdent } from './quote.js'
import { castName } from './types.js'

/** A query that cannot be compiled: an invalid condition, limit or offset. @category errors */
export interface InvalidQuery {
  readonly _tag: 'InvalidQuery'
  readonly message: string
}

const invalid = (message: string): InvalidQuery => Object.freeze({ _tag: 'InvalidQuery', message })

/** Collects bind parameters while an expression is rendered. */
interface Params {
  readonly values: unknown[]
  readonly add: (value: unknown, cast: string | undefined) => string
}

const params = (): Params => {
  const values: unknown[] = []
  return {
    values,
    add: (value, cast) => {
      values.push(value)
      return cast === undefined ? `$${values.length}` : `$${values.length}::${cast}`
    },
  }
}

const expr = (e: Expr, p: Params): E.Either<InvalidQuery, string> => {
  switch (e._tag) {
    case 'Column':
      return E.right(`${quoteIdent(e.table)}.${quoteIdent(e.column)}`)
    case 'Param':
      return E.right(p.add(e.value, e.sqlType === undefined ? undefined : castName(e.sqlType)))
    case 'Compare':
      return both(e.left, e.right, p, (l, r) => `${l} ${e.op} ${r}`)
    case 'Like':
      return both(e.left, e.pattern, p, (l, r) => `${l} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${r}`)
    case 'IsNull':
      return E.map((o: string) => `${o} IS ${e.negated ? 'NOT ' : ''}NULL`)(expr(e.operand, p))
    case 'InList':
      return E.map((l: string) => {
        const list = p.add(e.values, `${castName(e.sqlType)}[]`)
        // NOT (x = ANY(…)) rather than x <> ALL(…): the same NULL handling, one shape
        return e.negated ? `NOT (${l} = ANY(${list}))` : `${l} = ANY(${list})`
      })(expr(e.left, p))
    case 'Junction': {
      if (e.operands.length === 0) return E.right(e.op === 'AND' ? 'TRUE' : 'FALSE')
      const parts: string[] = []
      for (const o of e.operands) {
        const r = expr(o, p)
        if (E.isLeft(r)) return r
        parts.push(r.right)
      }
      return E.right(parts.length === 1 ? parts[0]! : `(${parts.join(` ${e.op} `)})`)
    }
    case 'Not':
      return E.map((o: string) => `NOT (${o})`)(expr(e.operand, p))
    case 'Invalid':
      return E.left(invalid(e.message))
  }
}

const both = (
  a: Expr,
  b: Expr,
  p: Params,
  f: (a: string, b: string) => string,
): E.Either<InvalidQuery, string> => {
  const l = expr(a, p)
  if (E.isLeft(l)) return l
  const r = expr(b, p)
  return E.isLeft(r) ? r : E.right(f(l.right, r.right))
}

const order = (t: OrderTerm, p: Params): E.Either<InvalidQuery, string> =>
  E.map((x: string) => `${x} ${t.direction}${t.nulls === undefined ? '' : ` NULLS ${t.nulls}`}`)(
    expr(t.expr, p),
  )

const count = (name: string, n: number | undefined): E.Either<InvalidQuery, number | undefined> =>
  n === undefined || (Number.isSafeInteger(n) && n >= 0)
    ? E.right(n)
    : E.left(invalid(`${name} must be a non-negative integer number of rows, got ${n}`))

/**
 * Compiles a select.
 *
 * Shape: `compileSelect(query)` → `Either<InvalidQuery, Compiled>`:
 * `SELECT "t"."a", … FROM "t" [WHERE …] [ORDER BY …] [LIMIT $n] [OFFSET $m]`,
 * columns in field order. Several `where`s are joined with AND.
 * Errors: `InvalidQuery` for an invalid condition (an unknown `filterBy` field, a
 * comparison with null) or a limit/offset that is not a non-negative integer.
 * Source: PostgreSQL "SELECT".
 * @category destructors
 * @since 0.1.0
 */
export const compileSelect = (q: Select): E.Either<InvalidQuery, Compiled> => {
  const spec = q.table.$spec
  const table = quoteIdent(spec.name)
  const p = params()
  const columns = spec.fields.map((f) => `${table}.${quoteIdent(spec.columnNames[f]!)}`).join(', ')
  let text = `SELECT ${columns} FROM ${table}`
  if (q.where.length > 0) {
    const w = expr({ _tag: 'Junction', op: 'AND', operands: q.where }, p)
    if (E.isLeft(w)) return w
    text += ` WHERE ${w.right}`
  }
  if (q.orderBy.length > 0) {
    const parts: string[] = []
    for (const t of q.orderBy) {
      const r = order(t, p)
      if (E.isLeft(r)) return r
      parts.push(r.right)
    }
    text += ` ORDER BY ${parts.join(', ')}`
  }
  const lim = count('limit', q.limit)
  if (E.isLeft(lim)) return lim
  const off = count('offset', q.offset)
  if (E.isLeft(off)) return off
  if (lim.right !== undefined) text += ` LIMIT ${p.add(lim.right, 'int8')}`
  if (off.right !== undefined) text += ` OFFSET ${p.add(off.right, 'int8')}`
  return E.right(compiled(text, p.values))
}
