/**
 * The `session` namespace (imported as `S`): change-set operations, the fold into a
 * plan, and `explain`. Re-exports only.
 *
 * @since 0.1.0
 */
export { explain } from '../dialects/postgres/explain.js'
export { plan } from '../plan/fold.js'
export type { ConflictError, OrphanError, PlanError, SessionError } from '../session/errors.js'
export {
  type AddInput,
  add,
  addAll,
  delete,
  type Entry,
  entry,
  link,
  remove,
  type UpdateInput,
  unlink,
  update,
  type VersionOption,
} from '../session/ops.js'
export { isRef, type Ref, ref } from '../session/ref.js'
export { type Change, concat, empty, getMonoid, isDirty, rollback, type Session } from '../session/session.js'
