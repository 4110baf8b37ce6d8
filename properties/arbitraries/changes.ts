/**
 * Change-sets over a state: adds with nested children (hasMany lists, hasOne and
 * belongsTo objects, manyToMany lists), updates of values and foreign keys, deletes,
 * removes from every kind of relationship, links and unlinks, composed with `concat`
 * and preceded by work dropped with `rollback`. Mostly valid (rows that exist, children
 * that belong to the parent named, the version read), sometimes not (a missing row, a
 * stale version, a duplicate key), so that errors are exercised too.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import type { AnySchema } from '../../lib/index.js'
import type { AddNode, ChangeSet, Key, Op } from '../changes.js'
import type { Row, State } from '../model.js'
import { tableKind } from './state.js'
import { columnValue } from './values.js'

/** A key value no generated row has. */
const missing = 999

const rare = <A>(usual: fc.Arbitrary<A>, odd: fc.Arbitrary<A>) =>
  fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: odd })

/** Options of `changeSetOf`. @category models */
export interface ChangeSetOptions {
  /** Most operations per part (default 4). */
  readonly maxOps?: number
  /** Most parts composed with `concat` (default 3). */
  readonly maxParts?: number
  /** Levels of nested rows under an add (default 2). */
  readonly depth?: number
  /**
   * `false` leaves out `remove` through a `belongsTo` whose key a delete-orphan
   * relationship views from the parent's side (a known bug, see docs/properties.md).
   */
  readonly belongsToOrphanRemove?: boolean
}

/**
 * Change-sets over `state` (see the module comment). Keys of added rows are 101, 102, …
 * per table, in the order the rows appear; now and then an add reuses a key that exists.
 * Shape: `changeSetOf(schema, state, options?)` → `Arbitrary<ChangeSet>`.
 * @category constructors
 * @since 0.1.0
 */
export const changeSetOf = (
  schema: AnySchema,
  state: State,
  options: ChangeSetOptions = {},
): fc.Arbitrary<ChangeSet> => {
  const ops = opsOf(schema, state, options.depth ?? 2, options.belongsToOrphanRemove !== false)
  const part = fc.array(ops, { minLength: 1, maxLength: options.maxOps ?? 3 })
  return fc
    .record({
      discarded: fc.option(part, { freq: 6 }),
      parts: fc.oneof(
        { weight: 4, arbitrary: part.map((p) => [p]) },
        {
          weight: 1,
          arbitrary: fc.array(part, { minLength: 2, maxLength: Math.max(2, options.maxParts ?? 3) }),
        },
      ),
    })
    .map((cs) => numbered(schema, state, cs))
}

/** The arbitrary of one operation over `state`. */
export const opsOf = (
  schema: AnySchema,
  state: State,
  depth: number,
  belongsToOrphanRemove = true,
): fc.Arbitrary<Op> => {
  const tables = Object.keys(schema.tables)
  const spec = (t: string) => schema.tables[t]!.$spec
  const rows = (t: string) => state[t] ?? []
  const keyOf = (t: string, r: Row): Key => Object.fromEntries(spec(t).primaryKey.map((f) => [f, r[f]]))
  const pk = (t: string) => spec(t).primaryKey[0]!
  const fks = (t: string) => schema.foreignKeys.filter((k) => k.table === t)
  const versionField = (t: string) => spec(t).fields.find((f) => spec(t).columns[f]!.version)
  /** A row of `t` (its key), or now and then one that does not exist. */
  const anyRow = (t: string): fc.Arbitrary<Key> =>
    rows(t).length === 0 || tableKind(schema, t) !== 'entity'
      ? rows(t).length === 0
        ? fc.constant({ [pk(t)]: missing })
        : fc.constantFrom(...rows(t).map((r) => keyOf(t, r)))
      : rare(fc.constantFrom(...rows(t).map((r) => keyOf(t, r))), fc.constant({ [pk(t)]: missing }))
  /** A foreign-key value: an existing parent, NULL when allowed, now and then a missing parent. */
  const fkValue = (table: string, field: string): fc.Arbitrary<unknown> => {
    const fk = fks(table).find((k) => k.field === field)!
    const parents = rows(fk.target).map((r) => r[fk.targetField])
    const some = parents.length === 0 ? fc.constant<unknown>(missing) : fc.constantFrom<unknown>(...parents)
    return rare(fk.nullable ? fc.option(some, { nil: null, freq: 3 }) : some, fc.constant(missing))
  }
  const plainFields = (t: string) => {
    const fkf = new Set(fks(t).map((k) => k.field))
    return spec(t).fields.filter(
      (f) => !fkf.has(f) && !spec(t).primaryKey.includes(f) && !spec(t).columns[f]!.version,
    )
  }
  const versionOf = (t: string, key: Key): fc.Arbitrary<number | undefined> => {
    const vf = versionField(t)
    if (vf === undefined) return fc.constant(undefined)
    const row = rows(t).find((r) => r[pk(t)] === key[pk(t)])
    const v = (row?.[vf] as number | undefined) ?? 1
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant(v) },
      { weight: 1, arbitrary: fc.constant(v + 1) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    )
  }
  // adds, with nested rows
  const node = (
    t: string,
    level: number,
    omit: string | undefined,
    partner?: string,
  ): fc.Arbitrary<AddNode> => {
    const values = fc.record(
      Object.fromEntries([
        ...plainFields(t).map((f) => [f, columnValue(spec(t).columns[f]!)] as const),
        ...fks(t)
          .filter((k) => k.field !== omit)
          .map((k) => [k.field, fkValue(t, k.field)] as const),
      ]),
    )
    // a nested child gets its key from its parent: it names neither that key nor the partner relationship
    const rels = Object.values(schema.relations[t] ?? {}).filter(
      (r) =>
        tableKind(schema, r.target) === 'entity' &&
        r.name !== partner &&
        !(r.kind === 'belongsTo' && r.foreignKey.field === omit),
    )
    const groups: fc.Arbitrary<Array<{ relation: string; rows: AddNode[] }>> =
      level <= 0 || rels.length === 0
        ? fc.constant([])
        : fc.array(
            fc.oneof(
              ...rels.map((r) => {
                const owned = r.kind === 'hasMany' || r.kind === 'hasOne'
                const child = owned
                  ? node(r.target, level - 1, r.foreignKey.field, r.backPopulates)
                  : node(r.target, level - 1, undefined)
                const many = r.kind === 'hasMany' || r.kind === 'manyToMany'
                return (many ? fc.array(child, { minLength: 1, maxLength: 2 }) : child.map((c) => [c])).map(
                  (rows) => ({
                    relation: r.name,
                    rows,
                  }),
                )
              }),
            ),
            { maxLength: 2 },
          )
    return fc.record({ values, nested: groups }).map(({ values, nested }) => {
      const seen = new Set<string>()
      const kept = nested.filter((g) => !seen.has(g.relation) && seen.add(g.relation))
      const v: Record<string, unknown> = { [pk(t)]: 0, ...values }
      // a new parent given through a belongsTo supplies the key
      for (const g of kept) {
        const r = schema.relations[t]![g.relation]!
        if (r.kind === 'belongsTo') delete v[r.foreignKey.field]
      }
      return { table: t, values: v, nested: kept }
    })
  }
  const entities = tables.filter((t) => tableKind(schema, t) === 'entity')
  const adds = entities.map((t) =>
    fc.record({ row: node(t, depth, undefined), reuse: rare(fc.constant(false), fc.constant(true)) }).map(
      ({ row, reuse }): Op => ({
        op: 'add',
        row: reuse ? { ...row, values: { ...row.values, reused: true } } : row,
      }),
    ),
  )
  const updates = entities
    .filter((t) => plainFields(t).length + fks(t).length > 0)
    .map((t) =>
      anyRow(t).chain((key) =>
        fc
          .record({
            patch: fc.record(
              Object.fromEntries([
                ...plainFields(t).map((f) => [f, columnValue(spec(t).columns[f]!)] as const),
                ...fks(t).map((k) => [k.field, fkValue(t, k.field)] as const),
              ]),
              // never empty: an update names at least one field
              { requiredKeys: [[...plainFields(t), ...fks(t).map((k) => k.field)][0]!] },
            ),
            version: versionOf(t, key),
          })
          .map(({ patch, version }): Op => ({ op: 'update', table: t, key, patch, version })),
      ),
    )
  const deletes = tables
    .filter((t) => rows(t).length > 0 || tableKind(schema, t) === 'entity')
    .map((t) =>
      anyRow(t).chain((key) =>
        versionOf(t, key).map((version): Op => ({ op: 'delete', table: t, key, version })),
      ),
    )
  const relationOps = tables.flatMap((t) =>
    Object.values(schema.relations[t] ?? {})
      .filter(() => tableKind(schema, t) === 'entity')
      .flatMap((r) => {
        const target = r.target
        if (tableKind(schema, target) !== 'entity') return []
        const fk = r.foreignKey
        const orphaning = Object.values(schema.relations[target] ?? {}).some(
          (x) => x.foreignKey.name === fk.name && x.kind !== 'manyToMany' && x.cascade.deleteOrphan,
        )
        if (r.kind === 'belongsTo' && orphaning && !belongsToOrphanRemove) return []
        /** Rows related to `key` through `r` in the state: the usual child to name. */
        const related = (key: Key): Key[] => {
          const parent = rows(t).find((x) => x[pk(t)] === key[pk(t)])
          if (parent === undefined) return []
          if (r.kind === 'hasMany' || r.kind === 'hasOne')
            return rows(target)
              .filter((c) => c[fk.field] === parent[fk.targetField])
              .map((c) => keyOf(target, c))
          if (r.kind === 'belongsTo')
            return rows(target)
              .filter((p) => p[fk.targetField] === parent[fk.field])
              .map((p) => keyOf(target, p))
          const th = r.through!
          const far = rows(th.table)
            .filter((l) => l[fk.field] === parent[fk.targetField])
            .map((l) => l[th.targetKey.field])
          return rows(target)
            .filter((x) => far.includes(x[th.targetKey.targetField]))
            .map((x) => keyOf(target, x))
        }
        const pair = (preferRelated: boolean) =>
          anyRow(t).chain((key) => {
            const rel = related(key)
            const child =
              preferRelated && rel.length > 0
                ? fc.oneof(
                    { weight: 3, arbitrary: fc.constantFrom(...rel) },
                    { weight: 1, arbitrary: anyRow(target) },
                  )
                : anyRow(target)
            return child.map((c) => ({ key, child: c }))
          })
        const make = (op: 'remove' | 'link' | 'unlink', preferRelated: boolean) =>
          pair(preferRelated).map(({ key, child }): Op => ({ op, table: t, key, relation: r.name, child }))
        return r.kind === 'manyToMany'
          ? [make('remove', true), make('link', false), make('unlink', true)]
          : [make('remove', true)]
      }),
  )
  return fc.oneof(
    { weight: 3, arbitrary: fc.oneof(...adds) },
    ...(updates.length > 0 ? [{ weight: 2, arbitrary: fc.oneof(...updates) }] : []),
    { weight: 3, arbitrary: fc.oneof(...deletes) },
    ...(relationOps.length > 0 ? [{ weight: 3, arbitrary: fc.oneof(...relationOps) }] : []),
  )
}

/** Gives added rows their keys: 101, 102, … per table in order of appearance, or an existing key when reused. */
const numbered = (schema: AnySchema, state: State, cs: ChangeSet): ChangeSet => {
  const next: Record<string, number> = {}
  const number = (n: AddNode): AddNode => {
    const s = schema.tables[n.table]!.$spec
    const pk = s.primaryKey[0]!
    const { reused, ...values } = n.values as Record<string, unknown>
    const existing = state[n.table]?.[0]?.[pk]
    next[n.table] = (next[n.table] ?? 100) + 1
    const tag = s.columns[pk]!.sqlType._tag
    const fresh = tag === 'bigint' || tag === 'bigserial' ? BigInt(next[n.table]!) : next[n.table]!
    values[pk] = reused === true && existing !== undefined ? existing : fresh
    const vf = s.fields.find((f) => s.columns[f]!.version)
    if (vf !== undefined) values[vf] = 1
    return { ...n, values, nested: n.nested.map((g) => ({ ...g, rows: g.rows.map(number) })) }
  }
  const ops = (os: ReadonlyArray<Op>) => os.map((o) => (o.op === 'add' ? { ...o, row: number(o.row) } : o))
  // one operation per row changed: how origami merges several (the first condition
  // checked, intermediate values compared across concat) is not what this suite pins down
  const seen = new Set<string>()
  const once = (os: ReadonlyArray<Op>) =>
    os.filter((o) => {
      const id = target(schema, o)
      if (id === undefined) return true
      if (seen.has(id)) return false
      seen.add(id)
      return true
    })
  const parts = cs.parts.map((p) => once(ops(p))).filter((p) => p.length > 0)
  return {
    discarded: cs.discarded === null ? null : ops(cs.discarded),
    parts: parts.length > 0 ? parts : [[]],
  }
}

/** The row an operation changes by name (update, delete, remove, link, unlink), as text. */
const target = (schema: AnySchema, o: Op): string | undefined => {
  const text = (t: string, k: Key) =>
    `${t}:${JSON.stringify(k, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}`
  switch (o.op) {
    case 'add':
      return undefined
    case 'update':
    case 'delete':
      return text(o.table, o.key)
    default: {
      const r = schema.relations[o.table]![o.relation]!
      if (r.kind === 'manyToMany')
        return `${r.through!.table}:${text(o.table, o.key)}~${JSON.stringify(o.child)}`
      return r.kind === 'belongsTo' ? text(o.table, o.key) : text(r.target, o.child)
    }
  }
}
