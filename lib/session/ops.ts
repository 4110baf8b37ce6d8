/**
 * The session's operations: `add`, `addAll`, `update`, `delete`. Each is pure, data-last
 * and returns a new session; bad input is recorded in the session (all-or-nothing per
 * operation) and reported by `plan`/`commit` before any SQL runs.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { columnCodec } from '../schema/codec.js'
import { decodeError } from '../schema/errors.js'
import type { AnySchema } from '../schema/schema.js'
import {
  type AnyTable,
  type Key,
  normaliseKey,
  type Patch,
  type Row,
  type TableSpec,
} from '../schema/table.js'
import { planError, type SessionError } from './errors.js'
import { expandAdd, expandPatch } from './nested.js'
import { isRef, type Ref } from './ref.js'
import { append, appendOne, type Session, type Target } from './session.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What `add` takes for table `T`: its insert fields (a foreign-key field may hold a ref
 * instead of a key), plus relationships by name with nested rows or refs.
 * @category models
 */
export type AddInput<T extends AnyTable> = NonNullable<T['$inferAdd']> & {
  readonly [relationship: string]: unknown
}

/** What `update` takes: a patch, where a foreign-key field or a many-to-one relationship may hold a ref. @category models */
export type UpdateInput<T extends AnyTable> = { readonly [K in keyof Patch<T>]?: Patch<T>[K] | Ref } & {
  readonly [relationship: string]: unknown
}

/** The version a caller read, for tables with a `version()` column (optimistic locking). @category models */
export interface VersionOption {
  readonly version?: number
}

/** One row for `addAll`: a ref and its input. Build with `entry` to keep the input typed. @category models */
export type Entry = readonly [Ref, Readonly<Record<string, unknown>>]

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

const keyOfRef = <S extends AnySchema>(s: Session<S>, r: Ref): E.Either<SessionError, string> => {
  const key = s.schema.keyOfTable[r.table]
  return key === undefined
    ? E.left(planError('UnknownTable', r.table, `table ${r.table} is not in this session's schema`))
    : E.right(key)
}

/**
 * Adds a row (and the rows nested under its relationships) to the change-set.
 *
 * Shape: `add(ref, input)` → `(Session<S>) → Session<S>`.
 * Nested rows: under a `hasMany`/`manyToMany` a list of objects (new rows) or refs; under a
 * `hasOne` one object, ref or null; under a `belongsTo` an object (a new parent) or a ref.
 * Errors (recorded, reported by `plan`): `DecodeError` when a field fails its column's
 * codec (a 51-character title for `varchar(50)`, NULL for NOT NULL, an unknown field);
 * `PlanError` `UnknownTable`, `InvalidRelationValue`.
 * Source: SQLAlchemy `Session.add` with the save-update cascade.
 * @example
 * pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'Michael Crichton', books: [{ title: 'Jurassic Park' }] }))
 * @category combinators
 * @since 0.1.0
 */
export const add =
  <T extends AnyTable>(r: Ref<T>, input: AddInput<T>) =>
  <S extends AnySchema>(s: Session<S>): Session<S> => {
    const key = keyOfRef(s, r)
    if (E.isLeft(key)) return append(s, [], [key.left])
    const out = expandAdd(s.schema, key.right, r.id, input)
    return append(s, out.changes, out.errors)
  }

/**
 * Types one `addAll` entry: `entry(ref, input)` checks `input` against the ref's table.
 * @category constructors
 * @since 0.1.0
 */
export const entry = <T extends AnyTable>(r: Ref<T>, input: AddInput<T>): Entry => [r, input]

/**
 * Adds several rows at once (the seeds' `add_all`); all-or-nothing like `add`.
 * Shape: `addAll([entry(ref, input), …])` → `(Session<S>) → Session<S>`. Errors as `add`.
 * @category combinators
 * @since 0.1.0
 */
export const addAll =
  (entries: ReadonlyArray<Entry>) =>
  <S extends AnySchema>(s: Session<S>): Session<S> => {
    const changes = []
    const errors: SessionError[] = []
    for (const [r, input] of entries) {
      const key = keyOfRef(s, r)
      if (E.isLeft(key)) {
        errors.push(key.left)
        continue
      }
      const out = expandAdd(s.schema, key.right, r.id, input)
      changes.push(...out.changes)
      errors.push(...out.errors)
    }
    return append(s, changes, errors)
  }

const target = <S extends AnySchema>(
  s: Session<S>,
  table: AnyTable,
  at: unknown,
): E.Either<SessionError, Target> => {
  const key = s.schema.keyOfTable[table.$name]
  if (key === undefined)
    return E.left(
      planError('UnknownTable', table.$name, `table ${table.$name} is not in this session's schema`),
    )
  if (isRef(at)) {
    return at.table === table.$name
      ? E.right({ _tag: 'RefTarget', ref: at.id })
      : E.left(
          planError('InvalidKey', table.$name, `a ref of ${at.table} does not name a row of ${table.$name}`),
        )
  }
  const spec = table.$spec
  const k = normaliseKey(spec, at)
  if (k === undefined) {
    return E.left(
      planError(
        'InvalidKey',
        table.$name,
        spec.primaryKey.length === 0
          ? `${table.$name} has no primary key, so its rows cannot be named`
          : `expected a key of ${table.$name} (${spec.primaryKey.join(', ')})`,
      ),
    )
  }
  const pk = spec.primaryKey
  let valid = true
  for (let i = 0; i < pk.length && valid; i++) valid = validKeyValue(spec, pk[i]!, k[pk[i]!])
  if (valid) return E.right({ _tag: 'Key', key: Object.freeze(k) })
  const bad = pk
    .filter((f) => !validKeyValue(spec, f, k[f]))
    .map((f) => ({ field: f, expected: spec.columns[f]!.sqlType._tag, message: 'is not a valid key value' }))
  return E.left(decodeError(table.$name, bad, k))
}

const validKeyValue = (spec: TableSpec, field: string, v: unknown): boolean =>
  v !== null && v !== undefined && columnCodec(spec.columns[field]!).is(v)

/** The version an update or delete expects: from the options, else from a row passed as the key. */
const versionFields = new WeakMap<object, string | null>()
const versionFieldOf = (table: AnyTable): string | null => {
  let f = versionFields.get(table.$spec)
  if (f === undefined) {
    f = table.$spec.fields.find((x) => table.$spec.columns[x]!.version) ?? null
    versionFields.set(table.$spec, f)
  }
  return f
}

const noVersion = E.right(undefined)

const versionOf = (table: AnyTable, at: unknown, options: VersionOption): E.Either<SessionError, unknown> => {
  const field = versionFieldOf(table)
  if (field === null) return noVersion
  const fromRow =
    at !== null && typeof at === 'object' && !isRef(at) ? (at as Record<string, unknown>)[field] : undefined
  const v = options.version ?? fromRow
  if (typeof v === 'number' && Number.isInteger(v)) return E.right(v)
  return E.left(
    planError(
      'VersionRequired',
      table.$name,
      `${table.$name} has a version column (${field}): say which version you read, with { version } or by passing the row`,
    ),
  )
}

/**
 * Changes fields of one row, named by its primary key (a value, or an object for a
 * composite key) or by a ref (pending or committed).
 *
 * Shape: `update(table, key | ref, patch)` → `(Session<S>) → Session<S>`.
 * With a `version()` column the caller says which version it read (`{ version }`, or a
 * row passed as the key): the update checks it and bumps it, and a row changed since
 * fails the commit with `StaleRowError` (SQLAlchemy's `version_id_col`).
 * Errors (recorded): `DecodeError` for a bad value or key, or a key field in the patch;
 * `PlanError` `InvalidKey`, `UnknownTable`, `UnresolvedRef` (reported by `plan`),
 * `VersionRequired`. An update of a row that turns out not to exist fails the commit
 * with `StaleRowError`.
 * Source: SQLAlchemy attribute change + flush.
 * @category combinators
 * @since 0.1.0
 */
export const update =
  <T extends AnyTable>(
    table: T,
    at: Key<T> | Ref<T> | Row<T>,
    patch: UpdateInput<T>,
    options: VersionOption = {},
  ) =>
  <S extends AnySchema>(s: Session<S>): Session<S> => {
    const t = target(s, table, at)
    if (E.isLeft(t)) return append(s, [], [t.left])
    const p = expandPatch(s.schema, s.schema.keyOfTable[table.$name]!, patch)
    if (E.isLeft(p)) return append(s, [], p.left)
    const version = versionOf(table, at, options)
    if (E.isLeft(version)) return append(s, [], [version.left])
    return appendOne(
      s,
      Object.freeze({
        _tag: 'Update',
        table: s.schema.keyOfTable[table.$name]!,
        target: t.right,
        patch: p.right,
        version: version.right,
      }),
    )
  }

/**
 * Deletes one row, named by primary key, row or ref, with the cascades of the
 * relationships declared on its table (DESIGN.md's cascade table: children nulled,
 * deleted or left to `ON DELETE`; association rows removed). Deleting a pending (never
 * inserted) ref cancels its insert. With a `version()` column the version read is
 * checked, as for `update`.
 *
 * Shape: `delete(table, key | row | ref, { version }?)` → `(Session<S>) → Session<S>`.
 * Errors (recorded): `DecodeError`/`PlanError` for a bad key, as `update`. At commit:
 * `OrphanError` when a child's NOT NULL key would be set to NULL, `StaleRowError` when
 * the row is gone or its version moved on.
 * Source: SQLAlchemy `Session.delete` and "Cascades".
 * @category combinators
 * @since 0.1.0
 */
const del =
  <T extends AnyTable>(table: T, at: Key<T> | Ref<T> | Row<T>, options: VersionOption = {}) =>
  <S extends AnySchema>(s: Session<S>): Session<S> => {
    const t = target(s, table, at)
    if (E.isLeft(t)) return append(s, [], [t.left])
    const version = versionOf(table, at, options)
    if (E.isLeft(version)) return append(s, [], [version.left])
    return appendOne(
      s,
      Object.freeze({
        _tag: 'Delete',
        table: s.schema.keyOfTable[table.$name]!,
        target: t.right,
        version: version.right,
      }),
    )
  }

export { del as delete }

const relationOf = <S extends AnySchema>(
  s: Session<S>,
  table: AnyTable,
  relation: string,
  kinds: ReadonlyArray<string>,
) => {
  const key = s.schema.keyOfTable[table.$name]
  const rel = key === undefined ? undefined : s.schema.relations[key]?.[relation]
  if (rel === undefined || !kinds.includes(rel.kind)) {
    return E.left(
      planError(
        rel === undefined ? 'UnknownTable' : 'InvalidRelationValue',
        table.$name,
        rel === undefined
          ? `${table.$name} has no relationship named ${JSON.stringify(relation)}`
          : `${table.$name}.${relation} is a ${rel.kind}; this operation takes a ${kinds.join(' or ')}`,
      ),
    )
  }
  return E.right(rel)
}

const relationChange =
  (tag: 'Remove' | 'Link' | 'Unlink', kinds: ReadonlyArray<string>) =>
  <T extends AnyTable>(table: T, parent: Key<T> | Ref<T> | Row<T>, relation: string, child: unknown) =>
  <S extends AnySchema>(s: Session<S>): Session<S> => {
    const rel = relationOf(s, table, relation, kinds)
    if (E.isLeft(rel)) return append(s, [], [rel.left])
    const p = target(s, table, parent)
    if (E.isLeft(p)) return append(s, [], [p.left])
    const c = target(s, s.schema.tables[rel.right.target]!, child)
    if (E.isLeft(c)) return append(s, [], [c.left])
    return append(s, [
      Object.freeze({
        _tag: tag,
        table: s.schema.keyOfTable[table.$name]!,
        parent: p.right,
        relation,
        child: c.right,
      }),
    ])
  }

/**
 * De-associates a child from its parent through a relationship (SQLAlchemy's
 * `parent.children.remove(child)`, or `child.parent = None` for a `belongsTo`).
 * What happens follows the cascade table: with `delete-orphan` the child is deleted
 * (with its own cascades); otherwise its foreign key is set to NULL — and a NOT NULL key
 * is an `OrphanError` from `plan`, naming the child. On a many-to-many the association
 * row is deleted (and the child too with `delete-orphan`, which needs `singleParent`).
 * The commit checks that the child really belonged to the parent (`StaleRowError` if not).
 *
 * Shape: `remove(parentTable, parentKey | ref, relation, childKey | ref)` → `(Session<S>) → Session<S>`.
 * Errors (recorded): `PlanError` for an unknown relationship or bad keys; at plan:
 * `OrphanError`. Source: DESIGN.md § Cascade semantics ("child removed from the parent").
 * @category combinators
 * @since 0.1.0
 */
export const remove = relationChange('Remove', ['hasMany', 'hasOne', 'belongsTo', 'manyToMany'])

/**
 * Links two rows through a many-to-many relationship: inserts the association row.
 * Either side may be a pending ref. Shape: `link(table, key | ref, relation, otherKey | ref)`.
 * Errors: as `remove`; a duplicate link fails the commit with a unique `ConstraintViolation`
 * when the association's key covers both columns. Source: SQLAlchemy `collection.append`.
 * @category combinators
 * @since 0.1.0
 */
export const link = relationChange('Link', ['manyToMany'])

/**
 * Unlinks two rows of a many-to-many relationship: deletes the association row, never
 * either side. Shape and errors as `link`; unlinking rows that are not linked fails the
 * commit with `StaleRowError`. Source: DESIGN.md cascade table ("association row deleted").
 * @category combinators
 * @since 0.1.0
 */
export const unlink = relationChange('Unlink', ['manyToMany'])
