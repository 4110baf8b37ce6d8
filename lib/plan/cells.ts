/**
 * What the fold's step builders share: cells (values in wire form, or RefKeys), step
 * columns, step names, and the set of fields an object gives. Pure.
 *
 * @since 0.1.0
 */
import { columnCodec, encodeValue } from '../schema/codec.js'
import type { TableSpec } from '../schema/table.js'
import { isRefKey, type RefKey, refKey } from '../session/session.js'
import type { Cell, StepColumn } from './step.js'

/** A column of a step, by field. */
export const stepColumn = (spec: TableSpec, field: string): StepColumn =>
  Object.freeze({ field, column: spec.columnNames[field]!, sqlType: spec.columns[field]!.sqlType })

const refCell = (v: RefKey): Cell =>
  Object.isFrozen(v)
    ? (v as Cell) // the session's own RefKeys are frozen (`refKey`): shared, not copied
    : refKey(v.ref, v.table, v.field)

/** A value as a cell: a RefKey as is, anything else encoded by its column. */
export const cellOf = (spec: TableSpec, field: string, v: unknown): Cell =>
  isRefKey(v) ? refCell(v) : (encodeValue(spec.columns[field]!, v) as Cell)

/** `cellOf` for one column, its codec looked up once: for loops over thousands of rows. */
const cellEncoder = (spec: TableSpec, field: string): ((v: unknown) => Cell) => {
  const codec = columnCodec(spec.columns[field]!)
  return (v) => (v === null || v === undefined ? null : isRefKey(v) ? refCell(v) : (codec.encode(v) as Cell))
}

/**
 * One column of a step: `field` of each row's values (`valuesOf(row)`), encoded with
 * the column's codec looked up once, frozen. A loop: it runs once per cell sent.
 */
export const columnCells = <R>(
  spec: TableSpec,
  field: string,
  rows: ReadonlyArray<R>,
  valuesOf: (row: R) => Readonly<Record<string, unknown>>,
): ReadonlyArray<Cell> => {
  const encode = cellEncoder(spec, field)
  const column = new Array<Cell>(rows.length)
  for (let r = 0; r < rows.length; r++) column[r] = encode(valuesOf(rows[r]!)[field])
  return Object.freeze(column)
}

/** Step names, unique within a plan: `insert books`, then `insert books #2`. */
export interface Names {
  readonly next: (base: string) => string
}
export const namer = (): Names => {
  const seen = new Map<string, number>()
  return {
    next: (base) => {
      const n = (seen.get(base) ?? 0) + 1
      seen.set(base, n)
      return n === 1 ? base : `${base} #${n}`
    },
  }
}

/**
 * The fields an object sets, in declaration order. Consecutive objects usually set the
 * same fields, so the last answer is checked first (a count and a lookup per field,
 * nothing allocated); otherwise it is worked out once per shape. Equal sets of fields
 * come back as the same array, so callers can group rows by it.
 */
export const fieldsOfShape = (
  declared: ReadonlyArray<string>,
  always: (field: string) => boolean = () => false,
) => {
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
