/**
 * The read methods of a `Db`, bound to one executor: `all`, `first`, `get`, `count`,
 * `paginate`, `keyset`.
 *
 * @since 0.1.0
 */
import type { Executor } from '../drivers/driver.js'
import { keyset, paginate } from './paginate.js'
import { all, count, first, get } from './read.js'

/**
 * Binds every read to an executor (the driver, or a transaction's handle).
 * Shape: `reads(executor)` → `{ all, first, get, count, paginate, keyset }`.
 * Errors: see each read.
 * @category constructors
 * @since 0.1.0
 */
export const reads = (ex: Executor) => ({
  all: all(ex),
  first: first(ex),
  get: get(ex),
  count: count(ex),
  paginate: paginate(ex),
  keyset: keyset(ex),
})
