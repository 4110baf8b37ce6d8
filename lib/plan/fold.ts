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
import { columnCodec, encodeValue } from '../schema/codec.js'
import { type AnySchema, foreignKeyOrder } from '../schema/schema.js'
import { keyText, type TableSpec } from '../schema/table.js'
import { planError, type SessionError } from '../session/errors.js'
import type { RefKey, Session } from '../session/session.js'
import { deleteSteps } from './cascade.js'
import { collect, compareKeys, type KeyedUpdate, type PendingAdd } from './collect.js'
import { groupBy } from './group.js'
import type { Cell, InsertStep, Plan, Step, StepColumn, UpdateStep } from './step.js'

const isRefKey = (v: unknown): v is RefKey =>
  typeof v === 'object' && v !== null && (v as RefKey)._tag === 'RefKey'

const stepColumn = (spec: TableSpec, field: string): StepColumn =>
  Object.freeze({ field, column: spec.columnNames[field]!, sqlType: spec.columns[field]!.sqlType })

const refCell = (v: RefKey): Cell =>
  Object.isFrozen(v)
    ? (v as Cell) // the session's own RefKeys are frozen (`refKey`): shared, not copied
    : Object.freeze({ _tag: 'RefKey', ref: v.ref, table: v.table, field: v.field })

const cellOf = (spec: TableSpec, field: string, v: unknown): Cell =>
  isRefKey(v) ? refCell(v) : (encodeValue(spec.columns[field]!, v) as Cell)

/** `cellOf` for one column, its codec looked up once: for loops over thousands of rows. */
const cellEncoder = (spec: TableSpec, field: string): ((v: unknown) => Cell) => {
  const codec = columnCodec(spec.columns[field]!)
  return (v) => (v === null || v === undefined ? null : isRefKey(v) ? refCell(v) : (codec.encode(v) as Cell))
}

/**
 * The cells of pending rows, column by column: one frozen array per field, a cell per
 * row (missing values as NULL). Loops, not closures: this runs once per inserted cell.
 */
const columnsOf = (
  spec: TableSpec,
  fields: ReadonlyArray<string>,
  rows: ReadonlyArray<PendingAdd>,
): ReadonlyArray<ReadonlyArray<Cell>> => {
  const out = new Array<ReadonlyArray<Cell>>(fields.length)
  for (let c = 0; c < fields.length; c++) {
    const f = fields[c]!
    const encode = cellEncoder(spec, f)
    const column = new Array<Cell>(rows.length)
    for (let r = 0; r < rows.length; r++) column[r] = encode(rows[r]!.values[f])
    out[c] = Object.freeze(column)
  }
  return Object.freeze(out)
}

/**
 * Column types whose stored value is exactly the value sent and whose driver value is
 * the cell itself (a number, a string, a boolean): an insert need not read them back.
 * Anything the server may normalise (numeric scale, float4 rounding, uuid case, jsonb
 * key order, timestamps) or that decodes to another JavaScript type is returned.
 */
const sentAsIs = (spec: TableSpec, field: string): boolean => {
  const t = spec.columns[field]!.sqlType._tag
  return t === 'integer' || t === 'serial' || t === 'text' || t === 'varchar' || t === 'boolean'
}

const isSequence = (spec: TableSpec, field: string): boolean => {
  const t = spec.columns[field]!.sqlType._tag
  return t === 'serial' || t === 'bigserial'
}

const versionColumn = (spec: TableSpec): StepColumn | undefined => {
  const f = spec.fields.find((x) => spec.columns[x]!.version)
  return f === undefined ? undefined : stepColumn(spec, f)
}

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

/** Step names, unique within a plan: `insert books`, then `insert books #2`. */
interface Names {
  readonly next: (base: string) => string
}
const namer = (): Names => {
  const seen = new Map<string, number>()
  return {
    next: (base) => {
      const n = (seen.get(base) ?? 0) + 1
      seen.set(base, n)
      return n === 1 ? base : `${base} #${n}`
    },
  }
}

/** Orders pending rows into insert steps, with post-updates for references that point forward. */
const insertSteps = (
  schema: AnySchema,
  adds: ReadonlyMap<string, PendingAdd>,
  order: ReadonlyArray<string>,
  names: Names,
): E.Either<SessionError, { inserts: InsertStep[]; postUpdates: UpdateStep[] }> => {
  const position = new Map(order.map((t, i) => [t, i]))
  const inserted = new Set<string>()
  const inserts: InsertStep[] = []
  const postUpdates: UpdateStep[] = []
  const byTable = groupBy(adds.values(), (a) => a.table)
  // A row can wait for another pending row only through a foreign key into its own table
  // or a table inserted later (a cycle): keys into earlier tables are always inserted by
  // then. Only those fields are looked at, and only those tables' rows are tracked.
  const waiting = new Map<string, string[]>()
  const tracked = new Set<string>()
  for (const fk of schema.foreignKeys) {
    if (position.get(fk.target)! < position.get(fk.table)!) continue
    const fields = waiting.get(fk.table)
    if (fields === undefined) waiting.set(fk.table, [fk.field])
    else if (!fields.includes(fk.field)) fields.push(fk.field)
    tracked.add(fk.target)
  }
  const refs = new Map<string, ReadonlyArray<string>>()
  const noRefs: ReadonlyArray<string> = []
  for (const a of adds.values()) {
    const fields = waiting.get(a.table)
    if (fields === undefined) continue
    const found: string[] = []
    for (const f of fields) {
      const v = a.values[f]
      if (isRefKey(v) && adds.has(v.ref)) found.push(f)
    }
    if (found.length > 0) refs.set(a.ref, found)
  }
  const refsOf = (a: PendingAdd): ReadonlyArray<string> => refs.get(a.ref) ?? noRefs
  /** The pending row a field of `a` still waits for (a post-update may have nulled it). */
  const waitsFor = (a: PendingAdd, f: string): RefKey | undefined => {
    const v = a.values[f]
    return isRefKey(v) && !inserted.has(v.ref) ? v : undefined
  }
  const blocked = (a: PendingAdd): boolean => {
    for (const f of refsOf(a)) if (waitsFor(a, f) !== undefined) return true
    return false
  }
  for (const table of order) {
    const spec = schema.tables[table]!.$spec
    let remaining = byTable.get(table) ?? []
    if (!waiting.has(table)) {
      // nothing here can wait for another pending row: one level
      if (remaining.length > 0) inserts.push(...groupInserts(spec, table, remaining, names))
      if (tracked.has(table)) for (const a of remaining) inserted.add(a.ref)
      continue
    }
    while (remaining.length > 0) {
      // references into a table that comes later (a cycle between tables) become post-updates
      for (let i = 0; i < remaining.length; i++) {
        for (const f of refsOf(remaining[i]!)) {
          const a = remaining[i]!
          const v = waitsFor(a, f)
          if (v === undefined) continue
          const other = adds.get(v.ref)!
          if (other.table !== table && position.get(other.table)! > position.get(table)!) {
            const e = postUpdate(spec, table, a, f, v, names, postUpdates)
            if (E.isLeft(e)) return e
            remaining[i] = e.right
          }
        }
      }
      let ready: PendingAdd[] = []
      const rest: PendingAdd[] = []
      for (const a of remaining) (blocked(a) ? rest : ready).push(a)
      if (ready.length === 0) {
        // rows of this table referencing each other in a ring: break it at the first row
        let a = remaining[0]!
        for (const f of refsOf(a)) {
          const v = waitsFor(a, f)
          if (v === undefined) continue
          const e = postUpdate(spec, table, a, f, v, names, postUpdates)
          if (E.isLeft(e)) return e
          a = e.right
        }
        ready = [a]
        rest.splice(0, 1)
      }
      inserts.push(...groupInserts(spec, table, ready, names))
      if (tracked.has(table)) for (const a of ready) inserted.add(a.ref)
      remaining = rest
    }
  }
  return E.right({ inserts, postUpdates })
}

/**
 * Breaks a reference that points forward: the row is inserted with NULL in `field` (the
 * row returned) and a post-update sets it after (pushed to `out`).
 */
const postUpdate = (
  spec: TableSpec,
  table: string,
  a: PendingAdd,
  field: string,
  v: RefKey,
  names: Names,
  out: UpdateStep[],
): E.Either<SessionError, PendingAdd> => {
  if (!spec.columns[field]!.nullable) {
    return E.left(
      planError(
        'Cycle',
        table,
        `${table}.${field} of ${a.ref} refers to ${v.ref}, which must be inserted after it, and ${field} is NOT NULL: insert one side first or make the key nullable`,
      ),
    )
  }
  out.push(
    Object.freeze({
      _tag: 'Update',
      name: names.next(`post-update ${spec.name}.${spec.columnNames[field]}`),
      table,
      sqlTable: spec.name,
      keys: spec.primaryKey.map((k) => stepColumn(spec, k)),
      columns: [stepColumn(spec, field)],
      keyCells: spec.primaryKey.map((k) => [
        Object.freeze({ _tag: 'RefKey' as const, ref: a.ref, table: a.table, field: k }),
      ]),
      cells: [[cellOf(spec, field, v)]],
      returning: spec.fields.map((f) => stepColumn(spec, f)),
      bump: undefined,
    }),
  )
  return E.right({ table: a.table, ref: a.ref, values: { ...a.values, [field]: null } })
}

/** Rows of one table and level, split by the set of columns they give (the rest take defaults). */
const groupInserts = (
  spec: TableSpec,
  table: string,
  rows: ReadonlyArray<PendingAdd>,
  names: Names,
): InsertStep[] => {
  // the columns a row gives (nullable columns without a default always: NULL is their default)
  const fieldsOfValues = fieldsOfShape(
    spec.fields,
    (f) => spec.columns[f]!.nullable && spec.columns[f]!.default === undefined,
  )
  // rows giving the same fields share one array of them (`fieldsOfShape`): grouped by it
  const groups = groupBy(rows, (a) => fieldsOfValues(a.values))
  const keys = spec.primaryKey.map((k) => stepColumn(spec, k))
  return [...groups].flatMap(([fields, group]) => {
    // what the database decides; nothing at all when every column is given as is
    const decided = spec.fields.filter((f) => !fields.includes(f) || !sentAsIs(spec, f))
    const returning = (
      decided.length === 0 ? [] : [...spec.primaryKey.filter((k) => !decided.includes(k)), ...decided]
    ).map((f) => stepColumn(spec, f))
    const match =
      spec.primaryKey.length > 0 && spec.primaryKey.every((k) => fields.includes(k))
        ? 'key'
        : spec.primaryKey.length === 1 && isSequence(spec, spec.primaryKey[0]!)
          ? 'sequence'
          : 'single'
    // a row that gives no column at all is inserted alone, with DEFAULT VALUES
    const chunks = match === 'single' || fields.length === 0 ? group.map((r) => [r]) : [group]
    return chunks.map((chunk) =>
      Object.freeze({
        _tag: 'Insert' as const,
        name: names.next(`insert ${spec.name}`),
        table,
        sqlTable: spec.name,
        columns: fields.map((f) => stepColumn(spec, f)),
        refs: Object.freeze(chunk.map((a) => a.ref)),
        cells: columnsOf(spec, fields, chunk),
        returning,
        keys,
        match,
      }),
    )
  })
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

/**
 * The fields an object sets, in declaration order. Consecutive objects usually set the
 * same fields, so the last answer is checked first (a count and a lookup per field,
 * nothing allocated); otherwise it is worked out once per shape. Equal sets of fields
 * come back as the same array, so callers can group rows by it.
 */
const fieldsOfShape = (declared: ReadonlyArray<string>, always: (field: string) => boolean = () => false) => {
  const shapes = new Map<string, string[]>()
  const canonical = new Map<string, string[]>()
  let lastKeys: ReadonlyArray<string> | undefined
  let lastFields: string[] = []
  return (o: Readonly<Record<string, unknown>>): string[] => {
    if (lastKeys !== undefined) {
      let n = 0
      for (const _ in o) n += 1
      if (n === lastKeys.length && hasAll(o, lastKeys)) return lastFields
    }
    const keys = Object.keys(o)
    const shape = keys.join(',')
    let fields = shapes.get(shape)
    if (fields === undefined) {
      const found = declared.filter((f) => f in o || always(f))
      // one array per set of fields, whatever order the keys came in: callers group by it
      const id = found.join(',')
      fields = canonical.get(id) ?? found
      canonical.set(id, fields)
      shapes.set(shape, fields)
    }
    lastKeys = keys
    lastFields = fields
    return fields
  }
}

/** Whether `o` has every one of `keys` (a loop: no closure per row). */
const hasAll = (o: Readonly<Record<string, unknown>>, keys: ReadonlyArray<string>): boolean => {
  for (let i = 0; i < keys.length; i++) if (!(keys[i]! in o)) return false
  return true
}

/** One column of an update step: `field` of each row's key, conditions or patch, frozen. */
const updateColumn = (
  spec: TableSpec,
  field: string,
  rows: ReadonlyArray<KeyedUpdate>,
  from: 'key' | 'match' | 'patch',
): ReadonlyArray<Cell> => {
  const encode = cellEncoder(spec, field)
  const values =
    from === 'key'
      ? (u: KeyedUpdate) => u.key
      : from === 'match'
        ? (u: KeyedUpdate) => u.match
        : (u: KeyedUpdate) => u.patch
  const column = new Array<Cell>(rows.length)
  for (let r = 0; r < rows.length; r++) column[r] = encode(values(rows[r]!)[field])
  return Object.freeze(column)
}

/** Updates of one table, one statement per set of changed fields and conditions, rows sorted by key. */
const updateSteps = (
  spec: TableSpec,
  table: string,
  updates: ReadonlyArray<KeyedUpdate>,
  names: Names,
): ReadonlyArray<UpdateStep> => {
  const groups = new Map<
    string[],
    Map<string[], { fields: string[]; match: string[]; rows: KeyedUpdate[] }>
  >()
  // rows in key order; a single numeric key (the usual serial) compares as numbers directly
  const pk = spec.primaryKey
  const numeric =
    pk.length === 1 &&
    ['serial', 'integer', 'bigserial', 'bigint'].includes(spec.columns[pk[0]!]!.sqlType._tag)
  const only = pk[0]!
  const byKey = numeric
    ? (a: KeyedUpdate, b: KeyedUpdate) => {
        const x = a.key[only] as number
        const y = b.key[only] as number
        return x < y ? -1 : x > y ? 1 : 0
      }
    : (a: KeyedUpdate, b: KeyedUpdate) => compareKeys(pk, a.key, b.key)
  const fieldsOf = fieldsOfShape(spec.fields)
  const matchOf = fieldsOfShape(spec.fields)
  for (const u of updates.filter((x) => x.table === table).sort(byKey)) {
    const fields = fieldsOf(u.patch)
    if (fields.length === 0) continue
    const match = matchOf(u.match)
    let byMatch = groups.get(fields)
    if (byMatch === undefined) {
      byMatch = new Map()
      groups.set(fields, byMatch)
    }
    const g = byMatch.get(match)
    if (g === undefined) byMatch.set(match, { fields, match, rows: [u] })
    else g.rows.push(u)
  }
  const bump = versionColumn(spec)
  return [...groups.values()]
    .flatMap((m) => [...m.values()])
    .map((g) =>
      Object.freeze({
        _tag: 'Update' as const,
        name: names.next(`update ${spec.name}`),
        table,
        sqlTable: spec.name,
        keys: [...spec.primaryKey, ...g.match].map((k) => stepColumn(spec, k)),
        columns: g.fields.map((f) => stepColumn(spec, f)),
        keyCells: Object.freeze([
          ...spec.primaryKey.map((k) => updateColumn(spec, k, g.rows, 'key')),
          ...g.match.map((m) => updateColumn(spec, m, g.rows, 'match')),
        ]),
        cells: Object.freeze(g.fields.map((f) => updateColumn(spec, f, g.rows, 'patch'))),
        // nothing when the key is the only condition: the row count says whether every
        // row was found. With conditions (a version, a parent), the key: a row that fails
        // them must be told apart from one that is gone. (Post-updates of rows inserted by
        // this plan return whole rows.)
        returning: g.match.length === 0 ? [] : spec.primaryKey.map((f) => stepColumn(spec, f)),
        bump,
      }),
    )
}
