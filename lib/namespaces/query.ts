/**
 * The `query` namespace (imported as `Q`): query builders and expressions. Re-exports only.
 *
 * @since 0.1.0
 */
export type { Expr, OrderTerm, Select } from '../query/ast.js'
export {
  and,
  asc,
  type Condition,
  desc,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  like,
  lt,
  lte,
  ne,
  not,
  notInArray,
  or,
} from '../query/expr.js'
export { filterBy, from, limit, offset, orderBy, type Query, type Source, where } from '../query/query.js'
