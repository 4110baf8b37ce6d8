/**
 * Turning driver rows (keyed by SQL column name) into origami rows (keyed by field).
 * The mapping is built once per table; a row costs one pass over its fields.
 *
 * @since 0.1.0
 */
import type { TableSpec } from '../schema/table.js'

const cache = new WeakMap<
  TableSpec,
  (row: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>
>()

/**
 * The row mapper of a table: `{ author_id: 1 }` → `{ authorId: 1 }`, frozen; a column
 * missing from the driver row reads as `null`.
 * Shape: `rowMapper(spec)` → `(dbRow) → row`. Values are used as the driver normalised
 * them (see `drivers/driver.ts`), so both databases give equal rows.
 * @category destructors
 * @since 0.1.0
 */
export const rowMapper = (
  spec: TableSpec,
): ((row: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>) => {
  const hit = cache.get(spec)
  if (hit !== undefined) return hit
  const pairs = spec.fields.map((f) => [f, spec.columnNames[f]!] as const)
  const map = (row: Readonly<Record<string, unknown>>) => {
    const out: Record<string, unknown> = {}
    for (const [f, c] of pairs) out[f] = row[c] ?? null
    return Object.freeze(out)
  }
  cache.set(spec, map)
  return map
}
