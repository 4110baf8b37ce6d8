/**
 * Pagination: by page number (`paginate`: items, total and page count, as
 * Flask-SQLAlchemy's `paginate` gives) and by keyset (`keyset`: the rows after a cursor,
 * which stays fast however deep the page, since it seeks instead of skipping).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { invalidQuery } from '../dialects/postgres/compile-query.js'
import type { Executor } from '../drivers/driver.js'
import type { AnySelect, Expr, OrderTerm } from '../query/ast.js'
import { type ResultOf, type Source, toQuery } from '../query/query.js'
import { shapeOf } from '../query/shape.js'
import { encodeValue } from '../schema/codec.js'
import type { QueryError } from './errors.js'
import { selectRows } from './load.js'
import { count } from './read.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One page of a query's rows. @category models */
export interface Page<R> {
  readonly items: ReadonlyArray<R>
  /** Rows the whole query yields. */
  readonly total: number
  /** This page's number, 1-based. */
  readonly page: number
  /** Rows per page. */
  readonly perPage: number
  /** Number of pages (0 when there are no rows). */
  readonly pages: number
  readonly hasPrev: boolean
  readonly hasNext: boolean
}

/** Rows after a keyset cursor, and the cursor of the next page (`null` on the last one). @category models */
export interface KeysetPage<R> {
  readonly items: ReadonlyArray<R>
  readonly next: string | null
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const positive = (name: string, n: number): QueryError | undefined =>
  Number.isSafeInteger(n) && n >= 1 ? undefined : invalidQuery(`${name} must be a positive integer, got ${n}`)

/**
 * Page `page` of a query, `perPage` rows long, with the total row count (two
 * statements, sent together: the rows with `LIMIT`/`OFFSET`, and `count(*)`).
 * Shape: `paginate(executor)(source, { page, perPage })` → `TaskEither<QueryError, Page<R>>`.
 * Units: `page` is 1-based; `perPage`, `total` count rows. The query's own limit and
 * offset are replaced. Give the query an `orderBy`, or pages may overlap.
 * Errors: `InvalidQuery` for a page or perPage that is not a positive integer, or as `all`.
 * Source: Flask-SQLAlchemy `Query.paginate` (items, total, pages, has_next, has_prev).
 * @category destructors
 * @since 0.1.0
 */
export const paginate =
  (ex: Executor) =>
  <Src extends Source>(
    source: Src,
    options: { readonly page: number; readonly perPage: number },
  ): TE.TaskEither<QueryError, Page<ResultOf<Src>>> =>
  async () => {
    const bad = positive('page', options.page) ?? positive('perPage', options.perPage)
    if (bad !== undefined) return E.left(bad)
    const q = toQuery(source)
    const { page, perPage } = options
    const [items, total] = await Promise.all([
      selectRows(ex, { ...q, limit: perPage, offset: (page - 1) * perPage }),
      count(ex)({ ...q, limit: undefined, offset: undefined })(),
    ])
    if (E.isLeft(items)) return items
    if (E.isLeft(total)) return total
    const pages = Math.ceil(total.right / perPage)
    return E.right(
      Object.freeze({
        items: items.right as ReadonlyArray<ResultOf<Src>>,
        total: total.right,
        page,
        perPage,
        pages,
        hasPrev: page > 1,
        hasNext: page < pages,
      }),
    )
  }

type ColumnExpr = Extract<Expr, { _tag: 'Column' }>

/** The order terms of a keyset: the query's (columns of its table only), then the primary key. */
const keysetTerms = (q: AnySelect): ReadonlyArray<OrderTerm & { readonly expr: ColumnExpr }> | QueryError => {
  const spec = q.table.$spec
  const terms: Array<OrderTerm & { readonly expr: ColumnExpr }> = []
  for (const t of q.orderBy) {
    const e = t.expr
    if (e._tag !== 'Column' || e.table !== spec.name)
      return invalidQuery(`keyset: order by columns of ${spec.name} only`)
    if (spec.columns[e.field]?.nullable !== false)
      return invalidQuery(`keyset: ${spec.name}.${e.field} is nullable; order by NOT NULL columns`)
    terms.push(t as OrderTerm & { readonly expr: ColumnExpr })
  }
  if (spec.primaryKey.length === 0) return invalidQuery(`keyset: ${spec.name} has no primary key`)
  for (const f of spec.primaryKey) {
    if (terms.some((t) => t.expr.field === f)) continue
    const col = spec.columns[f]!
    const expr: ColumnExpr = {
      _tag: 'Column',
      table: spec.name,
      field: f,
      column: spec.columnNames[f]!,
      sqlType: col.sqlType,
    }
    terms.push({ _tag: 'OrderTerm', expr, direction: terms[0]?.direction ?? 'ASC', nulls: undefined })
  }
  return terms
}

const encodeCursor = (values: ReadonlyArray<unknown>): string =>
  Buffer.from(JSON.stringify(values), 'utf8').toString('base64url')

const decodeCursor = (cursor: string, n: number): ReadonlyArray<unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    return Array.isArray(v) &&
      v.length === n &&
      v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')
      ? v
      : undefined
  } catch {
    return undefined
  }
}

/**
 * The next `perPage` rows after a cursor (keyset pagination): the query's `orderBy`
 * columns, then its primary key as a tie-breaker, compared with the last row seen —
 * `(a, id) > ($1, $2)` when all directions agree, else the expanded OR form.
 * Shape: `keyset(executor)(source, { perPage, after? })` → `TaskEither<QueryError, KeysetPage<R>>`;
 * pass `next` back as `after` for the following page.
 * Units: `perPage` rows; the cursor is an opaque base64url string.
 * Errors: `InvalidQuery` for an order on a nullable column, an expression or another
 * table, a table without primary key, a cursor that does not decode, a `select` missing
 * an order field, or a bad `perPage`.
 * Source: "use the index, luke" seek method; PostgreSQL "Row Constructor Comparison".
 * @category destructors
 * @since 0.1.0
 */
export const keyset =
  (ex: Executor) =>
  <Src extends Source>(
    source: Src,
    options: { readonly perPage: number; readonly after?: string | null },
  ): TE.TaskEither<QueryError, KeysetPage<ResultOf<Src>>> =>
  async () => {
    const bad = positive('perPage', options.perPage)
    if (bad !== undefined) return E.left(bad)
    const q = toQuery(source)
    const terms = keysetTerms(q)
    if (!Array.isArray(terms)) return E.left(terms as QueryError)
    const shape = shapeOf(q)
    if (
      shape._tag === 'Joined' ||
      (shape._tag === 'Selection' && terms.some((t) => !shape.keys.includes(t.expr.field)))
    )
      return E.left(invalidQuery('keyset: the rows must carry every order field (no joins; select them)'))
    const where: Expr[] = [...q.where]
    if (options.after !== undefined && options.after !== null) {
      const values = decodeCursor(options.after, terms.length)
      if (values === undefined) return E.left(invalidQuery('keyset: the cursor is not one this query made'))
      const params: Expr[] = values.map((v, i) => ({
        _tag: 'Param',
        value: v,
        sqlType: terms[i]!.expr.sqlType,
      }))
      const op = (t: OrderTerm) => (t.direction === 'ASC' ? '>' : '<')
      if (terms.every((t) => t.direction === terms[0]!.direction)) {
        where.push({ _tag: 'RowCompare', op: op(terms[0]!), left: terms.map((t) => t.expr), right: params })
      } else {
        where.push({
          _tag: 'Junction',
          op: 'OR',
          operands: terms.map((t, i) => ({
            _tag: 'Junction',
            op: 'AND',
            operands: [
              ...terms
                .slice(0, i)
                .map((s, j): Expr => ({ _tag: 'Compare', op: '=', left: s.expr, right: params[j]! })),
              { _tag: 'Compare', op: op(t), left: t.expr, right: params[i]! },
            ],
          })),
        })
      }
    }
    const rows = await selectRows(ex, {
      ...q,
      where,
      orderBy: terms,
      limit: options.perPage + 1,
      offset: undefined,
    })
    if (E.isLeft(rows)) return rows
    const more = rows.right.length > options.perPage
    const items = more ? rows.right.slice(0, options.perPage) : rows.right
    const last = items[items.length - 1]
    const next =
      more && last !== undefined
        ? encodeCursor(
            terms.map((t) => encodeValue(q.table.$spec.columns[t.expr.field]!, last[t.expr.field])),
          )
        : null
    return E.right(Object.freeze({ items: items as ReadonlyArray<ResultOf<Src>>, next }))
  }
