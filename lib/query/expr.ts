/**
 * Expression builders: comparisons, pattern matching, NULL tests and boolean logic over
 * columns and values. Values always become bind parameters; identifiers come only from
 * the schema. A comparison of a column with a value of another type is a compile error.
 *
 * @since 0.1.0
 */
import { encodeValue } from '../schema/codec.js'
import type { AnyColumn, Column, ColumnRef, ColumnValue } from '../schema/column.js'
import type { CompareOp, Expr, OrderTerm, TypedExpr } from './ast.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A column bound to its table, as `books.title` or the `t` given to `where(t => …)`. @category models */
export type AnyColumnRef = ColumnRef<string, string, AnyColumn>

/** The non-null JavaScript type of a column. @category utility types */
export type ValueOf<C extends AnyColumnRef> = NonNullable<ColumnValue<C['def']>>

/** A condition: a typed boolean expression. @category models */
export type Condition = TypedExpr<boolean>

/** A column holding strings. @category models */
export type StringColumnRef = ColumnRef<string, string, Column<string, boolean, boolean, boolean>>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const typed = <A>(node: Expr): TypedExpr<A> => Object.freeze({ _tag: 'TypedExpr', node: Object.freeze(node) })

/** The expression node of a column. @category constructors */
export const columnNode = (c: AnyColumnRef): Expr =>
  Object.freeze({
    _tag: 'Column',
    table: c.table,
    field: c.field,
    column: c.column,
    sqlType: c.def.spec.sqlType,
  })

const param = (c: AnyColumnRef, value: unknown): Expr =>
  Object.freeze({ _tag: 'Param', value: encodeValue(c.def.spec, value), sqlType: c.def.spec.sqlType })

const compare =
  (op: CompareOp) =>
  <C extends AnyColumnRef>(column: C, value: ValueOf<C>): Condition =>
    value === null || value === undefined
      ? typed({
          _tag: 'Invalid',
          message: `${column.table}.${column.field} ${op} NULL is never true: use isNull/isNotNull`,
        })
      : typed({ _tag: 'Compare', op, left: columnNode(column), right: param(column, value) })

/**
 * `column = value`. Shape: `eq(column, value)` → `Condition`; `value` has the column's type.
 * Errors: a null value becomes an invalid condition reported when the query runs
 * (`column = NULL` is never true in SQL): use `isNull`.
 * @category constructors
 * @since 0.1.0
 */
export const eq = compare('=')
/** `column <> value`. @category constructors @since 0.1.0 */
export const ne = compare('<>')
/** `column < value`. @category constructors @since 0.1.0 */
export const lt = compare('<')
/** `column <= value`. @category constructors @since 0.1.0 */
export const lte = compare('<=')
/** `column > value`. @category constructors @since 0.1.0 */
export const gt = compare('>')
/** `column >= value`. @category constructors @since 0.1.0 */
export const gte = compare('>=')

/**
 * `column LIKE pattern` (`%` any run, `_` one character). The pattern is a parameter.
 * @category constructors
 * @since 0.1.0
 */
export const like = (column: StringColumnRef, pattern: string): Condition =>
  typed({
    _tag: 'Like',
    caseInsensitive: false,
    left: columnNode(column),
    pattern: { _tag: 'Param', value: pattern, sqlType: { _tag: 'text' } },
  })

/** `column ILIKE pattern`: case-insensitive `like`. @category constructors @since 0.1.0 */
export const ilike = (column: StringColumnRef, pattern: string): Condition =>
  typed({
    _tag: 'Like',
    caseInsensitive: true,
    left: columnNode(column),
    pattern: { _tag: 'Param', value: pattern, sqlType: { _tag: 'text' } },
  })

/** `column IS NULL`. @category constructors @since 0.1.0 */
export const isNull = (column: AnyColumnRef): Condition =>
  typed({ _tag: 'IsNull', negated: false, operand: columnNode(column) })
/** `column IS NOT NULL`. @category constructors @since 0.1.0 */
export const isNotNull = (column: AnyColumnRef): Condition =>
  typed({ _tag: 'IsNull', negated: true, operand: columnNode(column) })

/**
 * `column = ANY($1)`: membership in a list, sent as one array parameter (the statement
 * text does not change with the list's length). An empty list is simply false.
 * @category constructors
 * @since 0.1.0
 */
export const inArray = <C extends AnyColumnRef>(column: C, values: ReadonlyArray<ValueOf<C>>): Condition =>
  typed({
    _tag: 'InList',
    negated: false,
    left: columnNode(column),
    values: values.map((v) => encodeValue(column.def.spec, v)),
    sqlType: column.def.spec.sqlType,
  })

/** The negation of `inArray`; an empty list is true. @category constructors @since 0.1.0 */
export const notInArray = <C extends AnyColumnRef>(column: C, values: ReadonlyArray<ValueOf<C>>): Condition =>
  typed({
    _tag: 'InList',
    negated: true,
    left: columnNode(column),
    values: values.map((v) => encodeValue(column.def.spec, v)),
    sqlType: column.def.spec.sqlType,
  })

/** All conditions hold (`TRUE` when none is given). @category constructors @since 0.1.0 */
export const and = (...conditions: ReadonlyArray<Condition>): Condition =>
  typed({ _tag: 'Junction', op: 'AND', operands: conditions.map((c) => c.node) })
/** Any condition holds (`FALSE` when none is given). @category constructors @since 0.1.0 */
export const or = (...conditions: ReadonlyArray<Condition>): Condition =>
  typed({ _tag: 'Junction', op: 'OR', operands: conditions.map((c) => c.node) })
/** The condition does not hold. @category constructors @since 0.1.0 */
export const not = (condition: Condition): Condition => typed({ _tag: 'Not', operand: condition.node })

/**
 * Ascending order on a column; `nulls` places NULLs first or last (PostgreSQL's default
 * puts them last ascending, first descending).
 * @category constructors
 * @since 0.1.0
 */
export const asc = (column: AnyColumnRef, nulls?: 'first' | 'last'): OrderTerm =>
  Object.freeze({
    _tag: 'OrderTerm',
    expr: columnNode(column),
    direction: 'ASC',
    nulls: nulls === undefined ? undefined : nulls === 'first' ? 'FIRST' : 'LAST',
  })
/** Descending order on a column. @category constructors @since 0.1.0 */
export const desc = (column: AnyColumnRef, nulls?: 'first' | 'last'): OrderTerm =>
  Object.freeze({
    _tag: 'OrderTerm',
    expr: columnNode(column),
    direction: 'DESC',
    nulls: nulls === undefined ? undefined : nulls === 'first' ? 'FIRST' : 'LAST',
  })
