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
 * - `Unsupported`: something origami cannot plan yet, named in the message.
 * - `VersionRequired`: an update or delete of a table with a `version()` column that does
 *   not say which version it read (optimistic locking needs it).
 * - `OneToOne`: two pending rows claim the same parent through a `hasOne` relationship.
 * - `SchemaMismatch`: `concat` of change-sets over different schemas.
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
    | 'Unsupported'
    | 'VersionRequired'
    | 'OneToOne'
    | 'SchemaMismatch'
  readonly table: string
  readonly message: string
}

/**
 * A delete or removal would leave rows whose NOT NULL foreign key points at nothing:
 * the default cascade rule (set NULL) cannot apply. Names the children (table and keys,
 * at most 20 listed; `count` is the total found). Raised by `plan` when the session
 * itself shows it (removing a child), else by a guard step inside the commit, which is
 * then rolled back. Source: DESIGN.md § Cascade semantics, "Settled".
 * @category errors
 */
export interface OrphanError {
  readonly _tag: 'OrphanError'
  /** SQL name of the children's table. */
  readonly table: string
  /** The NOT NULL foreign-key column. */
  readonly column: string
  /** The relationship whose default rule applies, e.g. `authors.books`. */
  readonly relation: string
  /** Keys of the children, as text (`7`, `(1, 2)`). */
  readonly keys: ReadonlyArray<string>
  readonly count: number
  /** The plan step that found them, when the commit did. */
  readonly step: string | undefined
  readonly message: string
}

/**
 * Two change-sets composed with `concat` disagree about one row: one deletes what the
 * other updates, or they give one field two different values. Never resolved silently.
 * @category errors
 */
export interface ConflictError {
  readonly _tag: 'ConflictError'
  readonly table: string
  /** The row's key, or ref id for a pending row, as text. */
  readonly row: string
  /** The field both sides set, or undefined for a delete/update conflict. */
  readonly field: string | undefined
  readonly message: string
}

/** What a session records against itself, reported by `plan`. @category errors */
export type SessionError = DecodeError | PlanError | OrphanError | ConflictError

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** @category constructors */
export const planError = (reason: PlanError['reason'], table: string, message: string): PlanError =>
  Object.freeze({ _tag: 'PlanError', reason, table, message })

/** @category constructors */
export const orphanError = (
  table: string,
  column: string,
  relation: string,
  keys: ReadonlyArray<string>,
  count: number,
  step: string | undefined,
): OrphanError =>
  Object.freeze({
    _tag: 'OrphanError',
    table,
    column,
    relation,
    keys: Object.freeze([...keys]),
    count,
    step,
    message: `${relation}: ${count === 1 ? 'a row' : `${count} rows`} of ${table} (key ${keys.join(', ')}${count > keys.length ? ', …' : ''}) would be orphaned: ${table}.${column} is NOT NULL, so it cannot be set to NULL; delete ${count === 1 ? 'it' : 'them'} too, re-parent ${count === 1 ? 'it' : 'them'}, or declare the cascade`,
  })

/** @category constructors */
export const conflictError = (table: string, row: string, field: string | undefined): ConflictError =>
  Object.freeze({
    _tag: 'ConflictError',
    table,
    row,
    field,
    message:
      field === undefined
        ? `${table} ${row}: one change-set deletes the row and another updates it`
        : `${table} ${row}: two change-sets set ${field} to different values`,
  })
