/**
 * Refs: handles for rows. A ref names a row that is not inserted yet (its key comes back
 * from the database at commit), or, after a commit, the row it was inserted as.
 *
 * @since 0.1.0
 */
import type { AnyTable } from '../schema/table.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A handle for one row of table `T`. Plain data: compare refs by `id`. @category models */
export interface Ref<T extends AnyTable = AnyTable> {
  readonly _tag: 'Ref'
  /** SQL name of the table. */
  readonly table: string
  /** Unique within the process: `<table>#<n>` or `<table>#<label>`. */
  readonly id: string
  /** Phantom: never present at run time. */
  readonly _T?: T
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

let next = 0

/**
 * A new handle for a row of `table`, to be given to `add` and then used wherever that
 * row is meant (a child's parent, `update`, `delete`, `resolve` after commit).
 *
 * Shape: `ref(table, label?)` → `Ref<T>`. Without a label, ids come from a process-wide
 * counter (`authors#1`, `authors#2`, …); with one, the id is `<table>#<label>` and the
 * caller keeps it unique (useful for stable plans in snapshots). Creating a ref does not
 * touch any session: it is only a name.
 * @category constructors
 * @since 0.1.0
 */
export const ref = <T extends AnyTable>(table: T, label?: string): Ref<T> => {
  next += 1
  return Object.freeze({ _tag: 'Ref', table: table.$name, id: `${table.$name}#${label ?? String(next)}` })
}

/** A ref with a fixed id, for rows a nested add creates (`authors#1.books[0]`). @category constructors */
export const childRef = (table: string, id: string): Ref => Object.freeze({ _tag: 'Ref', table, id })

// -------------------------------------------------------------------------------------
// guards
// -------------------------------------------------------------------------------------

/** @category guards */
export const isRef = (u: unknown): u is Ref =>
  typeof u === 'object' &&
  u !== null &&
  (u as { _tag?: unknown })._tag === 'Ref' &&
  typeof (u as Ref).id === 'string'
