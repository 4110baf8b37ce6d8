/**
 * The fold: a session's change-set becomes a transaction plan. Pure and deterministic —
 * the same session always gives the same plan.
 *
 * Order (SQLAlchemy's unit of work, made explicit): inserts parents-first along the
 * foreign-key graph (rows of one table that reference each other in levels; a cycle
 * through a nullable key broken by inserting NULL and updating after, SQLAlchemy's
 * post_update), then updates, then deletes children-first. Rows of one table with the
 * same columns share one statement. Updates and deletes are sorted by key, which also
 * makes concurrent commits lock rows in the same order.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { foreignKeyOrder } from '../schema/schema.js'
import { keyText } from '../schema/table.js'
import { planError, type SessionError } from '../session/errors.js'
import { isRefKey, type Session } from '../session/session.js'
import { deleteSteps } from './cascade.js'
import { namer } from './cells.js'
import { collect, type KeyedUpdate, type PendingAdd } from './collect.js'
import { insertSteps } from './inserts.js'
import type { Plan, Step } from './step.js'
import { updateSteps } from './updates.js'

/**
 * Whether some value is a RefKey to a row that is not pending (committed, cancelled or
 * unknown). `seen` remembers the last RefKey found pending: the children of one parent
 * share one RefKey object, so a run of them costs one lookup.
 */
const refersElsewhere = (
  values: Readonly<Record<string, unknown>>,
  adds: ReadonlyMap<string, PendingAdd>,
  seen: { pending: unknown } = { pending: undefined },
): boolean => {
  for (const f in values) {
    const v = values[f]
    if (!isRefKey(v) || v === seen.pending) continue
    if (!adds.has(v.ref)) return true
    seen.pending = v
  }
  return false
}

/** Replaces refs to committed rows by their keys; checks that every other ref is pending. */
const resolveCommitted = (
  s: Session,
  values: Readonly<Record<string, unknown>>,
  adds: ReadonlyMap<string, PendingAdd>,
  cancelled: ReadonlySet<string>,
  table: string,
): E.Either<SessionError, Readonly<Record<string, unknown>>> => {
  if (!refersElsewhere(values, adds)) return E.right(values)
  const out: Record<string, unknown> = {}
  for (const [f, v] of Object.entries(values)) {
    if (!isRefKey(v) || adds.has(v.ref)) {
      out[f] = v
      continue
    }
    const known = s.identity.get(v.ref)
    if (known === undefined || !(v.field in known.key)) {
      const why = cancelled.has(v.ref)
        ? 'was deleted before it was inserted'
        : known === undefined
          ? 'was never added nor committed'
          : `is committed but its ${v.field} is not known (only its key is)`
      return E.left(planError('UnresolvedRef', table, `${table}.${f} refers to ${v.ref}, which ${why}`))
    }
    out[f] = known.key[v.field]
  }
  return E.right(out)
}

/**
 * Folds a session into a transaction plan.
 *
 * Shape: `plan(session)` → `Either<SessionError, Plan>`. Total and pure: no I/O, clock or
 * randomness; the same session gives an equal plan.
 * Errors: the first error recorded by an operation (`DecodeError`, `PlanError`), else
 * `PlanError` `DuplicateRef` (a ref added twice), `UnresolvedRef` (a ref used but never
 * added, or deleted before insert), `Cycle` (pending rows referencing each other through
 * NOT NULL keys).
 * Source: DESIGN.md § Sessions, change-sets, plans; SQLAlchemy's unit-of-work ordering.
 * @category destructors
 * @since 0.1.0
 */
export const plan = (s: Session): E.Either<SessionError, Plan> => {
  if (s.errors.length > 0) return E.left(s.errors[0]!)
  const collected = collect(s)
  if (E.isLeft(collected)) return collected
  const { adds, cancelled, updates, roots, associations } = collected.right
  const seen = { pending: undefined as unknown }
  for (const a of adds.values()) {
    if (!refersElsewhere(a.values, adds, seen)) continue
    const r = resolveCommitted(s, a.values, adds, cancelled, a.table)
    if (E.isLeft(r)) return r
    adds.set(a.ref, { table: a.table, ref: a.ref, values: r.right })
  }
  const resolvedUpdates: KeyedUpdate[] = []
  for (const u of updates) {
    // most updates hold no ref to anything but pending rows: kept as they are
    if (!refersElsewhere(u.patch, adds, seen) && !refersElsewhere(u.match, adds, seen)) {
      resolvedUpdates.push(u)
      continue
    }
    // resolveCommitted never changes what it is given (it returns a copy when it resolves)
    const r = resolveCommitted(s, u.patch, adds, cancelled, u.table)
    if (E.isLeft(r)) return r
    const m = resolveCommitted(s, u.match, adds, cancelled, u.table)
    if (E.isLeft(m)) return m
    resolvedUpdates.push(
      r.right === u.patch && m.right === u.match ? u : { ...u, patch: r.right, match: m.right },
    )
  }
  // a row deleted by this session is not also updated (a delete wins within one change-set)
  const deletedText = new Set(
    roots.map((r) => `${r.table}\u0000${keyText(s.schema.tables[r.table]!.$spec, r.key)}`),
  )
  const kept =
    deletedText.size === 0
      ? resolvedUpdates
      : resolvedUpdates.filter(
          (u) => !deletedText.has(`${u.table}\u0000${keyText(s.schema.tables[u.table]!.$spec, u.key)}`),
        )
  const { order } = foreignKeyOrder(s.schema)
  const names = namer()
  const ins = insertSteps(s.schema, adds, order, names)
  if (E.isLeft(ins)) return ins
  const steps: Step[] = [...ins.right.inserts, ...ins.right.postUpdates]
  for (const table of order) steps.push(...updateSteps(s.schema.tables[table]!.$spec, table, kept, names))
  const dels = deleteSteps(s.schema, roots, associations, names.next)
  if (E.isLeft(dels)) return dels
  steps.push(...dels.right)
  return E.right(Object.freeze({ _tag: 'Plan', steps: Object.freeze(steps) }))
}
