/**
 * Operands: what an expression builder takes on either side — a column bound to its
 * table (`books.title`) or a typed expression (`Q.count()`, `Q.add(b.price, 1)`,
 * `` Q.sql`…` ``) — and how a plain JavaScript value becomes a typed bind parameter.
 *
 * @since 0.1.0
 */
import { encodeValue } from '../schema/codec.js'
import {
  type AnyColumn,
  baseSpec,
  type Column,
  type ColumnRef,
  type ColumnSpec,
  type ColumnValue,
  type SqlType,
} from '../schema/column.js'
import type { Expr, TypedExpr } from './ast.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A column bound to its table, as `books.title` or the `t` given to `where(t => …)`. @category models */
export type AnyColumnRef = ColumnRef<string, string, AnyColumn>

/** A column or a typed expression yielding `A` (non-null part). @category models */
export type Operand<A = any> = ColumnRef<string, string, Column<A, any, any, any, any>> | TypedExpr<A>

/** The non-null JavaScript type an operand yields. @category utility types */
export type ValueOf<O> =
  O extends ColumnRef<any, any, infer C>
    ? NonNullable<ColumnValue<C>>
    : O extends TypedExpr<infer A>
      ? NonNullable<A>
      : never

/** The JavaScript type an operand reads as in a result row, `null` included where possible. @category utility types */
export type ResultValue<O> =
  O extends ColumnRef<any, any, infer C> ? ColumnValue<C> : O extends TypedExpr<infer A> ? A : never

/** A condition: a typed boolean expression. @category models */
export type Condition = TypedExpr<boolean>

/** A value of an operand's type, or another operand of that type. @category models */
export type ValueOrOperand<A> = A | Operand<A>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Wraps a node as a frozen typed expression. @category constructors */
export const typed = <A>(node: Expr): TypedExpr<A> =>
  Object.freeze({ _tag: 'TypedExpr', node: Object.freeze(node) })

/** The expression node of a column. @category constructors */
export const columnNode = (c: AnyColumnRef): Expr =>
  Object.freeze({
    _tag: 'Column',
    table: c.table,
    field: c.field,
    column: c.column,
    sqlType: c.def.spec.sqlType,
  })

const isTagged = (u: unknown, tag: string): boolean =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === tag

/** Whether a value is an operand (a column or a typed expression) rather than a plain value. @category guards */
export const isOperand = (u: unknown): u is Operand => isTagged(u, 'ColumnRef') || isTagged(u, 'TypedExpr')

/** The node of an operand. @category destructors */
export const nodeOf = (o: Operand): Expr =>
  (o as { _tag: string })._tag === 'TypedExpr'
    ? (o as TypedExpr<unknown>).node
    : columnNode(o as AnyColumnRef)

/** The SQL type an expression yields, when known. @category destructors */
export const sqlTypeOf = (e: Expr): SqlType | undefined => {
  switch (e._tag) {
    case 'Column':
    case 'Param':
    case 'Arith':
    case 'Coalesce':
    case 'Aggregate':
    case 'Cast':
      return e.sqlType
    default:
      return undefined
  }
}

const specs = new Map<string, ColumnSpec>()

/** A column spec for a bare SQL type, cached so the codec cache (keyed by spec) hits. */
const specOf = (t: SqlType): ColumnSpec => {
  const k = JSON.stringify(t)
  let s = specs.get(k)
  if (s === undefined) {
    s = Object.freeze(baseSpec(t, undefined))
    specs.set(k, s)
  }
  return s
}

/**
 * A plain value as a bind parameter typed like `like` (a column or an expression): encoded
 * by the column's codec (bigint and Date as text, jsonb as JSON) and cast to its type.
 * @category constructors
 */
export const paramLike = (like: Operand | Expr | undefined, value: unknown): Expr => {
  if (like !== undefined && isTagged(like, 'ColumnRef')) {
    const c = like as AnyColumnRef
    return Object.freeze({
      _tag: 'Param',
      value: encodeValue(c.def.spec, value),
      sqlType: c.def.spec.sqlType,
    })
  }
  const node = like === undefined ? undefined : isOperand(like) ? nodeOf(like) : (like as Expr)
  const t = node === undefined ? undefined : sqlTypeOf(node)
  return Object.freeze({
    _tag: 'Param',
    value: t === undefined ? value : encodeValue(specOf(t), value),
    sqlType: t,
  })
}

/** The node of a right-hand side: an operand's node, or a value as a parameter typed like `left`. @category constructors */
export const rightNode = (left: Operand, right: unknown): Expr =>
  isOperand(right) ? nodeOf(right) : paramLike(left, right)

/** Describes an operand for messages: `books.title`, or `expression`. */
export const describe = (o: Operand): string =>
  isTagged(o, 'ColumnRef') ? `${(o as AnyColumnRef).table}.${(o as AnyColumnRef).field}` : 'expression'
