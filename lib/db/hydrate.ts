/**
 * Turning driver rows (keyed by output column name) into origami rows, by the query's
 * shape (`query/shape.ts`): a table's rows keyed by field, a selection's rows keyed by
 * its keys, a joined row as one object per table (`null` for an unmatched left join).
 * The mapping is built once per shape; a row costs one pass over its columns.
 *
 * @since 0.1.0
 */
import type { AnySelect } from '../query/ast.js'
import { type Shape, shapeOf } from '../query/shape.js'

/** A driver row. */
type DbRow = Readonly<Record<string, unknown>>

/** Maps one driver row to a new, unfrozen origami row (so includes can be attached before freezing). @category models */
export type Hydrate = (row: DbRow) => Record<string, unknown>

const build = (shape: Shape): Hydrate => {
  switch (shape._tag) {
    case 'Table': {
      const fields = shape.spec.fields
      const columns = fields.map((f) => shape.spec.columnNames[f]!)
      const n = fields.length
      return (row) => {
        const out: Record<string, unknown> = {}
        for (let i = 0; i < n; i++) out[fields[i]!] = row[columns[i]!] ?? null
        return out
      }
    }
    case 'Selection': {
      const keys = shape.keys
      return (row) => {
        const out: Record<string, unknown> = {}
        for (const k of keys) out[k] = row[k] ?? null
        return out
      }
    }
    case 'Joined': {
      const groups = shape.groups.map((g) => ({
        ...g,
        // a group is absent when its key (or, without one, every column) is NULL
        probe: (g.spec.primaryKey.length > 0 ? g.spec.primaryKey : g.spec.fields).map(
          (f) => g.fields.find((x) => x.field === f)!.alias,
        ),
      }))
      return (row) => {
        const out: Record<string, unknown> = {}
        for (const g of groups) {
          if (g.nullable && g.probe.every((a) => row[a] === null || row[a] === undefined)) {
            out[g.name] = null
            continue
          }
          const part: Record<string, unknown> = {}
          for (const f of g.fields) part[f.field] = row[f.alias] ?? null
          out[g.name] = Object.freeze(part)
        }
        return out
      }
    }
  }
}

const cache = new WeakMap<Shape, Hydrate>()

/**
 * The hydrator of a query (built once per shape).
 * Shape: `hydrator(select)` → `(driverRow) → row` (unfrozen: freeze after attaching includes).
 * @category destructors
 * @since 0.1.0
 */
export const hydrator = (q: AnySelect): Hydrate => {
  const shape = shapeOf(q)
  let h = cache.get(shape)
  if (h === undefined) {
    h = build(shape)
    cache.set(shape, h)
  }
  return h
}
