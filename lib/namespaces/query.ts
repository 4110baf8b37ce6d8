/**
 * The `query` namespace (imported as `Q`): query builders, expressions, aggregates,
 * joins and includes. Re-exports only.
 *
 * @since 0.1.0
 */
export type { AnySelect, Expr, Include, Join, OrderTerm, Select, TypedExpr } from '../query/ast.js'
export {
  and,
  asc,
  between,
  desc,
  eq,
  exists,
  gt,
  gte,
  ilike,
  inArray,
  inQuery,
  isNotNull,
  isNull,
  like,
  lt,
  lte,
  ne,
  not,
  notBetween,
  notExists,
  notInArray,
  notInQuery,
  or,
  type SingleColumn,
  type StringOperand,
} from '../query/expr.js'
export {
  add,
  avg,
  cast,
  coalesce,
  count,
  countDistinct,
  div,
  max,
  min,
  mod,
  mul,
  type Numeric,
  sql,
  sub,
  sum,
} from '../query/func.js'
export {
  include,
  type Loaded,
  type RelationName,
  type RelationsOf,
  type TargetQuery,
  type TargetTable,
} from '../query/include.js'
export { innerJoin, type JoinedRow, leftJoin, type NullableTable } from '../query/join.js'
export type { Condition, Operand, ResultValue, ValueOf } from '../query/operand.js'
export {
  distinct,
  filterBy,
  from,
  groupBy,
  having,
  type In,
  limit,
  offset,
  orderBy,
  type Query,
  type ResultOf,
  type Selectable,
  type Selected,
  type Source,
  select,
  type TableOf,
  where,
} from '../query/query.js'
