/**
 * Autogenerate (`db migrate -m MSG`): the next revision, from the difference between the
 * schema value and a database that is at head.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Driver } from '../drivers/driver.js'
import type { AnySchema } from '../schema/schema.js'
import { compare } from './compare.js'
import type { Diff } from './diff.js'
import { type MigrationError, migrationError } from './errors.js'
import { describe, destroys, inverse } from './operation.js'
import type { Revision, RevisionData } from './revision.js'
import { nextId, renderRevisionFile } from './revision-file.js'
import { readState, verify } from './runner.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What `generate` produced: a revision and its file text, or nothing to do.
 * @category models
 * @since 0.1.0
 */
export type Generated =
  | { readonly _tag: 'Revision'; readonly revision: RevisionData; readonly text: string; readonly diff: Diff }
  | { readonly _tag: 'NoChanges'; readonly diff: Diff }

/**
 * Options of `generate`.
 * @category models
 * @since 0.1.0
 */
export interface GenerateOptions {
  readonly schema: AnySchema
  /** The existing revisions, base first (`history`). */
  readonly line: ReadonlyArray<Revision>
  readonly message: string
  /** Destructive targets accepted (`users.email`, `books`, or `all`); written into the file. */
  readonly allowDestructive?: ReadonlyArray<string>
  /** Write a revision even when nothing changed (for hand-written SQL). */
  readonly empty?: boolean
  /** The time written into the header. */
  readonly now: Date
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * Builds the next revision: checks that the database is at head (as Alembic does: a diff
 * against an older database would repeat the pending revisions), compares, and refuses
 * destructive operations that were not named.
 * Shape: `generate(options)(driver)` → `TaskEither<MigrationError, Generated>`.
 * Errors: `Drift` when the database is not at head or applied files changed;
 *   `DestructiveRefused` naming each destructive operation not accepted (with the hints
 *   about undeclared renames, since a rename mistaken for a drop is the usual cause);
 *   those of `compare`.
 * Source: Flask-Migrate `flask db migrate`; Alembic `revision --autogenerate`.
 * @category destructors
 * @since 0.1.0
 */
export const generate =
  (o: GenerateOptions) =>
  (driver: Driver): TE.TaskEither<MigrationError, Generated> =>
    pipe(
      readState(o.line)(driver),
      TE.chainEitherK(verify),
      TE.chain((state) => {
        const head = o.line.length - 1
        if (state.current !== head)
          return TE.left<MigrationError, Diff>(
            migrationError({
              _tag: 'Drift',
              edited: [],
              missing: [],
              message: `the database is not up to date (at ${state.current < 0 ? 'base' : o.line[state.current]!.id}, head is ${o.line[head]!.id}): run \`origami db upgrade\` first`,
            }),
          )
        return compare(o.schema)(driver)
      }),
      TE.chain((d): TE.TaskEither<MigrationError, Generated> => {
        if (d.operations.length === 0 && o.empty !== true) return TE.right({ _tag: 'NoChanges', diff: d })
        const accepted = o.allowDestructive ?? []
        const lost = d.operations.flatMap((op) => destroys(op).map((target) => ({ op, target })))
        const refused = lost.filter((x) => !accepted.includes('all') && !accepted.includes(x.target))
        if (refused.length > 0)
          return TE.left(
            migrationError({
              _tag: 'DestructiveRefused',
              items: refused.map((x) => ({ revision: '(new)', target: x.target, operation: describe(x.op) })),
              message: [
                `the change would ${refused.map((x) => describe(x.op)).join('; ')}, losing data. No file was written.`,
                ...d.hints.map((h) => `hint: ${h}`),
                `To accept: ${[...new Set(refused.map((x) => `--allow-destructive ${x.target}`))].join(' ')}`,
              ].join('\n'),
            }),
          )
        const parent = o.line.length === 0 ? null : o.line[o.line.length - 1]!.id
        const revision: RevisionData = {
          id: nextId(
            o.line.map((r) => r.id),
            o.message,
          ),
          parent,
          message: o.message,
          ...(lost.length > 0 ? { allowDestructive: [...new Set(lost.map((x) => x.target))] } : {}),
          upgrade: d.operations,
          downgrade: inverse(d.operations),
        }
        const text = renderRevisionFile(revision, { createdAt: o.now, notes: [...d.warnings, ...d.hints] })
        return TE.right({ _tag: 'Revision', revision, text, diff: d })
      }),
    )
