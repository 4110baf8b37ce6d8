/**
 * Compiles the query AST to SQL. Every value is a bind parameter cast to its column's
 * type (`$1::int4`), and identifiers come only from the schema, quoted; the statement
 * text depends on the query's shape, not its values, so prepared statements are reused.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnySelect, Expr, Join, OrderTerm, SelectItem } from '../../query/ast.js'
import { maxIdentifierBytes, shapeOf } from '../../query/shape.js'
import { addParam, attempt, expr, fail, type InvalidQuery, type Params } from './compile-expr.js'
import { type Compiled, compiled } from './compiled.js'
import { quoteIdent } from './quote.js'

export { type InvalidQuery, invalidQuery } from './compile-expr.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Extra output columns and joins that are not part of the row's shape (an include's parent key). @category models */
export interface SelectExtras {
  readonly columns: ReadonlyArray<SelectItem>
  readonly joins?: ReadonlyArray<Join>
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const order = (t: OrderTerm, p: Params): string =>
  `${expr(t.expr, p)} ${t.direction}${t.nulls === undefined ? '' : ` NULLS ${t.nulls}`}`

const rowCount = (name: string, n: number | undefined): number | undefined =>
  n === undefined || (Number.isSafeInteger(n) && n >= 0)
    ? n
    : fail(`${name} must be a non-negative integer number of rows, got ${n}`)

const outputName = (key: string): string => {
  if (key.length === 0) fail('select: an output key must not be empty')
  if (Buffer.byteLength(key, 'utf8') > maxIdentifierBytes)
    fail(`select: output key ${JSON.stringify(key.slice(0, 40))}… is longer than 63 bytes`)
  return quoteIdent(key)
}

const selectList = (q: AnySelect, p: Params): string => {
  const shape = shapeOf(q)
  switch (shape._tag) {
    case 'Selection': {
      const seen = new Set<string>()
      return q
        .selection!.map((s) => {
          if (seen.has(s.key)) fail(`select: duplicate output key ${JSON.stringify(s.key)}`)
          seen.add(s.key)
          return `${expr(s.expr, p)} AS ${outputName(s.key)}`
        })
        .join(', ')
    }
    case 'Table': {
      const t = quoteIdent(shape.spec.name)
      return shape.spec.fields.map((f) => `${t}.${quoteIdent(shape.spec.columnNames[f]!)}`).join(', ')
    }
    case 'Joined':
      return shape.groups
        .flatMap((g) => {
          const t = quoteIdent(g.name)
          return g.fields.map(
            (f) => `${t}.${quoteIdent(g.spec.columnNames[f.field]!)} AS ${quoteIdent(f.alias)}`,
          )
        })
        .join(', ')
  }
}

const conjunction = (xs: ReadonlyArray<Expr>, p: Params): string =>
  expr({ _tag: 'Junction', op: 'AND', operands: xs }, p)

/** Renders a select into `p` (shared by sub-queries, counts, includes and cursors). */
export const renderSelect = (q: AnySelect, p: Params, extras?: SelectExtras): string => {
  const names = new Set<string>([q.table.$name])
  for (const j of q.joins) {
    if (names.has(j.table.$name)) fail(`join: ${j.table.$name} is joined twice (aliases are not supported)`)
    names.add(j.table.$name)
  }
  let list = selectList(q, p)
  if (extras !== undefined && extras.columns.length > 0) {
    list += `, ${extras.columns.map((c) => `${expr(c.expr, p)} AS ${quoteIdent(c.key)}`).join(', ')}`
  }
  let text = `SELECT ${q.distinct ? 'DISTINCT ' : ''}${list} FROM ${quoteIdent(q.table.$name)}`
  for (const j of [...q.joins, ...(extras?.joins ?? [])]) {
    text += ` ${j.kind === 'INNER' ? 'INNER' : 'LEFT'} JOIN ${quoteIdent(j.table.$name)} ON ${expr(j.on, p)}`
  }
  if (q.where.length > 0) text += ` WHERE ${conjunction(q.where, p)}`
  if (q.groupBy.length > 0) text += ` GROUP BY ${q.groupBy.map((g) => expr(g, p)).join(', ')}`
  if (q.having.length > 0) text += ` HAVING ${conjunction(q.having, p)}`
  if (q.orderBy.length > 0) text += ` ORDER BY ${q.orderBy.map((t) => order(t, p)).join(', ')}`
  const lim = rowCount('limit', q.limit)
  const off = rowCount('offset', q.offset)
  if (lim !== undefined) text += ` LIMIT ${addParam(p, lim, 'int8')}`
  if (off !== undefined) text += ` OFFSET ${addParam(p, off, 'int8')}`
  return text
}

/** Fresh parameters for one statement. */
export const newParams = (): Params => ({ values: [], select: (q, p) => renderSelect(q, p) })

const compiledCache = new WeakMap<AnySelect, E.Either<InvalidQuery, Compiled>>()

/**
 * Compiles a select (cached per query value: running one query value again reuses its
 * text and parameters).
 *
 * Shape: `compileSelect(query)` → `Either<InvalidQuery, Compiled>`:
 * `SELECT [DISTINCT] … FROM "t" [INNER|LEFT JOIN … ON …] [WHERE …] [GROUP BY …]
 * [HAVING …] [ORDER BY …] [LIMIT $n] [OFFSET $m]`. Without `select`, the columns of the
 * table in field order (joined tables: aliased `"table.field"`); with it, `expr AS "key"`.
 * Several `where`s (and `having`s) are joined with AND.
 * Units: limit and offset count rows, bound as int8 parameters.
 * Errors: `InvalidQuery` for an invalid condition (an unknown `filterBy` field, a
 * comparison with null), a limit/offset that is not a non-negative integer, an empty,
 * duplicate or over-long (> 63 bytes) output key, an identifier with NUL, a table joined
 * twice, an `inQuery` sub-query without exactly one column.
 * Source: PostgreSQL "SELECT".
 * @category destructors
 * @since 0.1.0
 */
export const compileSelect = (q: AnySelect): E.Either<InvalidQuery, Compiled> => {
  const hit = compiledCache.get(q)
  if (hit !== undefined) return hit
  const p = newParams()
  const r = attempt(() => renderSelect(q, p))
  const out = r.ok ? E.right(compiled(r.value, p.values)) : E.left(r.error)
  compiledCache.set(q, out)
  return out
}

/**
 * Compiles the number of rows a query returns: `SELECT count(*)::float8 AS "count" FROM
 * (query) AS "q"` (the query's own order is dropped; its limit and offset are kept).
 * Shape: `compileCount(query)` → `Either<InvalidQuery, Compiled>`; the row's `count` is
 * a number of rows. Errors: as `compileSelect`.
 * Source: SQLAlchemy `Query.count` (counts the query as a sub-query).
 * @category destructors
 * @since 0.1.0
 */
export const compileCount = (q: AnySelect): E.Either<InvalidQuery, Compiled> => {
  const p = newParams()
  const inner: AnySelect = { ...q, orderBy: q.limit === undefined && q.offset === undefined ? [] : q.orderBy }
  const r = attempt(() => `SELECT count(*)::float8 AS "count" FROM (${renderSelect(inner, p)}) AS "q"`)
  return r.ok ? E.right(compiled(r.value, p.values)) : E.left(r.error)
}

/**
 * The statements of a server-side cursor over a compiled select, for reading a large
 * result in batches inside one transaction: `DECLARE "name" NO SCROLL CURSOR FOR …`,
 * `FETCH FORWARD n FROM "name"`, `CLOSE "name"`.
 * Units: `batchSize` rows per fetch, a positive integer (rendered as a literal number:
 * FETCH takes no parameter).
 * Errors: throws `TypeError` for a batch size that is not a positive safe integer (the
 * caller validates first).
 * Source: PostgreSQL "DECLARE", "FETCH".
 * @category destructors
 * @since 0.1.0
 */
export const cursorStatements = (
  name: string,
  select: Compiled,
  batchSize: number,
): { readonly declare: Compiled; readonly fetch: Compiled; readonly close: Compiled } => {
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0) throw new TypeError(`batch size ${batchSize}`)
  const n = quoteIdent(name)
  return {
    declare: compiled(`DECLARE ${n} NO SCROLL CURSOR FOR ${select.text}`, select.params),
    fetch: compiled(`FETCH FORWARD ${batchSize} FROM ${n}`),
    close: compiled(`CLOSE ${n}`),
  }
}
