/**
 * The reference model: what committing a change-set to a database state should do,
 * written from DESIGN.md's cascade table alone (it reads the schema value and nothing
 * of `lib/session` or `lib/plan`). Small on purpose: one pass per phase, on rows in
 * memory.
 *
 * A commit means, in order:
 * 1. **Plan checks** (nothing runs): a version missing for a `version()` table
 *    (`PlanError:VersionRequired`), rows nested under a relationship without
 *    `save-update` (`PlanError:InvalidRelationValue`), a removal that would null a NOT
 *    NULL key (`OrphanError`), two pending rows claiming one `hasOne` parent
 *    (`PlanError:OneToOne`), one link made twice (`PlanError:DuplicateRef`), composed
 *    change-sets that disagree about a row (`ConflictError`).
 * 2. **Adds**, nested rows included (a child takes its parent's key; a many-to-many
 *    child comes with its association row); unlinking a link made earlier in the same
 *    change-set cancels both.
 * 3. **Updates**, merged per row; `remove` that nulls a key is an update conditional on
 *    the child still belonging to the parent. A row that is gone, a version that moved
 *    on or a parent that changed: `StaleRowError`. Rows deleted explicitly are not updated.
 * 4. **Deletes**: the rows named (a missing one is stale) and every rule of the cascade
 *    table, to a fixpoint; children left with a NOT NULL key to NULL: `OrphanError`.
 * 5. **The database's own `ON DELETE`** for keys no relationship handles (and for
 *    `passiveDeletes`): cascade, set null, or a `foreign_key` violation.
 * Unique keys and foreign keys are checked after adds and after updates
 * (`ConstraintViolation:unique`, `:foreign_key`, `:not_null`). When a commit fails the
 * model gives every error it found (the database reports the first it meets) and the
 * phase: plan errors come before any SQL.
 *
 * @since 0.1.0
 */
import type { AnySchema, ResolvedRelation } from '../lib/index.js'
import type { TableSpec } from '../lib/schema/table.js'
import { canonical } from './arbitraries/values.js'
import type { AddNode, ChangeSet, Key, Op } from './changes.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A row by field. @category models */
export type Row = Readonly<Record<string, unknown>>

/** A database state: rows by table key. @category models */
export type State = Readonly<Record<string, ReadonlyArray<Row>>>

/** What a commit should give. `errors` are kinds such as `StaleRowError` or `ConstraintViolation:unique`. @category models */
export type Expected =
  | {
      readonly _tag: 'Ok'
      readonly state: State
      /**
       * Errors the database may report instead, depending on statement order: a row the
       * database's ON DELETE CASCADE removes also points, through a NO ACTION key, at a
       * row another statement deletes (checked at the end of each statement).
       */
      readonly or: ReadonlyArray<string>
    }
  | { readonly _tag: 'Fails'; readonly phase: 'plan' | 'run'; readonly errors: ReadonlyArray<string> }

// -------------------------------------------------------------------------------------
// rows in memory
// -------------------------------------------------------------------------------------

type Mutable = Record<string, unknown>
type Tables = Map<string, Map<string, Mutable>>

const spec = (schema: AnySchema, t: string): TableSpec => schema.tables[t]!.$spec
const cell = (schema: AnySchema, t: string, f: string, v: unknown) =>
  canonical(spec(schema, t).columns[f]!.sqlType, v)
const idOf = (schema: AnySchema, t: string, row: Row): string =>
  spec(schema, t)
    .primaryKey.map((f) => cell(schema, t, f, row[f]))
    .join('|')
const versionField = (schema: AnySchema, t: string) => {
  const s = spec(schema, t)
  return s.fields.find((f) => s.columns[f]!.version)
}
const relationsOf = (schema: AnySchema, t: string): ReadonlyArray<ResolvedRelation> =>
  Object.values(schema.relations[t] ?? {})

/** The rows of `t` whose `field` equals `value` (canonically). */
const where = (schema: AnySchema, db: Tables, t: string, field: string, value: unknown): Mutable[] =>
  value === null || value === undefined
    ? []
    : [...db.get(t)!.values()].filter(
        (r) => r[field] !== null && cell(schema, t, field, r[field]) === cell(schema, t, field, value),
      )

/** Unique keys (primary key included) and foreign keys hold. */
const constraints = (schema: AnySchema, db: Tables): string[] => {
  const errors: string[] = []
  for (const [t, rows] of db) {
    const s = spec(schema, t)
    for (const group of [s.primaryKey, ...s.unique]) {
      if (group.length === 0) continue
      const seen = new Set<string>()
      for (const r of rows.values()) {
        if (group.some((f) => r[f] === null || r[f] === undefined)) continue
        const k = group.map((f) => cell(schema, t, f, r[f])).join('|')
        if (seen.has(k)) errors.push('ConstraintViolation:unique')
        seen.add(k)
      }
    }
  }
  for (const fk of schema.foreignKeys) {
    for (const r of db.get(fk.table)!.values()) {
      const v = r[fk.field]
      if (v !== null && v !== undefined && where(schema, db, fk.target, fk.targetField, v).length === 0)
        errors.push('ConstraintViolation:foreign_key')
    }
  }
  return errors
}

// -------------------------------------------------------------------------------------
// the commit
// -------------------------------------------------------------------------------------

/** Rows an add makes: the node, its nested rows, association rows; with the link ids of the nodes. */
const expand = (
  schema: AnySchema,
  node: AddNode,
  inherited: Row,
  out: Array<{ table: string; row: Mutable }>,
) => {
  const row: Mutable = { ...node.values, ...inherited }
  const versioned = versionField(schema, node.table)
  if (versioned !== undefined && !(versioned in row)) row[versioned] = 1
  for (const g of node.nested) {
    const rel = schema.relations[node.table]![g.relation]!
    if (rel.kind === 'belongsTo') {
      for (const p of g.rows)
        row[rel.foreignKey.field] = expand(schema, p, {}, out)[rel.foreignKey.targetField]
    }
  }
  out.push({ table: node.table, row })
  for (const g of node.nested) {
    const rel = schema.relations[node.table]![g.relation]!
    for (const c of g.rows) {
      if (rel.kind === 'hasMany' || rel.kind === 'hasOne') {
        expand(schema, c, { [rel.foreignKey.field]: row[rel.foreignKey.targetField] }, out)
      } else if (rel.kind === 'manyToMany') {
        const far = expand(schema, c, {}, out)
        const th = rel.through!
        out.push({
          table: th.table,
          row: {
            [rel.foreignKey.field]: row[rel.foreignKey.targetField],
            [th.targetKey.field]: far[th.targetKey.targetField],
          },
        })
      }
    }
  }
  return row
}

const nestedWithoutSaveUpdate = (schema: AnySchema, node: AddNode): boolean =>
  node.nested.some(
    (g) =>
      (g.rows.length > 0 && !schema.relations[node.table]![g.relation]!.cascade.saveUpdate) ||
      g.rows.some((r) => nestedWithoutSaveUpdate(schema, r)),
  )

/** What the relationship of a `remove` means: which row's key is nulled, which rows go. */
const removal = (schema: AnySchema, op: Extract<Op, { relation: string }>) => {
  const rel = schema.relations[op.table]![op.relation]!
  const fk = rel.foreignKey
  if (rel.kind === 'manyToMany')
    return { rel, fk, nulls: undefined, holderGoes: false, orphan: rel.cascade.deleteOrphan }
  if (rel.kind === 'belongsTo') {
    // the holder is the parent argument; it must point at the child. The foreign key is
    // one fact seen from two sides: when the parent's side has delete-orphan, the holder
    // is an orphan now, and goes
    const orphaned = Object.values(schema.relations[rel.target] ?? {}).some(
      (r) =>
        (r.kind === 'hasMany' || r.kind === 'hasOne') &&
        r.foreignKey.name === fk.name &&
        r.cascade.deleteOrphan,
    )
    return {
      rel,
      fk,
      nulls: orphaned ? undefined : { table: op.table, key: op.key, owner: op.child[fk.targetField] },
      holderGoes: orphaned,
      orphan: rel.cascade.deleteOrphan,
    }
  }
  return {
    rel,
    fk,
    holderGoes: false,
    nulls: rel.cascade.deleteOrphan
      ? undefined
      : { table: rel.target, key: op.child, owner: op.key[fk.targetField] },
    orphan: rel.cascade.deleteOrphan,
  }
}

const linkId = (op: { table: string; key: Key; relation: string; child: Key }) =>
  JSON.stringify([op.table, op.relation, op.key, op.child], (_, v) => (typeof v === 'bigint' ? `${v}n` : v))

/** Plan-time errors: the ones origami reports before any SQL. */
const planErrors = (schema: AnySchema, cs: ChangeSet): string[] => {
  const errors: string[] = []
  const touched = new Map<string, { deleted: Set<number>; fields: Map<string, Map<number, string>> }>()
  const touch = (t: string, key: Key) => {
    const id = `${t}:${idOf(schema, t, key)}`
    const e = touched.get(id) ?? { deleted: new Set(), fields: new Map() }
    touched.set(id, e)
    return e
  }
  const set = (seg: number, t: string, key: Key, patch: Row) => {
    const e = touch(t, key)
    for (const [f, v] of Object.entries(patch)) {
      const byField = e.fields.get(f) ?? new Map<number, string>()
      byField.set(seg, cell(schema, t, f, v))
      e.fields.set(f, byField)
    }
  }
  const links = new Set<string>()
  const claims = new Set<string>()
  /**
   * Pending rows claiming one parent through a `hasOne`: by the same explicit key value,
   * or by the same pending parent (a nested child takes its parent's, a row given a new
   * parent through a belongsTo takes that one's).
   */
  const uid = new Map<AddNode, number>()
  const claim = (node: AddNode, inherited: Readonly<Record<string, string>>) => {
    if (!uid.has(node)) uid.set(node, uid.size)
    const given: Record<string, string> = { ...inherited }
    for (const g of node.nested) {
      const rel = schema.relations[node.table]![g.relation]!
      if (rel.kind === 'belongsTo' && g.rows[0] !== undefined) {
        uid.set(g.rows[0], uid.size)
        given[rel.foreignKey.field] = `pending ${uid.get(g.rows[0])}`
      }
    }
    for (const [owner, byName] of Object.entries(schema.relations)) {
      for (const r of Object.values(byName)) {
        if (r.kind !== 'hasOne' || r.target !== node.table) continue
        const f = r.foreignKey.field
        const v = node.values[f]
        const value = given[f] ?? (v === null || v === undefined ? undefined : cell(schema, node.table, f, v))
        if (value === undefined) continue
        const id = `${owner}.${r.name}:${value}`
        if (claims.has(id)) errors.push('PlanError:OneToOne')
        claims.add(id)
      }
    }
    for (const g of node.nested) {
      const rel = schema.relations[node.table]![g.relation]!
      for (const c of g.rows) {
        if (rel.kind === 'belongsTo') claim(c, {})
        else if (rel.kind === 'manyToMany') claim(c, {})
        else claim(c, { [rel.foreignKey.field]: `pending ${uid.get(node)}` })
      }
    }
  }
  cs.parts.forEach((ops, seg) => {
    for (const op of ops) {
      if (op.op === 'add') {
        if (nestedWithoutSaveUpdate(schema, op.row)) errors.push('PlanError:InvalidRelationValue')
        claim(op.row, {})
        continue
      }
      if ((op.op === 'update' || op.op === 'delete') && versionField(schema, op.table) !== undefined) {
        if (op.version === undefined) errors.push('PlanError:VersionRequired')
      }
      if (op.op === 'update') set(seg, op.table, op.key, op.patch)
      if (op.op === 'delete') touch(op.table, op.key).deleted.add(seg)
      if (op.op === 'link') {
        if (links.has(linkId(op))) errors.push('PlanError:DuplicateRef')
        links.add(linkId(op))
      }
      if (op.op === 'unlink') links.delete(linkId(op))
      if (op.op === 'remove') {
        const r = removal(schema, op)
        if (r.rel.kind === 'manyToMany') links.delete(linkId(op))
        if (r.nulls !== undefined) {
          const holder = spec(schema, r.fk.table)
          if (!holder.columns[r.fk.field]!.nullable) errors.push('OrphanError')
          set(seg, r.nulls.table, r.nulls.key, { [r.fk.field]: null })
        }
        if (r.orphan) touch(r.rel.target, op.child).deleted.add(seg)
        if (r.holderGoes) touch(op.table, op.key).deleted.add(seg)
      }
    }
  })
  for (const e of touched.values()) {
    const segs = new Set([...e.fields.values()].flatMap((m) => [...m.keys()]))
    const deleteVsUpdate = [...e.deleted].some((d) => [...segs].some((s) => s !== d))
    const twoValues = [...e.fields.values()].some((m) => new Set(m.values()).size > 1)
    if (deleteVsUpdate || twoValues) errors.push('ConflictError')
  }
  return errors
}

/**
 * What committing `cs` to a database holding `state` should give (see the module
 * comment for the rules, phase by phase).
 * Shape: `expect(schema, state, changeSet)` → `Expected`. Pure.
 * Source: DESIGN.md § Cascade semantics, and the `S` operations' documentation.
 * @category destructors
 * @since 0.1.0
 */
export const expected = (schema: AnySchema, state: State, cs: ChangeSet): Expected => {
  const plan = planErrors(schema, cs)
  if (plan.length > 0) return { _tag: 'Fails', phase: 'plan', errors: plan }
  const errors: string[] = []
  const db: Tables = new Map(
    Object.keys(schema.tables).map((t) => [
      t,
      new Map((state[t] ?? []).map((r) => [idOf(schema, t, r), { ...r } as Mutable])),
    ]),
  )
  const find = (t: string, key: Key) => db.get(t)!.get(idOf(schema, t, key))
  const ops = cs.parts.flat()
  // links cancelled by a later unlink (or many-to-many remove) of the same pair
  const cancelled = new Set<number>()
  const cancelling = new Set<number>()
  ops.forEach((op, i) => {
    if (op.op !== 'unlink' && !(op.op === 'remove' && removal(schema, op).rel.kind === 'manyToMany')) return
    const j = ops.findIndex(
      (o, k) => k < i && !cancelled.has(k) && o.op === 'link' && linkId(o) === linkId(op),
    )
    if (j >= 0) {
      cancelled.add(j)
      cancelling.add(i)
    }
  })
  // 2. adds
  for (const [i, op] of ops.entries()) {
    if (op.op === 'add') {
      const rows: Array<{ table: string; row: Mutable }> = []
      expand(schema, op.row, {}, rows)
      for (const { table, row } of rows) {
        const id = idOf(schema, table, row)
        if (db.get(table)!.has(id)) errors.push('ConstraintViolation:unique')
        else db.get(table)!.set(id, row)
      }
    } else if (op.op === 'link' && !cancelled.has(i)) {
      const rel = schema.relations[op.table]![op.relation]!
      const th = rel.through!
      const row = {
        [rel.foreignKey.field]: op.key[rel.foreignKey.targetField],
        [th.targetKey.field]: op.child[th.targetKey.targetField],
      }
      const id = idOf(schema, th.table, row)
      if (db.get(th.table)!.has(id)) errors.push('ConstraintViolation:unique')
      else db.get(th.table)!.set(id, row)
    }
  }
  errors.push(...constraints(schema, db))
  // rows deleted by name: explicitly, or as orphans removed from a delete-orphan relationship
  const roots: Array<{ table: string; key: Key; check: (r: Mutable) => boolean }> = []
  const associations: Array<{ table: string; row: Row }> = []
  const updates = new Map<
    string,
    { table: string; key: Key; patch: Mutable; checks: Array<(r: Mutable) => boolean> }
  >()
  const update = (table: string, key: Key, patch: Row, check: (r: Mutable) => boolean) => {
    const id = `${table}:${idOf(schema, table, key)}`
    const u = updates.get(id) ?? { table, key, patch: {}, checks: [] }
    Object.assign(u.patch, patch)
    u.checks.push(check)
    updates.set(id, u)
  }
  const versionIs = (table: string, v: number | undefined) => (r: Mutable) => {
    const f = versionField(schema, table)
    return f === undefined || r[f] === v
  }
  const is = (t: string, f: string, v: unknown) => (r: Mutable) =>
    r[f] !== null && v !== null && v !== undefined && cell(schema, t, f, r[f]) === cell(schema, t, f, v)
  for (const [i, op] of ops.entries()) {
    if (op.op === 'update') update(op.table, op.key, op.patch, versionIs(op.table, op.version))
    else if (op.op === 'delete')
      roots.push({ table: op.table, key: op.key, check: versionIs(op.table, op.version) })
    else if (op.op === 'unlink' || op.op === 'remove') {
      const r = op.op === 'remove' ? removal(schema, op) : undefined
      const rel = schema.relations[op.table]![op.relation]!
      if (rel.kind === 'manyToMany') {
        const th = rel.through!
        if (!cancelling.has(i))
          associations.push({
            table: th.table,
            row: {
              [rel.foreignKey.field]: op.key[rel.foreignKey.targetField],
              [th.targetKey.field]: op.child[th.targetKey.targetField],
            },
          })
        if (r?.orphan) roots.push({ table: rel.target, key: op.child, check: () => true })
      } else if (r !== undefined) {
        if (r.holderGoes) {
          roots.push({
            table: op.table,
            key: op.key,
            check: is(op.table, r.fk.field, op.child[r.fk.targetField]),
          })
          if (r.orphan) roots.push({ table: rel.target, key: op.child, check: () => true })
        } else if (r.nulls !== undefined) {
          update(
            r.nulls.table,
            r.nulls.key,
            { [r.fk.field]: null },
            is(r.fk.table, r.fk.field, r.nulls.owner),
          )
          if (r.orphan) roots.push({ table: rel.target, key: op.child, check: () => true })
        } else {
          // delete-orphan on a hasMany/hasOne: the child goes, if it still belongs to the parent
          roots.push({
            table: rel.target,
            key: op.child,
            check: is(rel.target, r.fk.field, op.key[r.fk.targetField]),
          })
        }
      }
    }
  }
  // errors the database may or may not meet, by statement order (see `Expected`)
  const lenient: string[] = []
  // 3. updates (not of rows deleted by name)
  const before = new Map([...db].map(([t, rows]) => [t, new Map([...rows].map(([id, r]) => [id, { ...r }]))]))
  const named = new Set(roots.map((r) => `${r.table}:${idOf(schema, r.table, r.key)}`))
  for (const [id, u] of updates) {
    if (named.has(id)) continue
    const row = find(u.table, u.key)
    if (row === undefined || !u.checks.every((c) => c(row))) {
      errors.push('StaleRowError')
      continue
    }
    Object.assign(row, u.patch)
    const vf = versionField(schema, u.table)
    if (vf !== undefined) row[vf] = (row[vf] as number) + 1
  }
  errors.push(...constraints(schema, db))
  // PostgreSQL checks a unique key row by row: an update taking a value another updated row gives up may collide
  for (const [t, rows] of db) {
    const s = spec(schema, t)
    for (const f of s.unique.filter((g) => g.length === 1).map((g) => g[0]!)) {
      for (const [id, r] of rows) {
        const was = before.get(t)!
        if (r[f] === null || r[f] === undefined || was.get(id)?.[f] === r[f]) continue
        if (
          [...was].some(
            ([o, x]) => o !== id && x[f] !== null && cell(schema, t, f, x[f]) === cell(schema, t, f, r[f]),
          )
        )
          lenient.push('ConstraintViolation:unique')
      }
    }
  }
  // 4. deletes: the rows named, then the cascade table to a fixpoint
  const doomed = new Map<string, { table: string; row: Mutable }>()
  const queue: Array<{ table: string; row: Mutable }> = []
  const doom = (table: string, row: Mutable) => {
    const id = `${table}:${idOf(schema, table, row)}`
    if (doomed.has(id)) return
    doomed.set(id, { table, row })
    queue.push({ table, row })
  }
  const first = new Set<string>()
  for (const r of roots) {
    const row = find(r.table, r.key)
    const id = `${r.table}:${idOf(schema, r.table, r.key)}`
    // a row named twice (deleted, and removed as an orphan): origami checks the first naming only
    if (row === undefined || !r.check(row)) (first.has(id) ? lenient : errors).push('StaleRowError')
    first.add(id)
    // a stale row fails the commit anyway; its cascade's errors may come first
    if (row !== undefined) doom(r.table, row)
  }
  for (const a of associations) {
    const row = find(a.table, a.row)
    if (row === undefined) errors.push('StaleRowError')
    else doom(a.table, row)
  }
  const nulls: Array<{ table: string; row: Mutable; field: string; nullable: boolean }> = []
  while (queue.length > 0) {
    const { table, row } = queue.shift()!
    for (const rel of relationsOf(schema, table)) {
      const fk = rel.foreignKey
      if (rel.kind === 'hasMany' || rel.kind === 'hasOne') {
        if (rel.passiveDeletes) continue // the database's ON DELETE acts (step 5)
        for (const child of where(schema, db, rel.target, fk.field, row[fk.targetField])) {
          if (rel.cascade.delete || rel.cascade.deleteOrphan) doom(rel.target, child)
          else nulls.push({ table: rel.target, row: child, field: fk.field, nullable: fk.nullable })
        }
      } else if (rel.kind === 'manyToMany') {
        const th = rel.through!
        const links = where(schema, db, th.table, fk.field, row[fk.targetField])
        if (!rel.passiveDeletes) for (const l of links) doom(th.table, l)
        if (rel.cascade.delete) {
          for (const l of links)
            for (const far of where(schema, db, rel.target, th.targetKey.targetField, l[th.targetKey.field]))
              doom(rel.target, far)
        }
      } else if (rel.cascade.delete) {
        for (const parent of where(schema, db, rel.target, fk.targetField, row[fk.field]))
          doom(rel.target, parent)
      }
    }
  }
  for (const n of nulls) {
    if (doomed.has(`${n.table}:${idOf(schema, n.table, n.row)}`)) continue
    if (!n.nullable) errors.push('OrphanError')
    else n.row[n.field] = null
  }
  for (const { table, row } of doomed.values()) db.get(table)!.delete(idOf(schema, table, row))
  // 5. the database's ON DELETE for references left pointing at deleted rows: cascades
  // first, to a fixpoint (a row one key cascades away never trips another), then the rest
  let orderDependent = false
  const dangling = (fk: (typeof schema.foreignKeys)[number], r: Mutable) =>
    r[fk.field] != null && where(schema, db, fk.target, fk.targetField, r[fk.field]).length === 0
  for (let changed = true; changed; ) {
    changed = false
    for (const fk of schema.foreignKeys.filter((k) => k.onDelete === 'cascade')) {
      for (const [id, r] of db.get(fk.table)!) {
        if (!dangling(fk, r)) continue
        db.get(fk.table)!.delete(id)
        changed = true
        // it also points, through a key that does not cascade, at a deleted row: whether the
        // database objects depends on which delete runs first
        const others = schema.foreignKeys.filter((k) => k.table === fk.table && k.onDelete !== 'cascade')
        if (others.some((k) => dangling(k, r))) orderDependent = true
        // or a row the plan deletes points at it through a key that does not cascade
        const pointing = schema.foreignKeys.filter((k) => k.target === fk.table && k.onDelete !== 'cascade')
        for (const k of pointing) {
          const v = r[k.targetField]
          if (
            [...doomed.values()].some(
              (x) =>
                x.table === k.table &&
                x.row[k.field] != null &&
                cell(schema, k.table, k.field, x.row[k.field]) === cell(schema, k.target, k.targetField, v),
            )
          )
            orderDependent = true
        }
      }
    }
  }
  for (const fk of schema.foreignKeys.filter((k) => k.onDelete !== 'cascade')) {
    for (const r of db.get(fk.table)!.values()) {
      if (!dangling(fk, r)) continue
      if (fk.onDelete === 'set null' && fk.nullable) r[fk.field] = null
      else
        errors.push(
          fk.onDelete === 'set null' ? 'ConstraintViolation:not_null' : 'ConstraintViolation:foreign_key',
        )
    }
  }
  if (errors.length > 0) return { _tag: 'Fails', phase: 'run', errors: [...new Set([...errors, ...lenient])] }
  return {
    _tag: 'Ok',
    or: [...(orderDependent ? ['ConstraintViolation:foreign_key'] : []), ...new Set(lenient)],
    state: Object.fromEntries([...db].map(([t, rows]) => [t, [...rows.values()]])),
  }
}
