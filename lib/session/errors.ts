/**
 * Errors a change-set can hold or a fold can return. Bad input is recorded in the
 * session when an operation is applied (nothing is thrown) and reported by `plan` and
 * `commit` before any SQL runs.
 *
 * @since 0.1.0
 */
import type { DecodeError } from '../schema/errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A change that cannot be planned.
 * - `UnknownTable`: the table or relationship is not part of the session's schema.
 * - `InvalidKey`: a key whose shape does not fit the table's primary key, or a table without one.
 * - `DuplicateRef`: the same ref added twice.
 * - `UnresolvedRef`: a ref used (as a parent, or in update/delete) that was never added nor committed.
 * - `InvalidRelationValue`: a nested value of the wrong shape (a list for a one-to-one, …).
 * - `Cycle`: pending rows that reference each other through NOT NULL foreign keys, so
 *   no insert order works (a nullable key in the cycle is set by a later update instead).
 * @category errors
 */
export interface PlanError {
  readonly _tag: 'PlanError'
  readonly reason:
    | 'UnknownTable'
    | 'InvalidKey'
    | 'DuplicateRef'
    | 'UnresolvedRef'
    | 'InvalidRelationValue'
    | 'Cycle'
  readonly table: string
  readonly message: string
}

/** What a session records against itself, reported by `plan`. @category errors */
export type SessionError = DecodeError | PlanError

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** @category constructors */
export const planError = (reason: PlanError['reason'], table: string, message: string): PlanError =>
  Object.freeze({ _tag: 'PlanError', reason, table, message })
