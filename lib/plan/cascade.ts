/**
 * Delete cascades, folded into set-based steps. Follows the cascade table of DESIGN.md
 * (SQLAlchemy's rules, made explicit):
 *
 * | relationship on the deleted row's table | its related rows                              |
 * |------------------------------------------|-----------------------------------------------|
 * | hasMany/hasOne, default                  | foreign key set to NULL; NOT NULL → OrphanError |
 * | hasMany/hasOne with delete/delete-orphan | deleted, recursively by their own rules        |
 * | hasMany/hasOne with passiveDeletes       | nothing: the database's ON DELETE acts         |
 * | manyToMany                               | association rows deleted                       |
 * | manyToMany with delete                   | association rows and the far side deleted      |
 * | belongsTo with delete                    | the parent deleted too                         |
 *
 * Nothing is loaded into the session: rows a cascade reaches are named by conditions on
 * their foreign keys (`author_id = ANY($1)`). Only a table whose rows the cascade goes on
 * from is read first (a `Collect` step, which returns keys, not rows); around a cycle
 * those reads repeat until no new row appears, so every row is deleted once.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { encodeValue } from '../schema/codec.js'
import { type AnySchema, type ForeignKey, foreignKeyOrder } from '../schema/schema.js'
import type { TableSpec } from '../schema/table.js'
import { planError, type SessionError } from '../session/errors.js'
import { groupBy } from './group.js'
import type {
  Cell,
  CheckStep,
  CollectStep,
  DeleteStep,
  GuardStep,
  NullifyStep,
  Predicate,
  Step,
  StepColumn,
  Values,
} from './step.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A row to delete because the session says so (explicitly, or as an orphan). @category models */
export interface RootDelete {
  readonly table: string
  readonly key: Readonly<Record<string, unknown>>
  /**
   * Conditions the row must still meet, by field: the version read (a `version()`
   * column), the parent a removed orphan belonged to. A row that fails them is stale.
   */
  readonly match: Readonly<Record<string, unknown>>
}

/** An association row to delete (`unlink`, or `remove` on a many-to-many). @category models */
export interface AssociationDelete {
  readonly table: string
  /** The association's two foreign-key fields and their values. */
  readonly values: Readonly<Record<string, unknown>>
}

type Rule =
  | {
      readonly kind: 'delete' | 'nullify' | 'guard'
      readonly from: string
      readonly to: string
      readonly fk: ForeignKey
      readonly relation: string
    }
  | { readonly kind: 'unlink'; readonly from: string; readonly to: string; readonly fk: ForeignKey }
  | {
      readonly kind: 'far'
      readonly from: string
      readonly to: string
      readonly source: ForeignKey
      readonly target: ForeignKey
    }
  | { readonly kind: 'parent'; readonly from: string; readonly to: string; readonly fk: ForeignKey }

/** The rules that act when rows of `table` are deleted. */
const rulesFrom = (schema: AnySchema, table: string): ReadonlyArray<Rule> =>
  Object.values(schema.relations[table] ?? {}).flatMap((r): Rule[] => {
    if (r.kind === 'hasMany' || r.kind === 'hasOne') {
      if (r.passiveDeletes) return []
      const kind =
        r.cascade.delete || r.cascade.deleteOrphan ? 'delete' : r.foreignKey.nullable ? 'nullify' : 'guard'
      return [{ kind, from: table, to: r.target, fk: r.foreignKey, relation: `${table}.${r.name}` }]
    }
    if (r.kind === 'manyToMany') {
      const through = r.through!
      const unlink: Rule[] = r.passiveDeletes
        ? []
        : [{ kind: 'unlink', from: table, to: through.table, fk: r.foreignKey }]
      const far: Rule[] = r.cascade.delete
        ? [{ kind: 'far', from: table, to: r.target, source: r.foreignKey, target: through.targetKey }]
        : []
      return [...unlink, ...far]
    }
    return r.cascade.delete ? [{ kind: 'parent', from: table, to: r.target, fk: r.foreignKey }] : []
  })

const col = (spec: TableSpec, field: string): StepColumn =>
  Object.freeze({ field, column: spec.columnNames[field]!, sqlType: spec.columns[field]!.sqlType })

const or = (any: ReadonlyArray<Predicate>): Predicate => (any.length === 1 ? any[0]! : { _tag: 'Or', any })

// -------------------------------------------------------------------------------------
// the fold of deletes
// -------------------------------------------------------------------------------------

/**
 * The steps that delete `roots` and `associations` with every cascade they start, in an
 * order the foreign keys accept: collects, orphan guards, nullifies, then one delete per
 * table, children first.
 *
 * Shape: `deleteSteps(schema, roots, associations, name)` → `Either<SessionError, Step[]>`;
 * `name(base)` gives unique step names.
 * Errors: `PlanError` `Unsupported` when a cascade would have to go on from a table with
 * a composite primary key (not supported yet).
 * Source: DESIGN.md § Cascade semantics; SQLAlchemy "Cascades".
 * @category destructors
 * @since 0.1.0
 */
export const deleteSteps = (
  schema: AnySchema,
  roots: ReadonlyArray<RootDelete>,
  associations: ReadonlyArray<AssociationDelete>,
  name: (base: string) => string,
): E.Either<SessionError, ReadonlyArray<Step>> => {
  if (roots.length === 0 && associations.length === 0) return E.right([])
  const spec = (t: string) => schema.tables[t]!.$spec
  const rootsOf = groupBy(roots, (r) => r.table)
  const associationsOf = groupBy(associations, (a) => a.table)
  const named = (t: string): ReadonlyArray<RootDelete> => rootsOf.get(t) ?? []
  const links = (t: string): ReadonlyArray<AssociationDelete> => associationsOf.get(t) ?? []
  // 1. every table whose rows may be deleted, and the rules that reach them
  const affected = new Set<string>([...rootsOf.keys(), ...associationsOf.keys()])
  const rules: Rule[] = []
  const seenFrom = new Set<string>()
  const queue = [...rootsOf.keys()]
  while (queue.length > 0) {
    const t = queue.shift()!
    if (seenFrom.has(t)) continue
    seenFrom.add(t)
    for (const r of rulesFrom(schema, t)) {
      rules.push(r)
      if (r.kind === 'nullify' || r.kind === 'guard') continue
      affected.add(r.to)
      if (r.kind !== 'unlink') queue.push(r.to)
    }
  }
  // 2. tables the cascade goes on from must be read first (materialised)
  const fkOrder = foreignKeyOrder(schema)
  const fkComponentOf = componentsOf(schema, [...affected])
  const cycleEdges = schema.foreignKeys.filter(
    (fk) =>
      fk.table !== fk.target &&
      affected.has(fk.table) &&
      affected.has(fk.target) &&
      fkComponentOf.get(fk.table) === fkComponentOf.get(fk.target) &&
      fk.nullable,
  )
  const incoming = (t: string) =>
    rules.filter((r) => r.to === t && r.kind !== 'nullify' && r.kind !== 'guard')
  const neededFields = (t: string): ReadonlySet<string> => {
    const out = new Set<string>([spec(t).primaryKey[0] ?? ''])
    for (const r of rules.filter((x) => x.from === t)) {
      if (r.kind === 'far') out.add(r.source.targetField)
      else if (r.kind === 'parent') out.add(r.fk.field)
      else out.add(r.fk.targetField)
    }
    return out
  }
  // a table the cascade goes on from is read first, unless it is only named explicitly
  // and the cascade needs nothing but its keys (then they are known without a read)
  const materialised = new Set<string>()
  for (const t of new Set(rules.map((r) => r.from))) {
    const keyOnly = [...neededFields(t)].every(
      (f) => spec(t).primaryKey.length === 1 && f === spec(t).primaryKey[0],
    )
    if (incoming(t).length > 0 || !keyOnly) materialised.add(t)
  }
  for (const e of cycleEdges) materialised.add(e.table)
  // rows reached through an association table are read before any delete: with
  // passiveDeletes the database's ON DELETE would empty the association first
  for (const r of rules) if (r.kind === 'far') materialised.add(r.to)
  for (const t of materialised) {
    if (spec(t).primaryKey.length !== 1) {
      return E.left(
        planError('Unsupported', t, `a cascade cannot go on from ${t}: its primary key is composite`),
      )
    }
  }
  // the values of a table's deleted rows, for a field
  const valuesOf = (t: string, field: string): Values => {
    if (materialised.has(t)) return { _tag: 'Collected', table: t, field }
    const s = spec(t)
    return {
      _tag: 'List',
      cells: named(t).map((r) => encodeValue(s.columns[field]!, r.key[field]) as Cell),
    }
  }
  // which rows of a table are deleted, as a predicate (built from explicit keys and incoming rules)
  const reached = (t: string): Predicate[] => {
    const s = spec(t)
    // explicit rows, grouped by the conditions they carry: `id = ANY(…)`, or tuples
    const groups = groupBy(named(t), matchShape)
    const rootPart = [...groups.values()].map((g): Predicate => {
      const fields = [...s.primaryKey, ...Object.keys(g[0]!.match)]
      return fields.length === 1
        ? { _tag: 'In', column: col(s, fields[0]!), values: keyValues(s, g) }
        : {
            _tag: 'Tuples',
            columns: fields.map((f) => col(s, f)),
            rows: g.map((r) =>
              fields.map((f) => encodeValue(s.columns[f]!, f in r.match ? r.match[f] : r.key[f]) as Cell),
            ),
          }
    })
    const assoc = links(t)
    const assocFields = assoc.length === 0 ? [] : Object.keys(assoc[0]!.values)
    const assocPart: Predicate[] =
      assoc.length === 0
        ? []
        : [
            {
              _tag: 'Tuples',
              columns: assocFields.map((f) => col(s, f)),
              rows: assoc.map((a) => assocFields.map((f) => encodeValue(s.columns[f]!, a.values[f]) as Cell)),
            },
          ]
    const viaRules = incoming(t).map((r): Predicate => {
      switch (r.kind) {
        case 'delete':
        case 'unlink':
          return { _tag: 'In', column: col(s, r.fk.field), values: valuesOf(r.from, r.fk.targetField) }
        case 'far': {
          const a = spec(r.source.table)
          return {
            _tag: 'Via',
            column: col(s, r.target.targetField),
            sqlTable: a.name,
            select: col(a, r.target.field),
            where: {
              _tag: 'In',
              column: col(a, r.source.field),
              values: valuesOf(r.from, r.source.targetField),
            },
          }
        }
        case 'parent':
          return { _tag: 'In', column: col(s, r.fk.targetField), values: valuesOf(r.from, r.fk.field) }
        default:
          return { _tag: 'Or', any: [] }
      }
    })
    return [...rootPart, ...assocPart, ...viaRules]
  }
  const deletedOf = new Map<string, Predicate>()
  const deleted = (t: string): Predicate => {
    let p = deletedOf.get(t)
    if (p === undefined) {
      p = materialised.has(t)
        ? {
            _tag: 'In',
            column: col(spec(t), spec(t).primaryKey[0]!),
            values: { _tag: 'Collected', table: t, field: spec(t).primaryKey[0]! },
          }
        : or(reached(t))
      deletedOf.set(t, p)
    }
    return p
  }

  // 3. collects, in rule order; a cycle of rules makes a loop
  const loops = ruleLoops([...materialised], rules)
  const collectOrder = orderCollects([...materialised], rules, fkOrder.order)
  const collects: CollectStep[] = collectOrder.map((t) => {
    const s = spec(t)
    const needed = neededFields(t)
    return Object.freeze({
      _tag: 'Collect' as const,
      name: name(`collect ${s.name}`),
      table: t,
      sqlTable: s.name,
      fields: s.fields.filter((f) => needed.has(f)).map((f) => col(s, f)),
      keys: [col(s, s.primaryKey[0]!)],
      where: or(reached(t)),
      loop: loops.get(t),
    })
  })
  // 4. orphan guards and nullifies of children that stay
  const guards: GuardStep[] = []
  const nullifies: NullifyStep[] = []
  for (const r of rules) {
    if (r.kind !== 'guard' && r.kind !== 'nullify') continue
    const c = spec(r.to)
    const where: Predicate = {
      _tag: 'In',
      column: col(c, r.fk.field),
      values: valuesOf(r.from, r.fk.targetField),
    }
    const unless = affected.has(r.to) ? deleted(r.to) : undefined
    if (r.kind === 'guard') {
      guards.push({
        _tag: 'Guard',
        name: name(`guard ${c.name}.${c.columnNames[r.fk.field]}`),
        table: r.to,
        sqlTable: c.name,
        keys: c.primaryKey.map((f) => col(c, f)),
        where,
        unless,
        relation: r.relation,
        column: c.columnNames[r.fk.field]!,
      })
    } else {
      nullifies.push({
        _tag: 'Nullify',
        name: name(`nullify ${c.name}.${c.columnNames[r.fk.field]}`),
        table: r.to,
        sqlTable: c.name,
        column: col(c, r.fk.field),
        where,
        unless,
      })
    }
  }
  // rows deleted together around a foreign-key cycle are unhooked first
  for (const e of cycleEdges) {
    const c = spec(e.table)
    nullifies.push({
      _tag: 'Nullify',
      name: name(`unhook ${c.name}.${c.columnNames[e.field]}`),
      table: e.table,
      sqlTable: c.name,
      column: col(c, e.field),
      where: deleted(e.table),
      unless: undefined,
    })
  }
  // 5. one delete per table, children first
  // a named row needs checking up front when it carries conditions (another path could
  // delete it whatever its version), or when the database's own ON DELETE CASCADE could
  // remove it before its delete runs
  const cascadedByDatabase = (t: string) =>
    schema.foreignKeys.some((k) => k.table === t && k.onDelete === 'cascade' && affected.has(k.target))
  const checked = new Set([
    ...[...rootsOf]
      .filter(([t, rs]) => cascadedByDatabase(t) || rs.some((r) => matchShape(r) !== ''))
      .map(([t]) => t),
    ...[...associationsOf.keys()].filter(cascadedByDatabase),
  ])
  const deletes: DeleteStep[] = deleteOrder(schema, [...affected], fkOrder.order).map((t) => {
    const s = spec(t)
    const explicit = named(t)
    const assoc = links(t)
    const expectFields =
      explicit.length > 0 ? s.primaryKey : assoc.length > 0 ? Object.keys(assoc[0]!.values) : []
    // nothing to return when no row is named: the row count is all the commit reports
    const returning =
      explicit.length + assoc.length === 0
        ? []
        : [...new Set([...s.primaryKey, ...expectFields])].map((f) => col(s, f))
    return Object.freeze({
      _tag: 'Delete' as const,
      name: name(`delete ${s.name}`),
      table: t,
      sqlTable: s.name,
      where: deleted(t),
      returning,
      expect: {
        columns: expectFields.map((f) => col(s, f)),
        rows: [
          ...explicit.map((r) => s.primaryKey.map((f) => encodeValue(s.columns[f]!, r.key[f]) as Cell)),
          ...assoc.map((a) => expectFields.map((f) => encodeValue(s.columns[f]!, a.values[f]) as Cell)),
        ],
      },
      checked: checked.has(t),
    })
  })
  // rows named by the session are checked first (there, and as read: version, parent),
  // before a cascade — origami's or the database's ON DELETE — may reach them otherwise
  const checks: CheckStep[] = [...rootsOf.keys()]
    .filter((t) => checked.has(t))
    .map((t) => {
      const s = spec(t)
      const byShape = groupBy(named(t), matchShape)
      return {
        _tag: 'Check',
        name: name(`check ${s.name}`),
        table: t,
        sqlTable: s.name,
        keys: s.primaryKey.map((f) => col(s, f)),
        where: or(
          [...byShape.values()].map((g): Predicate => {
            const fields = [...s.primaryKey, ...Object.keys(g[0]!.match)]
            if (fields.length === 1)
              return { _tag: 'In', column: col(s, fields[0]!), values: keyValues(s, g) }
            return {
              _tag: 'Tuples',
              columns: fields.map((f) => col(s, f)),
              rows: g.map((r) =>
                fields.map((f) => encodeValue(s.columns[f]!, f in r.match ? r.match[f] : r.key[f]) as Cell),
              ),
            }
          }),
        ),
        expect: named(t).map((r) => s.primaryKey.map((f) => encodeValue(s.columns[f]!, r.key[f]) as Cell)),
      }
    })
  // association rows to unlink must be there too
  const linkChecks: CheckStep[] = [...associationsOf.keys()]
    .filter((t) => checked.has(t))
    .map((t) => {
      const s = spec(t)
      const rows = links(t)
      const fields = Object.keys(rows[0]!.values)
      const cells = rows.map((a) => fields.map((f) => encodeValue(s.columns[f]!, a.values[f]) as Cell))
      return {
        _tag: 'Check',
        name: name(`check ${s.name}`),
        table: t,
        sqlTable: s.name,
        keys: fields.map((f) => col(s, f)),
        where: { _tag: 'Tuples', columns: fields.map((f) => col(s, f)), rows: cells },
        expect: cells,
      }
    })
  return E.right([...checks, ...linkChecks, ...collects, ...guards, ...nullifies, ...deletes])
}

/** The fields a named row's conditions are on: rows with the same shape share a predicate. */
const matchShape = (r: RootDelete): string => Object.keys(r.match).join(',')

const keyValues = (s: TableSpec, explicit: ReadonlyArray<RootDelete>): Values => ({
  _tag: 'List',
  cells: explicit.map((r) => encodeValue(s.columns[s.primaryKey[0]!]!, r.key[s.primaryKey[0]!]) as Cell),
})

/**
 * The order to delete from tables in: every table before the tables it references, among
 * the tables this plan deletes from only (a foreign-key cycle through a table the cascade
 * does not reach is no cycle here). Rows the database deletes itself count too: a table
 * whose rows are referenced (without an ON DELETE action) from a table the plan leaves
 * to ON DELETE CASCADE, such as the association rows of a passive many-to-many, waits for
 * the deleted table that cascades them away. Tables of a cycle that remains keep the
 * schema's order; their nullable keys are unhooked first.
 */
const deleteOrder = (
  schema: AnySchema,
  tables: ReadonlyArray<string>,
  fkOrder: ReadonlyArray<string>,
): ReadonlyArray<string> => {
  const inSet = new Set(tables)
  const sorted = [...tables].sort((a, b) => fkOrder.indexOf(b) - fkOrder.indexOf(a))
  // referenced by a table still to delete, or by rows a table still to delete takes with
  // it through ON DELETE CASCADE: wait for it
  const blocks = (k: ForeignKey) => k.onDelete === 'no action' || k.onDelete === 'restrict'
  const referrers = (t: string): ReadonlyArray<string> =>
    schema.foreignKeys
      .filter((k) => k.target === t && k.table !== t)
      .flatMap((k) =>
        inSet.has(k.table)
          ? [k.table]
          : blocks(k)
            ? schema.foreignKeys
                .filter(
                  (c) =>
                    c.table === k.table && c.onDelete === 'cascade' && c.target !== t && inSet.has(c.target),
                )
                .map((c) => c.target)
            : [],
      )
  const comp = componentsOf(schema, tables)
  const out: string[] = []
  const placed = new Set<string>()
  while (out.length < sorted.length) {
    const next =
      sorted.find(
        (t) => !placed.has(t) && referrers(t).every((r) => placed.has(r) || comp.get(r) === comp.get(t)),
      ) ?? sorted.find((t) => !placed.has(t))!
    placed.add(next)
    out.push(next)
  }
  return out
}

/** Strongly connected components of the foreign-key graph restricted to some tables. */
const componentsOf = (schema: AnySchema, tables: ReadonlyArray<string>): ReadonlyMap<string, number> => {
  const inSet = new Set(tables)
  const edges = (t: string) =>
    schema.foreignKeys.filter((k) => k.table === t && inSet.has(k.target)).map((k) => k.target)
  return tarjan(tables, edges)
}

/** Loop ids of materialised tables that reach themselves through rules. */
const ruleLoops = (
  tables: ReadonlyArray<string>,
  rules: ReadonlyArray<Rule>,
): ReadonlyMap<string, string> => {
  const inSet = new Set(tables)
  const edges = (t: string) =>
    rules.filter((r) => r.from === t && inSet.has(r.to) && r.kind !== 'unlink').map((r) => r.to)
  const comp = tarjan(tables, edges)
  const out = new Map<string, string>()
  for (const t of tables) {
    const members = tables.filter((x) => comp.get(x) === comp.get(t))
    if (members.length > 1 || edges(t).includes(t)) out.set(t, `loop ${[...members].sort().join('+')}`)
  }
  return out
}

/** Collect order: a table after the tables whose rules reach it; members of a loop together. */
const orderCollects = (
  tables: ReadonlyArray<string>,
  rules: ReadonlyArray<Rule>,
  fkOrder: ReadonlyArray<string>,
): ReadonlyArray<string> => {
  const inSet = new Set(tables)
  const sorted = [...tables].sort((a, b) => fkOrder.indexOf(a) - fkOrder.indexOf(b))
  const preds = (t: string) =>
    rules.filter((r) => r.to === t && inSet.has(r.from) && r.from !== t).map((r) => r.from)
  const comp = tarjan(sorted, (t) => rules.filter((r) => r.from === t && inSet.has(r.to)).map((r) => r.to))
  const out: string[] = []
  const placed = new Set<string>()
  // a loop is ready when every table feeding any of its members from outside is placed
  const members = (t: string) => sorted.filter((x) => comp.get(x) === comp.get(t))
  while (out.length < sorted.length) {
    const next = sorted.find(
      (t) =>
        !placed.has(t) &&
        members(t).every((m) => preds(m).every((p) => placed.has(p) || comp.get(p) === comp.get(t))),
    )!
    const group = sorted.filter((x) => comp.get(x) === comp.get(next) && !placed.has(x))
    for (const g of group) {
      placed.add(g)
      out.push(g)
    }
  }
  return out
}

/** Tarjan's strongly connected components: a component number per node. */
const tarjan = (
  nodes: ReadonlyArray<string>,
  edges: (n: string) => ReadonlyArray<string>,
): ReadonlyMap<string, number> => {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const comp = new Map<string, number>()
  let count = 0
  const visit = (n: string): void => {
    index.set(n, index.size)
    low.set(n, index.get(n)!)
    stack.push(n)
    onStack.add(n)
    for (const m of edges(n)) {
      if (!index.has(m)) {
        visit(m)
        low.set(n, Math.min(low.get(n)!, low.get(m)!))
      } else if (onStack.has(m)) low.set(n, Math.min(low.get(n)!, index.get(m)!))
    }
    if (low.get(n) === index.get(n)) {
      let x: string
      do {
        x = stack.pop()!
        onStack.delete(x)
        comp.set(x, count)
      } while (x !== n)
      count += 1
    }
  }
  for (const n of nodes) if (!index.has(n)) visit(n)
  return comp
}
