/**
 * Migration errors: one tagged union, `MigrationError`, each case carrying what a person
 * needs to fix it. The command maps each to an exit code (`exitCode`).
 *
 * @since 0.1.0
 */
import type { DriverError } from '../drivers/driver.js'
import type { ConnectionError } from '../drivers/open.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Everything a migration command can fail with.
 *
 * - `InvalidRevision`: a revision file that cannot be loaded or is not a revision (`file`).
 * - `History`: the revision files do not form one line (two heads, a missing parent, a
 *   duplicate id, a cycle).
 * - `UnknownRevision`: a target that names no revision.
 * - `Drift`: the database and the files disagree: an applied revision's file was edited
 *   (`edited`) or removed (`missing`), or the database is not at the revision expected.
 * - `DestructiveRefused`: destructive operations not named with `--allow-destructive`.
 * - `LockTimeout`: another runner held the advisory lock for longer than the timeout.
 * - `RevisionFailed`: a statement of a revision failed; that revision was rolled back.
 * - `Usage`: a request that cannot be served as given (e.g. upgrade to an older revision).
 * - `ConnectionError`, `DriverError`: from the driver, outside any revision.
 * @category errors
 * @since 0.1.0
 */
export type MigrationError =
  | { readonly _tag: 'InvalidRevision'; readonly file: string; readonly message: string }
  | { readonly _tag: 'History'; readonly message: string }
  | { readonly _tag: 'UnknownRevision'; readonly target: string; readonly message: string }
  | {
      readonly _tag: 'Drift'
      readonly edited: ReadonlyArray<string>
      readonly missing: ReadonlyArray<string>
      readonly message: string
    }
  | {
      readonly _tag: 'DestructiveRefused'
      readonly items: ReadonlyArray<{
        readonly revision: string
        readonly target: string
        readonly operation: string
      }>
      readonly message: string
    }
  | { readonly _tag: 'LockTimeout'; readonly message: string }
  | {
      readonly _tag: 'RevisionFailed'
      readonly revision: string
      readonly direction: 'upgrade' | 'downgrade'
      readonly statement: string
      readonly cause: DriverError
      readonly message: string
    }
  | { readonly _tag: 'Usage'; readonly message: string }
  | ConnectionError
  | DriverError

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds a `MigrationError` case, frozen.
 * Shape: `migrationError({ _tag, …fields })` → `MigrationError`. Errors: none.
 * @category constructors
 * @since 0.1.0
 */
export const migrationError = <E extends MigrationError>(e: E): E => Object.freeze(e)

/**
 * Maps a driver failure: SQLSTATE 55P03 (`lock_not_available`, raised when
 * `lock_timeout` expires) becomes `LockTimeout`; anything else stays a `DriverError`.
 * @category constructors
 * @since 0.1.0
 */
export const fromDriver = (e: DriverError): MigrationError =>
  e.code === '55P03'
    ? migrationError({
        _tag: 'LockTimeout',
        message: 'another origami runner holds the migration lock (timed out waiting for it)',
      })
    : e

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * The command's exit code for an error: 1 for a disagreement between files, schema and
 * database (`Drift`, `History`, `InvalidRevision`), 2 for usage (`Usage`,
 * `UnknownRevision`, `DestructiveRefused`), 3 for `LockTimeout`, 4 for a database error
 * (`RevisionFailed`, `DriverError`, `ConnectionError`).
 * Shape: `MigrationError` → `1 | 2 | 3 | 4`. Source: issue 6 (fixed exit codes).
 * @category destructors
 * @since 0.1.0
 */
export const exitCode = (e: MigrationError): 1 | 2 | 3 | 4 => {
  switch (e._tag) {
    case 'Drift':
    case 'History':
    case 'InvalidRevision':
      return 1
    case 'Usage':
    case 'UnknownRevision':
    case 'DestructiveRefused':
      return 2
    case 'LockTimeout':
      return 3
    case 'RevisionFailed':
    case 'DriverError':
    case 'ConnectionError':
      return 4
  }
}
