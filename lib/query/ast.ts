/**
 * The query AST: frozen, tagged plain data. Builders (`query.ts`, `expr.ts`) make it;
 * only `dialects/postgres/compile-query.ts` turns it into SQL text.
 *
 * @since 0.1.0
 */
import type { SqlType } from '../schema/column.js'
import type { AnyTable } from '../schema/table.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Comparison operators. @category models */
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>='

/** A SQL expression node. `A` is a phantom: the JavaScript type the expression yields. @category models */
export type Expr =
  | {
      readonly _tag: 'Column'
      readonly table: string
      readonly field: string
      readonly column: string
      readonly sqlType: SqlType
    }
  | { readonly _tag: 'Param'; readonly value: unknown; readonly sqlType: SqlType | undefined }
  | { readonly _tag: 'Compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  | { readonly _tag: 'Like'; readonly caseInsensitive: boolean; readonly left: Expr; readonly pattern: Expr }
  | { readonly _tag: 'IsNull'; readonly negated: boolean; readonly operand: Expr }
  | {
      readonly _tag: 'InList'
      readonly negated: boolean
      readonly left: Expr
      readonly values: ReadonlyArray<unknown>
      readonly sqlType: SqlType
    }
  | { readonly _tag: 'Junction'; readonly op: 'AND' | 'OR'; readonly operands: ReadonlyArray<Expr> }
  | { readonly _tag: 'Not'; readonly operand: Expr }
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

/** A select of one table's rows. `R` is a phantom: the row type it returns. @category models */
export interface Select<T extends AnyTable = AnyTable, R = unknown> {
  readonly _tag: 'Select'
  readonly table: T
  readonly where: ReadonlyArray<Expr>
  readonly orderBy: ReadonlyArray<OrderTerm>
  /** Rows, or undefined for no limit. */
  readonly limit: number | undefined
  /** Rows to skip (0-based count), or undefined. */
  readonly offset: number | undefined
  readonly _R?: R
}
