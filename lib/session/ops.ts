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
import { type AnyTable, type Key, normaliseKey, type Patch } from '../schema/table.js'
import { planError, type SessionError } from './errors.js'
import { expandAdd, expandPatch } from './nested.js'
import { isRef, type Ref } from './ref.js'
import { append, type Session, type Target } from './session.js'

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
): E.Either<SessionError, { readonly key: string; readonly target: Target }> => {
  const key = s.schema.keyOfTable[table.$name]
  if (key === undefined)
    return E.left(
      planError('UnknownTable', table.$name, `table ${table.$name} is not in this session's schema`),
    )
  if (isRef(at)) {
    return at.table === table.$name
      ? E.right({ key, target: { _tag: 'RefTarget', ref: at.id } })
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
  const bad = spec.primaryKey.flatMap((f) => {
    const v = k[f]
    return v === null || E.isLeft(columnCodec({ ...spec.columns[f]!, nullable: false }).decode(v))
      ? [{ field: f, expected: spec.columns[f]!.sqlType._tag, message: `is not a valid key value` }]
      : []
  })
  return bad.length > 0
    ? E.left(decodeError(table.$name, bad, k))
    : E.right({ key, target: { _tag: 'Key', key: Object.freeze(k) } })
}

/**
 * Changes fields of one row, named by its primary key (a value, or an object for a
 * composite key) or by a ref (pending or committed).
 *
 * Shape: `update(table, key | ref, patch)` → `(Session<S>) → Session<S>`.
 * Errors (recorded): `DecodeError` for a bad value or key, or a key field in the patch;
 * `PlanError` `InvalidKey`, `UnknownTable`, `UnresolvedRef` (reported by `plan`).
 * An update of a row that turns out not to exist fails the commit with `StaleRowError`.
 * Source: SQLAlchemy attribute change + flush.
 * @category combinators
 * @since 0.1.0
 */
export const update =
  <T extends AnyTable>(table: T, at: Key<T> | Ref<T>, patch: UpdateInput<T>) =>
  <S extends AnySchema>(s: Session<S>): Session<S> => {
    const t = target(s, table, at)
    if (E.isLeft(t)) return append(s, [], [t.left])
    const p = expandPatch(s.schema, t.right.key, patch)
    if (E.isLeft(p)) return append(s, [], p.left)
    return append(s, [
      Object.freeze({ _tag: 'Update', table: t.right.key, target: t.right.target, patch: p.right }),
    ])
  }

/**
 * Deletes one row, named by primary key or ref. In this version a delete is a plain
 * `DELETE`: rows that reference it are left to the database's foreign keys (an error
 * comes back as a `ConstraintViolation`). Deleting a pending (never inserted) ref
 * cancels its insert.
 *
 * Shape: `delete(table, key | ref)` → `(Session<S>) → Session<S>`.
 * Errors (recorded): `DecodeError`/`PlanError` for a bad key, as `update`.
 * Source: SQLAlchemy `Session.delete`.
 * @category combinators
 * @since 0.1.0
 */
const del =
  <T extends AnyTable>(table: T, at: Key<T> | Ref<T>) =>
  <S extends AnySchema>(s: Session<S>): Session<S> => {
    const t = target(s, table, at)
    if (E.isLeft(t)) return append(s, [], [t.left])
    return append(s, [Object.freeze({ _tag: 'Delete', table: t.right.key, target: t.right.target })])
  }

export { del as delete }
