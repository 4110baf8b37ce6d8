/**
 * SQLSTATE classification: what a PostgreSQL error code means for origami — which
 * constraint kind was violated, and whether re-running the transaction may succeed.
 *
 * @since 0.1.0
 */

/** The constraint kinds of class 23 ("Integrity Constraint Violation"). @category models */
export type ConstraintKind = 'unique' | 'foreign_key' | 'not_null' | 'check' | 'exclusion'

/** What a SQLSTATE means. @category models */
export type SqlStateReason =
  | { readonly _tag: 'Constraint'; readonly kind: ConstraintKind }
  | { readonly _tag: 'SerializationFailure' }
  | { readonly _tag: 'Deadlock' }
  | { readonly _tag: 'Other' }

const constraints: Readonly<Record<string, ConstraintKind>> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  // restrict_violation: ON DELETE/UPDATE RESTRICT (PostgreSQL 18 reports it; 15 says 23503)
  '23001': 'foreign_key',
  '23502': 'not_null',
  '23514': 'check',
  '23P01': 'exclusion',
}

/**
 * Classifies a SQLSTATE.
 * Shape: `classify(code | undefined)` → `SqlStateReason`.
 * Source: PostgreSQL Appendix A "Error Codes" (23xxx integrity, 40001
 * serialization_failure, 40P01 deadlock_detected); Effect's SqlError reasons.
 * @category destructors
 * @since 0.1.0
 */
export const classify = (code: string | undefined): SqlStateReason => {
  if (code === undefined) return { _tag: 'Other' }
  const kind = constraints[code]
  if (kind !== undefined) return { _tag: 'Constraint', kind }
  if (code === '40001') return { _tag: 'SerializationFailure' }
  if (code === '40P01') return { _tag: 'Deadlock' }
  return { _tag: 'Other' }
}

/**
 * Whether re-running the whole transaction may succeed (40001, 40P01).
 * @category destructors
 * @since 0.1.0
 */
export const isRetryable = (code: string | undefined): boolean => {
  const r = classify(code)._tag
  return r === 'SerializationFailure' || r === 'Deadlock'
}
