/**
 * Value expressions: arithmetic, `coalesce`, aggregates (`count`, `sum`, `avg`, `min`,
 * `max`) and the `sql` tagged template, the typed escape hatch for SQL the builders do
 * not cover. Every interpolated value is a bind parameter; the template's own text is the
 * only text that reaches the statement.
 *
 * @since 0.1.0
 */
import type { SqlType } from '../schema/column.js'
import type { AggregateFn, ArithOp, Expr, TypedExpr } from './ast.js'
import {
  isOperand,
  nodeOf,
  type Operand,
  paramLike,
  rightNode,
  sqlTypeOf,
  typed,
  type ValueOf,
  type ValueOrOperand,
} from './operand.js'

// -------------------------------------------------------------------------------------
// arithmetic
// -------------------------------------------------------------------------------------

const arith =
  (op: ArithOp) =>
  <L extends Operand<number> | Operand<bigint> | Operand<string>>(
    left: L,
    right: ValueOrOperand<ValueOf<L>>,
  ): TypedExpr<ValueOf<L>> => {
    const l = nodeOf(left)
    return typed({ _tag: 'Arith', op, left: l, right: rightNode(left, right), sqlType: sqlTypeOf(l) })
  }

/**
 * `left + right` over numbers (integer, real, numeric as decimal string, bigint).
 * Shape: `add(operand, valueOrOperand)` → `TypedExpr<A>` of the left's type; usable in
 * `where`, `select`, `orderBy`. A NULL on either side gives NULL (wrap in `coalesce`).
 * Source: PostgreSQL "Mathematical Functions and Operators".
 * @category constructors
 * @since 0.1.0
 */
export const add = arith('+')
/** `left - right`; see `add`. @category constructors @since 0.1.0 */
export const sub = arith('-')
/** `left * right`; see `add`. @category constructors @since 0.1.0 */
export const mul = arith('*')
/** `left / right`; integer division truncates toward zero, as in PostgreSQL; division by zero is a `DriverError` (22012). @category constructors @since 0.1.0 */
export const div = arith('/')
/** `left % right`: the remainder. @category constructors @since 0.1.0 */
export const mod = arith('%')

/**
 * `COALESCE(first, …rest)`: the first non-null operand. The result is non-null when a
 * plain value is among `rest` (it becomes a parameter typed like `first`).
 * Source: PostgreSQL "Conditional Expressions".
 * @example
 * Q.coalesce(books.authorId, 0)   // TypedExpr<number>
 * @category constructors
 * @since 0.1.0
 */
export const coalesce = <L extends Operand, Rest extends ReadonlyArray<ValueOrOperand<ValueOf<L>>>>(
  first: L,
  ...rest: Rest
): TypedExpr<Rest[number] extends Operand ? ValueOf<L> | null : ValueOf<L>> => {
  const f = nodeOf(first)
  return typed({
    _tag: 'Coalesce',
    operands: [f, ...rest.map((r) => rightNode(first, r))],
    sqlType: sqlTypeOf(f),
  })
}

// -------------------------------------------------------------------------------------
// aggregates
// -------------------------------------------------------------------------------------

const float8: SqlType = { _tag: 'doublePrecision' }

// count, and sum/avg over number columns, are cast to float8 so that they come back as
// JavaScript numbers on both drivers (int8 and numeric would come back as bigint and
// decimal strings); float8 is exact for integers up to 2^53.
const aggregate = (fn: AggregateFn, operand: Operand | undefined, distinct: boolean, cast: boolean): Expr => {
  const node = operand === undefined ? undefined : nodeOf(operand)
  const t = node === undefined ? undefined : sqlTypeOf(node)
  const agg: Expr = {
    _tag: 'Aggregate',
    fn,
    operand: node,
    distinct,
    sqlType: fn === 'min' || fn === 'max' ? t : cast ? float8 : undefined,
  }
  return cast ? { _tag: 'Cast', operand: agg, sqlType: float8 } : agg
}

const numberish = (o: Operand): boolean => {
  const t = sqlTypeOf(nodeOf(o))
  return t !== undefined && ['serial', 'integer', 'real', 'doublePrecision'].includes(t._tag)
}

/**
 * `count(*)`, or `count(operand)` (rows where it is not NULL).
 * Shape: `count(operand?)` → `TypedExpr<number>`. Units: rows.
 * Source: PostgreSQL "Aggregate Functions".
 * @category constructors
 * @since 0.1.0
 */
export const count = (operand?: Operand): TypedExpr<number> => typed(aggregate('count', operand, false, true))

/** `count(DISTINCT operand)`: distinct non-null values. Units: values. @category constructors @since 0.1.0 */
export const countDistinct = (operand: Operand): TypedExpr<number> =>
  typed(aggregate('count', operand, true, true))

/** What `sum`/`avg` of an operand yield: numbers for number columns, decimal strings otherwise. */
export type Numeric<A> = A extends number ? number : string

/**
 * `sum(operand)`: NULL (here `null`) over no rows. Number columns give a number; bigint
 * and numeric columns give an exact decimal string.
 * @category constructors
 * @since 0.1.0
 */
export const sum = <O extends Operand<number> | Operand<bigint> | Operand<string>>(
  operand: O,
): TypedExpr<Numeric<ValueOf<O>> | null> => typed(aggregate('sum', operand, false, numberish(operand)))

/** `avg(operand)`: the mean, `null` over no rows; see `sum` for the type. @category constructors @since 0.1.0 */
export const avg = <O extends Operand<number> | Operand<bigint> | Operand<string>>(
  operand: O,
): TypedExpr<Numeric<ValueOf<O>> | null> => typed(aggregate('avg', operand, false, numberish(operand)))

/** `min(operand)`: the least value, `null` over no rows. @category constructors @since 0.1.0 */
export const min = <O extends Operand>(operand: O): TypedExpr<ValueOf<O> | null> =>
  typed(aggregate('min', operand, false, false))

/** `max(operand)`: the greatest value, `null` over no rows. @category constructors @since 0.1.0 */
export const max = <O extends Operand>(operand: O): TypedExpr<ValueOf<O> | null> =>
  typed(aggregate('max', operand, false, false))

// -------------------------------------------------------------------------------------
// raw SQL
// -------------------------------------------------------------------------------------

/**
 * A SQL fragment typed `A`, for what the builders do not cover: functions, operators,
 * casts. Interpolated columns and expressions are rendered as SQL; every other
 * interpolated value becomes a bind parameter (`$n`), never text, so it cannot change
 * the statement — a string holding `'; DROP TABLE …` stays a string. The literal parts
 * are yours: never build them from input.
 *
 * Shape: `` sql<A>`text ${operandOrValue} …` `` → `TypedExpr<A>` (default `A = unknown`);
 * a `TypedExpr<boolean>` is a `Condition`. A parameter has no cast: add one in the text
 * when the server cannot infer its type (`` sql`${x}::int4 + 1` ``).
 * Source: kysely `sql`, drizzle `sql`; PostgreSQL "Value Expressions".
 * @example
 * Q.where((b) => Q.sql<boolean>`lower(${b.title}) = lower(${'It'})`)
 * @category constructors
 * @since 0.1.0
 */
export const sql = <A = unknown>(
  parts: TemplateStringsArray,
  ...values: ReadonlyArray<unknown>
): TypedExpr<A> =>
  typed({
    _tag: 'Raw',
    parts: Object.freeze([...parts]),
    values: Object.freeze(values.map((v) => (isOperand(v) ? nodeOf(v) : paramLike(undefined, v)))),
  })

/**
 * `operand::type`: casts to the type of a column value, as `Q.cast(x, { _tag: 'text' })`.
 * @category constructors
 * @since 0.1.0
 */
export const cast = <A = unknown>(operand: Operand, sqlType: SqlType): TypedExpr<A> =>
  typed({ _tag: 'Cast', operand: nodeOf(operand), sqlType })
