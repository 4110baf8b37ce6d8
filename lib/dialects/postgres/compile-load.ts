/**
 * Compiles the statement that loads one relationship level of an `include`: the related
 * rows of every parent at once, matched by `= ANY($n::type[])` on the parents' keys (one
 * array parameter: the text never depends on the number of parents, so it is prepared
 * once). Each row carries the parent key it belongs to as `"__origami_parent"`.
 *
 * With a `limit`/`offset` in the include's query, the limit applies per parent row,
 * through `row_number() OVER (PARTITION BY parent ORDER BY …)`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnySelect, Expr, Include, Join } from '../../query/ast.js'
import { relationKeys } from '../../query/include.js'
import type { AnySchema, ResolvedRelation } from '../../schema/schema.js'
import type { AnyTable } from '../../schema/table.js'
import { addParam, attempt, expr, fail, type InvalidQuery } from './compile-expr.js'
import { newParams, renderSelect } from './compile-query.js'
import { quoteIdent } from './quote.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The output column carrying each related row's parent key. @category models */
export const parentColumn = '__origami_parent'

/**
 * A compiled include level: statement text and parameters, the keys array going at
 * `params[keyIndex]` at run time.
 * @category models
 */
export interface IncludeStatement {
  readonly text: string
  readonly params: ReadonlyArray<unknown>
  readonly keyIndex: number
  /** The parent row field whose values are the keys. */
  readonly parentField: string
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const KEYS = Symbol('keys')

const column = (t: AnyTable, field: string): Expr => {
  const spec = t.$spec.columns[field]
  if (spec === undefined) return fail(`include: ${t.$name} has no field ${field}`)
  return { _tag: 'Column', table: t.$name, field, column: t.$spec.columnNames[field]!, sqlType: spec.sqlType }
}

const render = (schema: AnySchema, rel: ResolvedRelation, sub: AnySelect): IncludeStatement => {
  const keys = relationKeys(rel)
  const target = schema.tables[rel.target]!
  const matchTable = schema.tables[keys.table]!
  const match = column(matchTable, keys.match)
  const joins: Join[] =
    keys.through === undefined
      ? []
      : [
          {
            _tag: 'Join',
            kind: 'INNER',
            table: matchTable,
            on: {
              _tag: 'Compare',
              op: '=',
              left: column(matchTable, keys.through.field),
              right: column(target, keys.through.targetField),
            },
          },
        ]
  if (joins.length > 0 && sub.joins.some((j) => j.table.$name === matchTable.$name))
    fail(`include: ${matchTable.$name} is joined twice`)
  const p = newParams()
  const matchType = (match as Extract<Expr, { _tag: 'Column' }>).sqlType
  // the key condition goes first in WHERE; the sentinel marks where the keys array goes
  const keyCond: Expr = {
    _tag: 'InList',
    negated: false,
    left: match,
    values: KEYS as never,
    sqlType: matchType,
  }
  const perParent = sub.limit !== undefined || sub.offset !== undefined
  const inner: AnySelect = perParent ? { ...sub, orderBy: [], limit: undefined, offset: undefined } : sub
  const extras = [{ key: parentColumn, expr: match }]
  let rn = ''
  const withKey: AnySelect = { ...inner, where: [keyCond, ...inner.where] }
  if (perParent) {
    const order =
      sub.orderBy.length === 0
        ? ''
        : ` ORDER BY ${sub.orderBy.map((t) => `${expr(t.expr, p)} ${t.direction}${t.nulls === undefined ? '' : ` NULLS ${t.nulls}`}`).join(', ')}`
    rn = `row_number() OVER (PARTITION BY ${expr(match, p)}${order})`
  }
  let text: string = renderSelect(withKey, p, {
    columns: perParent
      ? [...extras, { key: '__origami_rn', expr: { _tag: 'Raw', parts: [rn], values: [] } }]
      : extras,
    joins,
  })
  const keyIndex = p.values.indexOf(KEYS)
  if (keyIndex < 0) fail('include: key parameter lost')
  if (perParent) {
    const lo = addParam(p, sub.offset ?? 0, 'int8')
    const hi = sub.limit === undefined ? undefined : addParam(p, sub.limit, 'int8')
    text = `SELECT * FROM (${text}) AS "s" WHERE "__origami_rn" > ${lo}${hi === undefined ? '' : ` AND "__origami_rn" <= ${lo} + ${hi}`} ORDER BY "__origami_rn"`
  }
  return { text, params: p.values, keyIndex, parentField: keys.parentField }
}

const cache = new WeakMap<Include, E.Either<InvalidQuery, IncludeStatement>>()

/**
 * Compiles one include level (cached per include value).
 * Shape: `compileInclude(schema, relation, include)` → `Either<InvalidQuery, IncludeStatement>`:
 * `SELECT <related columns>, <match> AS "__origami_parent" FROM <related> [INNER JOIN
 * <association> ON …] WHERE <match> = ANY($k::type[]) [AND …] [ORDER BY …]`.
 * Errors: `InvalidQuery` as `compileSelect`, or for an include that was invalid when built.
 * Source: SQLAlchemy `selectinload`; PERFORMANCE.md (eager loading: two queries, `= any`).
 * @category destructors
 * @since 0.1.0
 */
export const compileInclude = (
  schema: AnySchema,
  rel: ResolvedRelation,
  inc: Include,
): E.Either<InvalidQuery, IncludeStatement> => {
  const hit = cache.get(inc)
  if (hit !== undefined) return hit
  const r =
    inc.query === undefined
      ? {
          ok: false as const,
          error: { _tag: 'InvalidQuery' as const, message: inc.invalid ?? 'invalid include' },
        }
      : attempt(() => render(schema, rel, inc.query!))
  const out = r.ok ? E.right(r.value) : E.left(r.error)
  cache.set(inc, out)
  return out
}

/** Quotes the parent column name (for callers building their own SQL around includes). @category destructors */
export const parentColumnSql = quoteIdent(parentColumn)
