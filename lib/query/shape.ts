/**
 * The output shape of a query: which columns it returns under which names, and how a
 * result row maps back to an origami row. The compiler names output columns with it and
 * the reader hydrates with it, so the two never disagree. No SQL text here.
 *
 * @since 0.1.0
 */
import type { AnyTable, TableSpec } from '../schema/table.js'
import type { Select } from './ast.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One table's part of a joined row: its fields and the output names that carry them. @category models */
export interface JoinedGroup {
  /** The key in the joined row: the table's SQL name. */
  readonly name: string
  readonly spec: TableSpec
  /** Whether the group may be absent (a left join): `null` when its key columns are all NULL. */
  readonly nullable: boolean
  readonly fields: ReadonlyArray<{ readonly field: string; readonly alias: string }>
}

/**
 * How a query's result rows are shaped:
 * - `Table`: every column of one table, output under its SQL column name;
 * - `Selection`: chosen keys, output under those names;
 * - `Joined`: one object per table, output under generated aliases.
 * @category models
 */
export type Shape =
  | { readonly _tag: 'Table'; readonly spec: TableSpec }
  | { readonly _tag: 'Selection'; readonly keys: ReadonlyArray<string> }
  | { readonly _tag: 'Joined'; readonly groups: ReadonlyArray<JoinedGroup> }

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** PostgreSQL truncates longer identifiers (NAMEDATALEN − 1 bytes). */
export const maxIdentifierBytes = 63

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8')

const cache = new WeakMap<Select<AnyTable, any, any, any>, Shape>()

/**
 * The shape of a query's rows (cached per query value).
 * Shape: `shapeOf(select)` → `Shape`. Joined aliases are `table.field`, or `_n` (the
 * column's position) when that would pass PostgreSQL's 63-byte identifier limit.
 * @category destructors
 * @since 0.1.0
 */
export const shapeOf = (q: Select<AnyTable, any, any, any>): Shape => {
  const hit = cache.get(q)
  if (hit !== undefined) return hit
  let shape: Shape
  if (q.selection !== undefined) shape = { _tag: 'Selection', keys: q.selection.map((s) => s.key) }
  else if (q.joins.length === 0) shape = { _tag: 'Table', spec: q.table.$spec }
  else {
    let n = 0
    const group = (t: AnyTable, nullable: boolean): JoinedGroup => ({
      name: t.$name,
      spec: t.$spec,
      nullable,
      fields: t.$spec.fields.map((field) => {
        const name = `${t.$name}.${field}`
        const alias = bytes(name) <= maxIdentifierBytes ? name : `_${n}`
        n += 1
        return { field, alias }
      }),
    })
    shape = {
      _tag: 'Joined',
      groups: [group(q.table, false), ...q.joins.map((j) => group(j.table, j.kind === 'LEFT'))],
    }
  }
  cache.set(q, shape)
  return shape
}
