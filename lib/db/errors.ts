/**
 * The errors of database effects: what `db.commit` and the reads return in `Left`.
 * Each is a plain tagged object carrying what a person needs to fix the problem; none
 * carries bind parameters.
 *
 * @since 0.1.0
 */

import type { InvalidQuery } from '../dialects/postgres/compile-query.js'
import type { ConstraintKind } from '../dialects/postgres/sqlstate.js'
import { classify } from '../dialects/postgres/sqlstate.js'
import type { DriverError } from '../drivers/driver.js'
import type { ConnectionError } from '../drivers/open.js'
import type { SessionError } from '../session/errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A commit broke a constraint: a duplicate unique value, a foreign key to nothing, NULL
 * in a NOT NULL column, a failed check. The transaction was rolled back.
 * @category errors
 */
export interface ConstraintViolation {
  readonly _tag: 'ConstraintViolation'
  readonly kind: ConstraintKind
  /** SQL table name, when the database reports it. */
  readonly table: string | undefined
  /** Constraint name (e.g. `users_email_key`), when the database reports it. */
  readonly constraint: string | undefined
  readonly column: string | undefined
  /** The plan step that failed (e.g. `insert users`), or undefined outside a commit. */
  readonly step: string | undefined
  readonly statement: string
  readonly code: string
  readonly message: string
  /**
   * PostgreSQL's detail line (e.g. `Key (email)=(…) already exists.`). It can quote the
   * offending values, so it is not enumerable: JSON logs of the error leave it out.
   */
  readonly detail: string | undefined
}

/**
 * An update or delete matched fewer rows than it named: the rows are gone, or changed
 * since they were read. Rolled back.
 * Source: SQLAlchemy's `StaleDataError`.
 * @category errors
 */
export interface StaleRowError {
  readonly _tag: 'StaleRowError'
  readonly table: string
  readonly step: string
  /** Keys that matched no row, as text (`1`, `(1, 2)`). */
  readonly keys: ReadonlyArray<string>
  readonly message: string
}

/** A statement of a plan failed for a reason that is not a constraint. Rolled back. @category errors */
export interface StepFailed {
  readonly _tag: 'StepFailed'
  readonly step: string
  readonly statement: string
  /** SQLSTATE, when the database gave one. */
  readonly code: string | undefined
  readonly message: string
  readonly cause: DriverError
}

/**
 * A transaction kept failing with a serialization failure (40001) or a deadlock (40P01)
 * after every retry allowed; rolled back each time. Source: PostgreSQL "Serialization
 * Failure Handling".
 * @category errors
 */
export interface SerializationFailure {
  readonly _tag: 'SerializationFailure'
  /** Attempts made, the first included. */
  readonly attempts: number
  readonly code: string
  readonly step: string | undefined
  readonly message: string
  readonly cause: CommitError
}

/** Everything `db.commit` can return in `Left`. @category errors */
export type CommitError =
  | SessionError
  | ConstraintViolation
  | StaleRowError
  | StepFailed
  | DriverError
  | SerializationFailure

/** Everything a read (`all`, `first`, `get`) can return in `Left`. @category errors */
export type QueryError = InvalidQuery | ConstraintViolation | DriverError

/** Everything `connect` can return in `Left`. @category errors */
export type { ConnectionError }

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The error a failed statement becomes: a `ConstraintViolation` for class 23, a
 * `StepFailed` naming the step for the rest (or the `DriverError` itself outside a plan).
 * @category constructors
 */
export const fromDriverError = (
  e: DriverError,
  step: string | undefined,
): ConstraintViolation | StepFailed | DriverError => {
  const reason = classify(e.code)
  if (reason._tag === 'Constraint') {
    const v = {
      _tag: 'ConstraintViolation' as const,
      kind: reason.kind,
      table: e.table,
      constraint: e.constraint,
      column: e.column,
      step,
      statement: e.statement ?? '',
      code: e.code!,
      message: e.message,
    }
    return Object.freeze(
      Object.defineProperty(v, 'detail', { value: e.detail, enumerable: false }) as ConstraintViolation,
    )
  }
  if (step === undefined) return e
  return Object.freeze({
    _tag: 'StepFailed',
    step,
    statement: e.statement ?? '',
    code: e.code,
    message: `step "${step}" failed${e.code === undefined ? '' : ` (SQLSTATE ${e.code})`}: ${e.message}`,
    cause: e,
  })
}
