/**
 * Compiled statements: one SQL text with its `$1…$n` bind parameters, as a frozen value
 * that can be printed, compared in a test and handed to a driver's `query`.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One statement ready for a driver: never multi-statement text (both drivers reject
 * several statements that carry parameters).
 *
 * Shape: `{ text: 'SELECT … WHERE "id" = $1', params: [1] }`.
 * Units: `params[i]` binds `$(i + 1)` (placeholders are 1-based, the array 0-based).
 * Source: STYLE.md § 3.4 (kysely `CompiledQuery`, Effect `Statement`).
 * @category models
 * @since 0.1.0
 */
export interface Compiled {
  readonly text: string
  readonly params: ReadonlyArray<unknown>
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Builds a frozen `Compiled` from a statement text and its parameters.
 *
 * Shape: `compiled(text, params?)` → `Compiled`; `params` is copied and frozen (default `[]`).
 * Units: see `Compiled`.
 * Errors: none.
 * Source: STYLE.md § 3.4.
 *
 * @example
 * compiled('DROP TABLE IF EXISTS "books" CASCADE') // { text: 'DROP TABLE …', params: [] }
 * @category constructors
 * @since 0.1.0
 */
export const compiled = (text: string, params: ReadonlyArray<unknown> = []): Compiled =>
  Object.freeze({ text, params: Object.freeze([...params]) })
