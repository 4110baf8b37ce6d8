/**
 * The over-deletion bound: every row a commit may delete, found without the model — the
 * rows a change-set deletes or orphans by name, and everything reachable from them
 * along the edges that can carry a delete (a `delete`/`delete-orphan` relationship,
 * `ON DELETE CASCADE`, the association rows of a many-to-many declared on the deleted
 * row's table, the far side of a many-to-many with `delete`, the parent of a
 * `belongsTo` with `delete`). A key a change-set may move a row to counts as an edge
 * too, so the bound is generous; a row deleted outside it is over-deletion.
 *
 * @since 0.1.0
 */
import type { AnySchema } from '../lib/index.js'
import { canonical } from './arbitraries/values.js'
import type { ChangeSet, Key } from './changes.js'
import type { Row, State } from './model.js'

/** `table:key` of a row, as the bound and the checks name rows. */
export const rowId = (schema: AnySchema, t: string, row: Row | Key): string => {
  const s = schema.tables[t]!.$spec
  return `${t}:${s.primaryKey.map((f) => canonical(s.columns[f]!.sqlType, row[f])).join('|')}`
}

/**
 * The rows (`table:key`) that committing `cs` to `state` may delete.
 * @category destructors
 * @since 0.1.0
 */
export const deletable = (schema: AnySchema, state: State, cs: ChangeSet): ReadonlySet<string> => {
  const ops = cs.parts.flat()
  const same = (t: string, f: string, a: unknown, b: unknown) =>
    a !== null &&
    b !== null &&
    a !== undefined &&
    b !== undefined &&
    canonical(schema.tables[t]!.$spec.columns[f]!.sqlType, a) ===
      canonical(schema.tables[t]!.$spec.columns[f]!.sqlType, b)
  // every value a row's field may hold during the commit: the state's, and any an update sets
  const values = (t: string, row: Row, f: string): unknown[] => [
    row[f],
    ...ops.flatMap((o) =>
      o.op === 'update' && o.table === t && rowId(schema, t, o.key) === rowId(schema, t, row) && f in o.patch
        ? [o.patch[f]]
        : [],
    ),
  ]
  const links = (table: string): Row[] => [
    ...(state[table] ?? []),
    ...ops.flatMap((o) => {
      if (o.op !== 'link') return []
      const r = schema.relations[o.table]![o.relation]!
      return r.through?.table === table
        ? [
            {
              [r.foreignKey.field]: o.key[r.foreignKey.targetField],
              [r.through.targetKey.field]: o.child[r.through.targetKey.targetField],
            },
          ]
        : []
    }),
  ]
  const out = new Set<string>()
  const queue: Array<{ t: string; row: Row }> = []
  const add = (t: string, key: Key) => {
    const row = (state[t] ?? []).find((r) => rowId(schema, t, r) === rowId(schema, t, key))
    if (row === undefined || out.has(rowId(schema, t, row))) return
    out.add(rowId(schema, t, row))
    queue.push({ t, row })
  }
  for (const o of ops) {
    if (o.op === 'delete') add(o.table, o.key)
    if (o.op !== 'remove' && o.op !== 'unlink') continue
    const r = schema.relations[o.table]![o.relation]!
    if (r.through !== undefined) {
      add(r.through.table, {
        [r.foreignKey.field]: o.key[r.foreignKey.targetField],
        [r.through.targetKey.field]: o.child[r.through.targetKey.targetField],
      })
    }
    if (o.op === 'remove' && r.cascade.deleteOrphan) add(r.target, o.child)
    // removed through a belongsTo: the row holding the key is an orphan of the one-to-many
    // side viewing the same key, deleted when that side has delete-orphan
    if (
      o.op === 'remove' &&
      r.kind === 'belongsTo' &&
      Object.values(schema.relations[r.target] ?? {}).some(
        (x) =>
          (x.kind === 'hasMany' || x.kind === 'hasOne') &&
          x.foreignKey.name === r.foreignKey.name &&
          x.cascade.deleteOrphan,
      )
    )
      add(o.table, o.key)
  }
  while (queue.length > 0) {
    const { t, row } = queue.shift()!
    const rels = Object.values(schema.relations[t] ?? {})
    for (const fk of schema.foreignKeys.filter((k) => k.target === t)) {
      const carried =
        fk.onDelete === 'cascade' ||
        rels.some(
          (r) =>
            ((r.kind === 'hasMany' || r.kind === 'hasOne') &&
              r.foreignKey.name === fk.name &&
              (r.cascade.delete || r.cascade.deleteOrphan)) ||
            (r.kind === 'manyToMany' && r.foreignKey.name === fk.name),
        )
      if (!carried) continue
      for (const x of links(fk.table)) {
        if (values(fk.table, x, fk.field).some((v) => same(fk.table, fk.field, v, row[fk.targetField])))
          add(fk.table, x)
      }
    }
    for (const r of rels) {
      if (r.kind === 'manyToMany' && r.cascade.delete) {
        const th = r.through!
        for (const l of links(th.table).filter((l) =>
          same(th.table, r.foreignKey.field, l[r.foreignKey.field], row[r.foreignKey.targetField]),
        )) {
          for (const far of state[r.target] ?? []) {
            if (
              same(r.target, th.targetKey.targetField, far[th.targetKey.targetField], l[th.targetKey.field])
            )
              add(r.target, far)
          }
        }
      }
      if (r.kind === 'belongsTo' && r.cascade.delete) {
        for (const p of state[r.target] ?? []) {
          if (
            values(t, row, r.foreignKey.field).some((v) =>
              same(r.target, r.foreignKey.targetField, p[r.foreignKey.targetField], v),
            )
          )
            add(r.target, p)
        }
      }
    }
  }
  return out
}
