/**
 * Update steps: updates of rows already in the database, one step per table, set of
 * changed fields and set of conditions (a version, a parent), rows sorted by key, cells
 * column by column. Pure.
 *
 * @since 0.1.0
 */
import type { TableSpec } from '../schema/table.js'
import { columnCells, fieldsOfShape, type Names, stepColumn } from './cells.js'
import { compareKeys, type KeyedUpdate } from './collect.js'
import type { StepColumn, UpdateStep } from './step.js'

const versionColumn = (spec: TableSpec): StepColumn | undefined => {
  const f = spec.fields.find((x) => spec.columns[x]!.version)
  return f === undefined ? undefined : stepColumn(spec, f)
}

// what each kind of column of an update step is read from
const keyValues = (u: KeyedUpdate) => u.key
const matchValues = (u: KeyedUpdate) => u.match
const patchValues = (u: KeyedUpdate) => u.patch

/** Updates of one table, one statement per set of changed fields and conditions, rows sorted by key. */
export const updateSteps = (
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
          ...spec.primaryKey.map((k) => columnCells(spec, k, g.rows, keyValues)),
          ...g.match.map((m) => columnCells(spec, m, g.rows, matchValues)),
        ]),
        cells: Object.freeze(g.fields.map((f) => columnCells(spec, f, g.rows, patchValues))),
        // nothing when the key is the only condition: the row count says whether every
        // row was found. With conditions (a version, a parent), the key: a row that fails
        // them must be told apart from one that is gone. (Post-updates of rows inserted by
        // this plan return whole rows.)
        returning: g.match.length === 0 ? [] : spec.primaryKey.map((f) => stepColumn(spec, f)),
        bump,
      }),
    )
}
