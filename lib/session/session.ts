/**
 * The session: an immutable change-set over a schema (SQLAlchemy's unit of work, as a
 * value). Operations return a new session; nothing touches a database until a driver
 * commits the plan folded from it.
 *
 * @since 0.1.0
 */
import type { Monoid } from 'fp-ts/lib/Monoid.js'
import type { AnySchema } from '../schema/schema.js'
import type { SessionError } from './errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A field value standing for the key of another row, known once that row is inserted. @category models */
export interface RefKey {
  readonly _tag: 'RefKey'
  /** The ref's id. */
  readonly ref: string
  /** The referenced row's table (schema key): how its value is sent. */
  readonly table: string
  /** The field of the referenced row whose value is meant (the foreign key's target). */
  readonly field: string
}

/**
 * A `RefKey`, frozen (frozen RefKeys are shared by the cells that use them, not copied).
 * Shape: `refKey(ref, table, field)` → `RefKey`. @category constructors
 */
export const refKey = (ref: string, table: string, field: string): RefKey =>
  Object.freeze({ _tag: 'RefKey', ref, table, field })

/** Whether a value is a `RefKey`. @category guards */
export const isRefKey = (u: unknown): u is RefKey =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'RefKey'

/** Which row an update or delete means: a primary key, or a ref. @category models */
export type Target =
  | { readonly _tag: 'Key'; readonly key: Readonly<Record<string, unknown>> }
  | { readonly _tag: 'RefTarget'; readonly ref: string }

/** A pending change. Table names are schema keys; values are validated JavaScript values or `RefKey`s. @category models */
export type Change =
  | {
      readonly _tag: 'Add'
      readonly table: string
      readonly ref: string
      readonly values: Readonly<Record<string, unknown>>
    }
  | {
      readonly _tag: 'Update'
      readonly table: string
      readonly target: Target
      readonly patch: Readonly<Record<string, unknown>>
      /** The version read, for a table with a `version()` column. */
      readonly version: unknown
    }
  | { readonly _tag: 'Delete'; readonly table: string; readonly target: Target; readonly version: unknown }
  | {
      /** De-associate `child` from `parent` through `relation` (declared on `table`, the parent's table). */
      readonly _tag: 'Remove' | 'Link' | 'Unlink'
      readonly table: string
      readonly parent: Target
      readonly relation: string
      readonly child: Target
    }

/** A ref committed earlier: which table and key it became. @category models */
export interface Identity {
  readonly table: string
  readonly key: Readonly<Record<string, unknown>>
}

/** A change-set over schema `S`. @category models */
export interface Session<S extends AnySchema = AnySchema> {
  readonly _tag: 'Session'
  readonly schema: S
  /** Pending changes, in the order they were made. */
  readonly changes: ReadonlyArray<Change>
  /**
   * Where each composed change-set starts in `changes` (`concat` keeps them apart, so
   * that a conflict between two of them is reported rather than resolved by order).
   */
  readonly segments: ReadonlyArray<number>
  /** Refs committed by earlier commits, by ref id (the identity map). */
  readonly identity: ReadonlyMap<string, Identity>
  /** Bad input recorded by operations; `plan` reports them before any SQL. */
  readonly errors: ReadonlyArray<SessionError>
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The change log behind sessions: an array that is only ever appended to, shared by a
 * session and the sessions made from it. A session sees the first `length` entries;
 * appending to the newest session pushes in place (amortised O(1)), appending to an
 * older one copies its prefix first. So a loop of 10,000 `update`s costs O(n), not
 * O(n²), and no session ever sees another's changes.
 */
interface Log {
  readonly items: Change[]
}

/** Where a session keeps its place in the log (see `Place`). */
const place = Symbol('origami.session.log')

/**
 * The identity map as a session holds it: the map, or a function that makes it on first
 * read (a commit of 11,000 rows need not build 11,000 entries nobody may read).
 */
type IdentitySource = ReadonlyMap<string, Identity> | (() => ReadonlyMap<string, Identity>)

/**
 * A session's place in the log, and its identity map. Not a data type but a handle: its
 * fields are private, so two sessions with equal changes compare equal (deep equality
 * sees no fields), and a symbol key keeps it out of JSON and `Object.keys`.
 */
class Place {
  readonly #log: Log
  readonly #length: number
  #view: ReadonlyArray<Change> | undefined
  #identity: IdentitySource
  constructor(log: Log, length: number, identity: IdentitySource) {
    this.#log = log
    this.#length = length
    this.#identity = identity
  }
  get log(): Log {
    return this.#log
  }
  get length(): number {
    return this.#length
  }
  /** `changes`, made on first read. */
  get view(): ReadonlyArray<Change> {
    this.#view ??= Object.freeze(this.#log.items.slice(0, this.#length))
    return this.#view
  }
  /** The identity map as given: made or not yet (to pass on to the next session unmade). */
  get identitySource(): IdentitySource {
    return this.#identity
  }
  /** `identity`, made on first read. */
  get identity(): ReadonlyMap<string, Identity> {
    if (typeof this.#identity === 'function') this.#identity = this.#identity()
    return this.#identity
  }
}

const placeOf = (s: Session): Place | undefined => (s as unknown as { [place]?: Place })[place]

// `changes` and `identity` are read through getters shared by every session, on a frozen
// prototype that holds nothing else: defining an accessor on each new session cost more
// than the rest of an operation (a loop of 10,000 updates makes 10,000 sessions).
const sessionPrototype: object = Object.freeze(
  Object.defineProperties(
    {},
    {
      changes: {
        enumerable: true,
        get(this: Session): ReadonlyArray<Change> {
          return placeOf(this)!.view
        },
      },
      identity: {
        enumerable: true,
        get(this: Session): ReadonlyMap<string, Identity> {
          return placeOf(this)!.identity
        },
      },
    },
  ),
)

/**
 * A session's identity map without making it: a session copied by hand (`{ ...s,
 * identity }`) holds its own, others hold theirs in their place.
 */
const identitySource = (s: Session): IdentitySource => {
  const own = placeOf(s)
  return own === undefined || Object.hasOwn(s, 'identity') ? s.identity : own.identitySource
}

const make = <S extends AnySchema>(
  schema: S,
  log: Log,
  length: number,
  segments: ReadonlyArray<number>,
  identity: IdentitySource,
  errors: ReadonlyArray<SessionError>,
): Session<S> => {
  const session = Object.create(sessionPrototype) as Record<PropertyKey, unknown>
  session._tag = 'Session'
  session.schema = schema
  session.segments = segments.length === 0 ? noSegments : Object.freeze(segments)
  session.errors = errors.length === 0 ? noErrors : Object.freeze(errors)
  session[place] = new Place(log, length, identity)
  return Object.freeze(session) as unknown as Session<S>
}

const noSegments: ReadonlyArray<number> = Object.freeze([])
const noErrors: ReadonlyArray<SessionError> = Object.freeze([])

const fresh = (): Log => ({ items: [] })

/** A log to append to after `own`'s changes: the same one when `own` is its newest session. */
const writable = (own: Place): Log =>
  own.log.items.length === own.length ? own.log : { items: own.log.items.slice(0, own.length) }

/** A log holding `s`'s changes followed by `more`, sharing storage when `s` is the newest. */
const extend = (s: Session, more: ReadonlyArray<Change>): { log: Log; length: number } => {
  const own = placeOf(s)
  if (own === undefined)
    return { log: { items: [...s.changes, ...more] }, length: s.changes.length + more.length }
  const log = writable(own)
  log.items.push(...more)
  return { log, length: own.length + more.length }
}

/**
 * An empty session over `schema`: nothing pending, nothing committed.
 * Shape: `empty(schema)` → `Session<S>`. Source: SQLAlchemy `Session()`.
 * @category constructors
 * @since 0.1.0
 */
export const empty = <S extends AnySchema>(schema: S): Session<S> =>
  make(schema, fresh(), 0, [], noIdentity, [])

const noIdentity: ReadonlyMap<string, Identity> = new Map()

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

const firstSegment: ReadonlyArray<number> = Object.freeze([0])

/**
 * Appends one change: `append(s, [change])` without the array or the intermediate log
 * record (a loop of 10,000 updates makes 10,000 of these).
 * @internal
 */
export const appendOne = <S extends AnySchema>(s: Session<S>, change: Change): Session<S> => {
  const own = placeOf(s)
  if (own === undefined) return append(s, [change])
  const log = writable(own)
  log.items.push(change)
  return make(
    s.schema,
    log,
    own.length + 1,
    s.segments.length === 0 ? firstSegment : s.segments,
    identitySource(s),
    s.errors,
  )
}

/** Appends changes (or records errors instead, dropping the changes: operations are all-or-nothing). @internal */
export const append = <S extends AnySchema>(
  s: Session<S>,
  changes: ReadonlyArray<Change>,
  errors: ReadonlyArray<SessionError> = [],
): Session<S> => {
  if (errors.length > 0) {
    const own = placeOf(s) ?? { log: { items: [...s.changes] }, length: s.changes.length }
    return make(s.schema, own.log, own.length, s.segments, identitySource(s), [...s.errors, ...errors])
  }
  const next = extend(s, changes)
  return make(
    s.schema,
    next.log,
    next.length,
    s.segments.length === 0 && changes.length > 0 ? firstSegment : s.segments,
    identitySource(s),
    s.errors,
  )
}

/**
 * Drops every pending change and recorded error: back to the last committed state.
 * Refs committed earlier stay known. Shape: `rollback(session)` → `Session<S>`.
 * Source: SQLAlchemy `Session.rollback()`; unlike SQLAlchemy, a failed commit needs no
 * rollback first (DESIGN.md § Cascade semantics, "Settled").
 * @category combinators
 * @since 0.1.0
 */
export const rollback = <S extends AnySchema>(s: Session<S>): Session<S> =>
  make(s.schema, fresh(), 0, [], identitySource(s), [])

/**
 * The session after a successful commit: nothing pending, and the refs it inserted
 * recorded in the identity map. `inserted` may be a function that makes those entries:
 * it is called once, when the identity map is first read. Used by `db.commit`; pure.
 * @category combinators
 * @since 0.1.0
 */
export const committed = <S extends AnySchema>(
  s: Session<S>,
  inserted: ReadonlyMap<string, Identity> | (() => ReadonlyMap<string, Identity>),
): Session<S> => {
  const before = identitySource(s)
  const mine = once(inserted)
  return make(
    s.schema,
    fresh(),
    0,
    [],
    before === noIdentity ? mine : once(() => new Map([...made(before), ...made(mine)])),
    [],
  )
}

/** The identity map a source stands for. */
const made = (source: IdentitySource): ReadonlyMap<string, Identity> =>
  typeof source === 'function' ? source() : source

/**
 * A source that makes its map at most once, however many sessions share it (a made map
 * stays as it is).
 */
const once = (source: IdentitySource): IdentitySource => {
  if (typeof source !== 'function') return source
  let map: ReadonlyMap<string, Identity> | undefined
  return () => {
    map ??= source()
    return map
  }
}

/**
 * Composes two change-sets over one schema: `b`'s changes after `a`'s, identity maps and
 * recorded errors merged. The two stay distinguishable inside the result, so `plan`
 * reports a `ConflictError` where they disagree about a row (one deletes what the other
 * updates, or they set one field to different values) instead of letting the later one
 * win. Associative, with `empty(schema)` as identity: see `getMonoid`.
 * Shape: `concat(b)` → `(a: Session<S>) → Session<S>` (data-last: `pipe(a, S.concat(b))`).
 * Errors (recorded): `PlanError` `SchemaMismatch` for sessions over different schemas.
 * Source: DESIGN.md § Sessions ("a Monoid, conflicts reported, never silently merged").
 * @category combinators
 * @since 0.1.0
 */
export const concat =
  <S extends AnySchema>(b: Session<S>) =>
  (a: Session<S>): Session<S> =>
    concatAll(a, b)

const concatAll = <S extends AnySchema>(a: Session<S>, b: Session<S>): Session<S> => {
  if (a.schema !== b.schema) {
    const own = placeOf(a) ?? { log: { items: [...a.changes] }, length: a.changes.length }
    return make(a.schema, own.log, own.length, a.segments, a.identity, [
      ...a.errors,
      ...b.errors,
      {
        _tag: 'PlanError',
        reason: 'SchemaMismatch',
        table: '',
        message: 'concat: the change-sets belong to different schemas',
      },
    ])
  }
  const next = extend(a, b.changes)
  return make(
    a.schema,
    next.log,
    next.length,
    [...a.segments, ...b.segments.map((i) => i + a.changes.length)],
    b.identity.size === 0
      ? a.identity
      : a.identity.size === 0
        ? b.identity
        : new Map([...a.identity, ...b.identity]),
    [...a.errors, ...b.errors],
  )
}

/**
 * The fp-ts `Monoid` of change-sets over one schema: `concat` as above, `empty(schema)`
 * as the identity element.
 * Shape: `getMonoid(schema)` → `Monoid<Session<S>>`.
 * @category combinators
 * @since 0.1.0
 */
export const getMonoid = <S extends AnySchema>(schema: S): Monoid<Session<S>> => ({
  concat: concatAll,
  empty: empty(schema),
})

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** Whether anything is pending (changes or recorded errors). @category destructors */
export const isDirty = (s: Session): boolean => s.changes.length > 0 || s.errors.length > 0
