/**
 * Insert steps: pending rows ordered parents first along the foreign-key graph (rows of
 * one table that reference each other in levels; a reference into a later table, a
 * cycle, broken by inserting NULL and updating after, SQLAlchemy's post_update), rows of
 * one table and level with the same columns in one step, their cells column by column.
 * Pure.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnySchema } from '../schema/schema.js'
import type { TableSpec } from '../schema/table.js'
import { planError, type SessionError } from '../session/errors.js'
import { isRefKey, type RefKey, refKey } from '../session/session.js'
import { cellOf, columnCells, fieldsOfShape, type Names, stepColumn } from './cells.js'
import type { PendingAdd } from './collect.js'
import { groupBy } from './group.js'
import type { InsertStep, UpdateStep } from './step.js'

const valuesOfAdd = (a: PendingAdd): Readonly<Record<string, unknown>> => a.values

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

/** Orders pending rows into insert steps, with post-updates for references that point forward. */
export const insertSteps = (
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
      keyCells: spec.primaryKey.map((k) => [refKey(a.ref, a.table, k)]),
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
        // column by column, missing values as NULL
        cells: Object.freeze(fields.map((f) => columnCells(spec, f, chunk, valuesOfAdd))),
        returning,
        keys,
        match,
      }),
    )
  })
}
