/**
 * Condition builders: comparisons, ranges, pattern matching, NULL tests, list and
 * sub-query membership, and boolean logic over columns, expressions and values. Values
 * always become bind parameters; identifiers come only from the schema. A comparison of
 * a column with a value (or column) of another type is a compile error.
 *
 * @since 0.1.0
 */
import type { CompareOp, Expr, OrderTerm, Select } from './ast.js'
import {
  type AnyColumnRef,
  type Condition,
  columnNode,
  describe,
  nodeOf,
  type Operand,
  paramLike,
  rightNode,
  typed,
  type ValueOf,
  type ValueOrOperand,
} from './operand.js'

export {
  type AnyColumnRef,
  type Condition,
  columnNode,
  type Operand,
  type ResultValue,
  type ValueOf,
} from './operand.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An operand yielding strings (a text/varchar column, or a string expression). @category models */
export type StringOperand = Operand<string>

/** A select returning one column of type `A` (for `inQuery`). @category models */
export type SingleColumn<A> = Select<any, { readonly [k: string]: A | null }, any, any>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const compare =
  (op: CompareOp) =>
  <L extends Operand>(left: L, right: ValueOrOperand<ValueOf<L>>): Condition =>
    right === null || right === undefined
      ? typed({
          _tag: 'Invalid',
          message: `${describe(left)} ${op} NULL is never true: use isNull/isNotNull`,
        })
      : typed({ _tag: 'Compare', op, left: nodeOf(left), right: rightNode(left, right) })

/**
 * `left = right`.
 * Shape: `eq(operand, valueOrOperand)` → `Condition`; the right side has the left's type
 * (a value becomes a bind parameter cast to the column's type; a column or expression is
 * compared as is, e.g. `eq(books.authorId, authors.id)` in a join).
 * Errors: a null value makes the query invalid (`InvalidQuery` when it runs, no SQL sent),
 * since `x = NULL` is never true: use `isNull`.
 * Source: PostgreSQL "Comparison Functions and Operators".
 * @category constructors
 * @since 0.1.0
 */
export const eq = compare('=')
/** `left <> right`; see `eq`. @category constructors @since 0.1.0 */
export const ne = compare('<>')
/** `left < right`; see `eq`. @category constructors @since 0.1.0 */
export const lt = compare('<')
/** `left <= right`; see `eq`. @category constructors @since 0.1.0 */
export const lte = compare('<=')
/** `left > right`; see `eq`. @category constructors @since 0.1.0 */
export const gt = compare('>')
/** `left >= right`; see `eq`. @category constructors @since 0.1.0 */
export const gte = compare('>=')

const range =
  (negated: boolean) =>
  <L extends Operand>(
    operand: L,
    low: ValueOrOperand<ValueOf<L>>,
    high: ValueOrOperand<ValueOf<L>>,
  ): Condition =>
    low === null || low === undefined || high === null || high === undefined
      ? typed({ _tag: 'Invalid', message: `between: ${describe(operand)} needs two non-null bounds` })
      : typed({
          _tag: 'Between',
          negated,
          operand: nodeOf(operand),
          low: rightNode(operand, low),
          high: rightNode(operand, high),
        })

/**
 * `operand BETWEEN low AND high`: both bounds included.
 * Errors: a null bound makes the query invalid. Source: PostgreSQL "Comparison Predicates".
 * @category constructors
 * @since 0.1.0
 */
export const between = range(false)
/** `operand NOT BETWEEN low AND high`. @category constructors @since 0.1.0 */
export const notBetween = range(true)

const pattern =
  (caseInsensitive: boolean) =>
  (operand: StringOperand, p: string | StringOperand): Condition =>
    typed({
      _tag: 'Like',
      caseInsensitive,
      left: nodeOf(operand),
      pattern: rightNode(operand, p),
    })

/**
 * `operand LIKE pattern` (`%` any run, `_` one character, `\` escapes). The pattern is a
 * bind parameter, never text. Source: PostgreSQL "Pattern Matching".
 * @category constructors
 * @since 0.1.0
 */
export const like = pattern(false)
/** `operand ILIKE pattern`: case-insensitive `like`. @category constructors @since 0.1.0 */
export const ilike = pattern(true)

/** `operand IS NULL`. @category constructors @since 0.1.0 */
export const isNull = (operand: Operand): Condition =>
  typed({ _tag: 'IsNull', negated: false, operand: nodeOf(operand) })
/** `operand IS NOT NULL`. @category constructors @since 0.1.0 */
export const isNotNull = (operand: Operand): Condition =>
  typed({ _tag: 'IsNull', negated: true, operand: nodeOf(operand) })

const list =
  (negated: boolean) =>
  <C extends AnyColumnRef>(column: C, values: ReadonlyArray<ValueOf<C>>): Condition =>
    values.some((v) => v === null || v === undefined)
      ? typed({ _tag: 'Invalid', message: `inArray: ${describe(column)} list holds null: use isNull` })
      : typed({
          _tag: 'InList',
          negated,
          left: columnNode(column),
          values: values.map((v) => (paramLike(column, v) as { value: unknown }).value),
          sqlType: column.def.spec.sqlType,
        })

/**
 * `column = ANY($1)`: membership in a list, sent as one array parameter, so the statement
 * text does not change with the list's length (prepared once). An empty list is simply
 * false — no SQL error, no special text.
 * Errors: a null in the list makes the query invalid (use `isNull`).
 * Source: PostgreSQL "Row and Array Comparisons"; PERFORMANCE.md (`= any`).
 * @category constructors
 * @since 0.1.0
 */
export const inArray = list(false)
/** `NOT (column = ANY($1))`: the negation of `inArray`; an empty list is true. @category constructors @since 0.1.0 */
export const notInArray = list(true)

/**
 * `operand IN (sub-query)`: the sub-query must select exactly one column of the
 * operand's type (a compile error otherwise; a run-time `InvalidQuery` for more columns).
 * @example
 * Q.inQuery(authors.id, pipe(Q.from(books), Q.select((b) => ({ id: b.authorId }))))
 * @category constructors
 * @since 0.1.0
 */
export const inQuery = <L extends Operand>(operand: L, query: SingleColumn<ValueOf<L>>): Condition =>
  typed({ _tag: 'InQuery', negated: false, left: nodeOf(operand), query })
/** `operand NOT IN (sub-query)`. Beware SQL's rule: a NULL in the sub-query makes it never true. @category constructors @since 0.1.0 */
export const notInQuery = <L extends Operand>(operand: L, query: SingleColumn<ValueOf<L>>): Condition =>
  typed({ _tag: 'InQuery', negated: true, left: nodeOf(operand), query })

/**
 * `EXISTS (sub-query)`: the sub-query yields a row. Correlate it by naming the outer
 * table's columns in its `where` (e.g. `Q.eq(b.authorId, authors.id)`).
 * @category constructors
 * @since 0.1.0
 */
export const exists = (query: Select<any, any, any, any>): Condition =>
  typed({ _tag: 'Exists', negated: false, query })
/** `NOT EXISTS (sub-query)`. @category constructors @since 0.1.0 */
export const notExists = (query: Select<any, any, any, any>): Condition =>
  typed({ _tag: 'Exists', negated: true, query })

/** All conditions hold (`TRUE` when none is given). @category constructors @since 0.1.0 */
export const and = (...conditions: ReadonlyArray<Condition>): Condition =>
  typed({ _tag: 'Junction', op: 'AND', operands: conditions.map((c) => c.node) })
/** Any condition holds (`FALSE` when none is given). @category constructors @since 0.1.0 */
export const or = (...conditions: ReadonlyArray<Condition>): Condition =>
  typed({ _tag: 'Junction', op: 'OR', operands: conditions.map((c) => c.node) })
/** The condition does not hold. @category constructors @since 0.1.0 */
export const not = (condition: Condition): Condition => typed({ _tag: 'Not', operand: condition.node })

const orderTerm =
  (direction: 'ASC' | 'DESC') =>
  (operand: Operand, nulls?: 'first' | 'last'): OrderTerm =>
    Object.freeze({
      _tag: 'OrderTerm',
      expr: nodeOf(operand) as Expr,
      direction,
      nulls: nulls === undefined ? undefined : nulls === 'first' ? 'FIRST' : 'LAST',
    })

/**
 * Ascending order on a column or expression; `nulls` places NULLs first or last
 * (PostgreSQL's default puts them last ascending, first descending).
 * Source: PostgreSQL "Sorting Rows (ORDER BY)".
 * @category constructors
 * @since 0.1.0
 */
export const asc = orderTerm('ASC')
/** Descending order on a column or expression; see `asc`. @category constructors @since 0.1.0 */
export const desc = orderTerm('DESC')
