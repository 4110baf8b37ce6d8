/**
 * Revisions: one file per schema change, `migrations/NNNN_<slug>.ts`, whose default
 * export is plain data — an id, its parent, a message, `upgrade` and `downgrade` lists
 * of operations, and the destructive operations the author accepted. History is a line:
 * each revision names its parent, the first names `null` (base).
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { type MigrationError, migrationError } from './errors.js'
import type { Operation } from './operation.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What a revision file's default export holds.
 * @category models
 * @since 0.1.0
 */
export interface RevisionData {
  readonly id: string
  /** The revision this one follows; `null` for the first. */
  readonly parent: string | null
  readonly message: string
  readonly upgrade: ReadonlyArray<Operation>
  readonly downgrade: ReadonlyArray<Operation>
  /**
   * Destructive operations of `upgrade` the author accepted, by name (`users.email`,
   * `books`); `db migrate --allow-destructive` writes it. Anything destructive not named
   * here is refused at upgrade unless named on the command line.
   */
  readonly allowDestructive?: ReadonlyArray<string>
}

/**
 * A revision as loaded: its data, the file it came from and the file's checksum.
 * @category models
 * @since 0.1.0
 */
export interface Revision extends RevisionData {
  /** Path of the file. */
  readonly file: string
  /** sha256 of the file's text (line endings normalised to `\n`), hex. */
  readonly checksum: string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The checksum of a revision file's text: sha256, hex, over the text with `\r\n` read as
 * `\n` (a checkout on Windows does not count as an edit).
 * Shape: `string` → 64 hex characters. Errors: none.
 * @category constructors
 * @since 0.1.0
 */
export const checksum = (text: string): string =>
  createHash('sha256').update(text.replaceAll('\r\n', '\n')).digest('hex')

const strs = [
  'table',
  'from',
  'to',
  'column',
  'name',
  'default',
  'previous',
  'expression',
  'sql',
  'targetTable',
  'type',
  'using',
  'definition',
]
const required: Readonly<Record<string, ReadonlyArray<string>>> = {
  createTable: ['table', 'columns'],
  dropTable: ['table', 'columns'],
  renameTable: ['from', 'to'],
  addColumn: ['table', 'column'],
  dropColumn: ['table', 'column'],
  renameColumn: ['table', 'from', 'to'],
  alterColumnType: ['table', 'column', 'from', 'to'],
  setNotNull: ['table', 'column'],
  dropNotNull: ['table', 'column'],
  setDefault: ['table', 'column', 'default'],
  dropDefault: ['table', 'column'],
  addPrimaryKey: ['table', 'name', 'columns'],
  dropPrimaryKey: ['table', 'name', 'columns'],
  addUnique: ['table', 'name', 'columns'],
  dropUnique: ['table', 'name', 'columns'],
  addForeignKey: ['table', 'name', 'columns', 'targetTable', 'targetColumns'],
  dropForeignKey: ['table', 'name', 'columns', 'targetTable', 'targetColumns'],
  createIndex: ['table', 'name', 'columns'],
  dropIndex: ['table', 'name', 'columns'],
  addCheck: ['table', 'name', 'expression'],
  dropCheck: ['table', 'name', 'expression'],
  sql: ['sql'],
}

const problemOf = (o: unknown): string | undefined => {
  if (typeof o === 'string') return o.trim() === '' ? 'an empty SQL string' : undefined
  if (typeof o !== 'object' || o === null) return 'neither a SQL string nor an operation object'
  const r = o as Record<string, unknown>
  const need = typeof r.op === 'string' ? required[r.op] : undefined
  if (need === undefined)
    return `unknown op ${JSON.stringify(r.op)} (expected one of ${Object.keys(required).join(', ')})`
  for (const k of need) if (r[k] === undefined) return `${r.op} needs "${k}"`
  for (const k of strs) {
    const v = r[k]
    if (v !== undefined && typeof v !== 'string' && !(k === 'column' && typeof v === 'object' && v !== null))
      return `${r.op}: "${k}" must be a string`
  }
  if (r.column !== undefined && typeof r.column === 'object') {
    const c = r.column as Record<string, unknown>
    if (typeof c.name !== 'string' || typeof c.type !== 'string')
      return `${r.op}: column needs a name and a type`
  }
  return undefined
}

/**
 * Checks that a module's default export is a revision, and names the file in any error.
 * Shape: `validateRevision(file, text)(value)` → `Either<MigrationError, Revision>`.
 * Errors: `InvalidRevision` naming the field or the operation (by index) that is wrong.
 * @category constructors
 * @since 0.1.0
 */
export const validateRevision =
  (file: string, text: string) =>
  (value: unknown): E.Either<MigrationError, Revision> => {
    const bad = (message: string) => E.left(migrationError({ _tag: 'InvalidRevision', file, message }))
    if (typeof value !== 'object' || value === null)
      return bad('the default export must be an object { id, parent, message, upgrade, downgrade }')
    const v = value as Record<string, unknown>
    if (typeof v.id !== 'string' || v.id === '') return bad('"id" must be a non-empty string')
    if (v.parent !== null && typeof v.parent !== 'string')
      return bad('"parent" must be a revision id or null')
    if (typeof v.message !== 'string') return bad('"message" must be a string')
    for (const side of ['upgrade', 'downgrade'] as const) {
      const ops = v[side]
      if (!Array.isArray(ops)) return bad(`"${side}" must be an array of operations`)
      for (const [i, o] of ops.entries()) {
        const p = problemOf(o)
        if (p !== undefined) return bad(`${side}[${i}]: ${p}`)
      }
    }
    const allow = v.allowDestructive
    if (allow !== undefined && !(Array.isArray(allow) && allow.every((a) => typeof a === 'string')))
      return bad('"allowDestructive" must be an array of names')
    return E.right(
      Object.freeze({
        id: v.id,
        parent: v.parent as string | null,
        message: v.message,
        upgrade: Object.freeze([...(v.upgrade as Operation[])]),
        downgrade: Object.freeze([...(v.downgrade as Operation[])]),
        ...(allow === undefined ? {} : { allowDestructive: Object.freeze([...(allow as string[])]) }),
        file,
        checksum: checksum(text),
      }),
    )
  }

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * Orders revisions from base to head, checking that they form one line.
 * Shape: `history(revisions)` → `Either<MigrationError, ReadonlyArray<Revision>>` (base first).
 * Errors: `History` for a duplicate id, a parent that names no revision, two revisions
 *   with the same parent (two heads: e.g. two branches each added one — re-parent one of
 *   them), no first revision, or revisions unreachable from the first (a cycle).
 * Source: Alembic's revision graph (linear here: no merge revisions).
 * @category destructors
 * @since 0.1.0
 */
export const history = (
  revisions: ReadonlyArray<Revision>,
): E.Either<MigrationError, ReadonlyArray<Revision>> => {
  const fail = (message: string) => E.left(migrationError({ _tag: 'History', message }))
  const byId = new Map<string, Revision>()
  for (const r of revisions) {
    const other = byId.get(r.id)
    if (other !== undefined)
      return fail(`two revision files have the id ${r.id}: ${other.file} and ${r.file}`)
    byId.set(r.id, r)
  }
  const childOf = new Map<string | null, Revision>()
  for (const r of revisions) {
    if (r.parent !== null && !byId.has(r.parent))
      return fail(`revision ${r.id} (${r.file}) names parent ${r.parent}, which no file in the folder has`)
    const sibling = childOf.get(r.parent)
    if (sibling !== undefined)
      return fail(
        `revisions ${sibling.id} and ${r.id} both follow ${r.parent ?? 'base'}: history must be a line; set the parent of the newer one to the other one's id`,
      )
    childOf.set(r.parent, r)
  }
  const line: Revision[] = []
  for (let r = childOf.get(null); r !== undefined; r = childOf.get(r.id)) line.push(r)
  if (line.length !== revisions.length) {
    const stray = revisions.filter((r) => !line.includes(r)).map((r) => r.id)
    return fail(
      `revisions ${stray.join(', ')} are not reachable from the first revision (a cycle in their parents)`,
    )
  }
  return E.right(Object.freeze(line))
}

/**
 * Resolves a revision target against the line of revisions to an index in it: `base`
 * → -1, `head` → the last, an id (or a unique prefix of one), `+N` / `-N` relative to
 * `current` (the index of the applied head, -1 at base).
 * Shape: `resolveTarget(line, current)(target)` → `Either<MigrationError, number>`.
 * Errors: `UnknownRevision` when nothing (or more than one id) matches, or a relative
 *   step leaves the line.
 * Source: Alembic's revision identifiers (`head`, `base`, partial ids, `+1`, `-1`).
 * @category destructors
 * @since 0.1.0
 */
export const resolveTarget =
  (line: ReadonlyArray<Revision>, current: number) =>
  (target: string): E.Either<MigrationError, number> => {
    const unknown = (why: string) =>
      E.left(
        migrationError({
          _tag: 'UnknownRevision',
          target,
          message: `cannot resolve revision "${target}": ${why}`,
        }),
      )
    if (target === 'base') return E.right(-1)
    if (target === 'head' || target === 'heads') return E.right(line.length - 1)
    const rel = /^([+-])(\d+)$/.exec(target)
    if (rel !== null) {
      const n = current + (rel[1] === '+' ? 1 : -1) * Number(rel[2])
      return n < -1 || n >= line.length
        ? unknown(
            `it is ${n < -1 ? 'below base' : 'beyond head'} (current is ${current < 0 ? 'base' : line[current]!.id})`,
          )
        : E.right(n)
    }
    const exact = line.findIndex((r) => r.id === target)
    if (exact >= 0) return E.right(exact)
    const prefixed = line.flatMap((r, i) => (r.id.startsWith(target) ? [i] : []))
    if (prefixed.length === 1) return E.right(prefixed[0]!)
    return unknown(
      prefixed.length > 1
        ? `it is the start of several ids (${prefixed.map((i) => line[i]!.id).join(', ')})`
        : 'no revision has that id (use base, head, an id, +N or -N)',
    )
  }
