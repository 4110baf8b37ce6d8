/**
 * The query AST: frozen, tagged plain data. Builders (`query.ts`, `expr.ts`, `join.ts`,
 * `aggregate.ts`, `include.ts`) make it; only `dialects/postgres/compile-*.ts` turn it
 * into SQL text. Phantom fields (`_A`, `_R`, `_J`, `_C`) carry types and never exist at
 * run time.
 *
 * @since 0.1.0
 */
import type { SqlType } from '../schema/column.js'
import type { AnySchema } from '../schema/schema.js'
import type { AnyTable } from '../schema/table.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Comparison operators. @category models */
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>='

/** Arithmetic operators (PostgreSQL's: `/` on integers truncates, `%` is the remainder). @category models */
export type ArithOp = '+' | '-' | '*' | '/' | '%'

/** Aggregate functions. @category models */
export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max'

/** A SQL expression node. @category models */
export type Expr =
  | {
      readonly _tag: 'Column'
      /** The SQL name of the table (the qualifier). */
      readonly table: string
      readonly field: string
      readonly column: string
      readonly sqlType: SqlType
    }
  /** A bind parameter; `sqlType` gives its cast (`$1::int4`), undefined leaves it to the server. */
  | { readonly _tag: 'Param'; readonly value: unknown; readonly sqlType: SqlType | undefined }
  | { readonly _tag: 'Compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  /** A row comparison, `(a, b) > ($1, $2)`: lexicographic, as keyset pagination needs. */
  | {
      readonly _tag: 'RowCompare'
      readonly op: CompareOp
      readonly left: ReadonlyArray<Expr>
      readonly right: ReadonlyArray<Expr>
    }
  | {
      readonly _tag: 'Between'
      readonly negated: boolean
      readonly operand: Expr
      readonly low: Expr
      readonly high: Expr
    }
  | { readonly _tag: 'Like'; readonly caseInsensitive: boolean; readonly left: Expr; readonly pattern: Expr }
  | { readonly _tag: 'IsNull'; readonly negated: boolean; readonly operand: Expr }
  | {
      readonly _tag: 'InList'
      readonly negated: boolean
      readonly left: Expr
      /** Values in wire form, sent as one array parameter. */
      readonly values: ReadonlyArray<unknown>
      readonly sqlType: SqlType
    }
  | { readonly _tag: 'InQuery'; readonly negated: boolean; readonly left: Expr; readonly query: Select }
  | { readonly _tag: 'Exists'; readonly negated: boolean; readonly query: Select }
  | { readonly _tag: 'Junction'; readonly op: 'AND' | 'OR'; readonly operands: ReadonlyArray<Expr> }
  | { readonly _tag: 'Not'; readonly operand: Expr }
  | {
      readonly _tag: 'Arith'
      readonly op: ArithOp
      readonly left: Expr
      readonly right: Expr
      readonly sqlType: SqlType | undefined
    }
  | {
      readonly _tag: 'Coalesce'
      readonly operands: ReadonlyArray<Expr>
      readonly sqlType: SqlType | undefined
    }
  | {
      readonly _tag: 'Aggregate'
      readonly fn: AggregateFn
      /** undefined: `count(*)`. */
      readonly operand: Expr | undefined
      readonly distinct: boolean
      readonly sqlType: SqlType | undefined
    }
  | { readonly _tag: 'Cast'; readonly operand: Expr; readonly sqlType: SqlType }
  /** A `sql` template: `parts.length === values.length + 1`; the text is the caller's, values are nodes. */
  | { readonly _tag: 'Raw'; readonly parts: ReadonlyArray<string>; readonly values: ReadonlyArray<Expr> }
  | { readonly _tag: 'Invalid'; readonly message: string }

/** A typed expression: the node plus a phantom result type. @category models */
export interface TypedExpr<A> {
  readonly _tag: 'TypedExpr'
  readonly node: Expr
  readonly _A?: A
}

/** One `ORDER BY` term. @category models */
export interface OrderTerm {
  readonly _tag: 'OrderTerm'
  readonly expr: Expr
  readonly direction: 'ASC' | 'DESC'
  readonly nulls: 'FIRST' | 'LAST' | undefined
}

/** A joined table. @category models */
export interface Join {
  readonly _tag: 'Join'
  readonly kind: 'INNER' | 'LEFT'
  readonly table: AnyTable
  readonly on: Expr
}

/** One output column of a chosen selection: `expr AS "key"`. @category models */
export interface SelectItem {
  readonly key: string
  readonly expr: Expr
}

/**
 * An eager load of a relationship: `query` reads the related table (its where, order,
 * limit and nested includes apply to the related rows), or `invalid` says why it cannot.
 * @category models
 */
export interface Include {
  readonly _tag: 'Include'
  readonly name: string
  readonly query: Select | undefined
  readonly invalid: string | undefined
}

/** The schema a query was started from (`from(schema, key)`), for includes. @category models */
export interface SchemaContext {
  readonly schema: AnySchema
  readonly key: string
}

/**
 * A select. `T` is the base table, `R` the row type it returns, `J` the joined tables by
 * SQL name (as the callbacks see them), `C` the schema context (`In<S, K>`) or `undefined`.
 * @category models
 */
export interface Select<T extends AnyTable = AnyTable, R = unknown, J = {}, C = unknown> {
  readonly _tag: 'Select'
  readonly table: T
  readonly joins: ReadonlyArray<Join>
  /** Chosen output columns; undefined selects every column of every table. */
  readonly selection: ReadonlyArray<SelectItem> | undefined
  readonly distinct: boolean
  readonly where: ReadonlyArray<Expr>
  readonly groupBy: ReadonlyArray<Expr>
  readonly having: ReadonlyArray<Expr>
  readonly orderBy: ReadonlyArray<OrderTerm>
  /** Rows, or undefined for no limit. */
  readonly limit: number | undefined
  /** Rows to skip (0-based count), or undefined. */
  readonly offset: number | undefined
  readonly includes: ReadonlyArray<Include>
  readonly context: SchemaContext | undefined
  readonly _R?: R
  readonly _J?: J
  readonly _C?: C
}

/** Any select, whatever its phantoms. @category models */
export type AnySelect = Select<AnyTable, any, any, any>
