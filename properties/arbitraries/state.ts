/**
 * Valid database states of a schema: rows that satisfy every primary, unique and
 * foreign key, built so by construction (row counts cut where a NOT NULL parent is
 * missing, one-to-one keys spread over distinct parents), so shrinking keeps them valid.
 *
 * Supported tables: an *entity* has a one-column integer primary key (`serial`,
 * `integer`, `bigint`, `bigserial`); an *association* has a primary key made of foreign
 * keys. Rows get keys 1, 2, 3…; every column gets a value (defaults are not relied on),
 * a `version()` column starts at 1.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import type { AnySchema, ForeignKey } from '../../lib/index.js'
import type { State } from '../model.js'
import { columnValue } from './values.js'

const integerKeys = new Set(['serial', 'integer', 'bigint', 'bigserial'])

/** How the arbitraries see a table. @category models */
export type TableKind = 'entity' | 'association'

/**
 * Whether a table is an entity, an association, or unsupported (with the reason).
 * @category destructors
 * @since 0.1.0
 */
export const tableKind = (schema: AnySchema, t: string): TableKind | string => {
  const s = schema.tables[t]!.$spec
  const fkFields = new Set(schema.foreignKeys.filter((k) => k.table === t).map((k) => k.field))
  if (
    s.primaryKey.length === 1 &&
    integerKeys.has(s.columns[s.primaryKey[0]!]!.sqlType._tag) &&
    !fkFields.has(s.primaryKey[0]!)
  )
    return 'entity'
  if (s.primaryKey.length > 0 && s.primaryKey.every((f) => fkFields.has(f))) return 'association'
  return `${s.name}: the property suites need a one-column integer primary key, or a primary key made of foreign keys`
}

/** A key value of an entity table: a number, or a bigint for int8 keys. */
export const keyValue = (schema: AnySchema, t: string, n: number): unknown => {
  const s = schema.tables[t]!.$spec
  const tag = s.columns[s.primaryKey[0]!]!.sqlType._tag
  return tag === 'bigint' || tag === 'bigserial' ? BigInt(n) : n
}

const keysOf = (schema: AnySchema, t: string) => schema.foreignKeys.filter((k) => k.table === t)
const isUnique = (schema: AnySchema, fk: ForeignKey) =>
  schema.tables[fk.table]!.$spec.unique.some((g) => g.length === 1 && g[0] === fk.field)

/** Tables so that each comes after the targets of its NOT NULL keys (when it can). */
export const fillOrder = (schema: AnySchema): ReadonlyArray<string> => {
  const left = Object.keys(schema.tables)
  const out: string[] = []
  while (left.length > 0) {
    const i = left.findIndex((t) =>
      keysOf(schema, t).every((k) => k.nullable || k.target === t || out.includes(k.target)),
    )
    out.push(...left.splice(i < 0 ? 0 : i, 1))
  }
  return out
}

/**
 * Valid states of a schema.
 * Shape: `stateOf(schema, { maxRows? })` → `Arbitrary<State>`. Units: rows per table
 * (default at most 4).
 * Errors: throws `TypeError` naming a table that is neither an entity nor an
 * association (see the module comment).
 * @category constructors
 * @since 0.1.0
 */
export const stateOf = (
  schema: AnySchema,
  options: { readonly maxRows?: number } = {},
): fc.Arbitrary<State> => {
  const tables = Object.keys(schema.tables)
  for (const t of tables) {
    const k = tableKind(schema, t)
    if (k !== 'entity' && k !== 'association') throw new TypeError(k)
  }
  const raw = Object.fromEntries(
    tables.map((t) => {
      const s = schema.tables[t]!.$spec
      const fkFields = new Set(keysOf(schema, t).map((k) => k.field))
      const plain = s.fields.filter(
        (f) => !fkFields.has(f) && !s.primaryKey.includes(f) && !s.columns[f]!.version,
      )
      return [
        t,
        fc.record({
          offset: fc.nat(7),
          rows: fc.array(
            fc.record({
              picks: fc.array(fc.option(fc.nat(7), { freq: 3 }), {
                minLength: fkFields.size,
                maxLength: fkFields.size,
              }),
              values: fc.record(Object.fromEntries(plain.map((f) => [f, columnValue(s.columns[f]!)]))),
            }),
            { maxLength: options.maxRows ?? 4 },
          ),
        }),
      ] as const
    }),
  )
  return fc.record(raw).map((r) => {
    // how many rows each table keeps: a NOT NULL key needs a parent row; a unique NOT NULL key a distinct one
    const count: Record<string, number> = {}
    for (const t of fillOrder(schema)) {
      let n = r[t]!.rows.length
      for (const k of keysOf(schema, t)) {
        if (k.nullable || k.target === t) continue
        const parents = count[k.target] ?? 0
        n = Math.min(
          n,
          isUnique(schema, k) || tableKind(schema, t) === 'association' ? parents : parents > 0 ? n : 0,
        )
      }
      count[t] = n
    }
    const ids = (t: string) => Array.from({ length: count[t]! }, (_, i) => keyValue(schema, t, i + 1))
    const out: Record<string, Array<Record<string, unknown>>> = {}
    for (const t of tables) {
      const s = schema.tables[t]!.$spec
      const keys = keysOf(schema, t)
      const rows = r[t]!.rows.slice(0, count[t])
      const made = rows.map((row, i) => {
        const v: Record<string, unknown> = { ...row.values }
        if (tableKind(schema, t) === 'entity') v[s.primaryKey[0]!] = keyValue(schema, t, i + 1)
        const vf = s.fields.find((f) => s.columns[f]!.version)
        if (vf !== undefined) v[vf] = 1
        keys.forEach((k, j) => {
          const parents = ids(k.target)
          const pick = row.picks[j] ?? null
          const pk = s.primaryKey.includes(k.field)
          if (parents.length === 0 || (pick === null && k.nullable && !pk)) v[k.field] = null
          else if (isUnique(schema, k)) {
            v[k.field] = i < parents.length ? parents[(i + r[t]!.offset) % parents.length] : null
          } else v[k.field] = parents[(pick ?? 0) % parents.length]
        })
        return v
      })
      // NOT NULL one-to-one keys beyond the parents' count, and repeated association keys, go
      const seen = new Set<string>()
      out[t] = made.filter((v) => {
        if (keys.some((k) => !k.nullable && v[k.field] === null)) return false
        if (tableKind(schema, t) !== 'association') return true
        const id = JSON.stringify(s.primaryKey.map((f) => String(v[f])))
        if (seen.has(id)) return false
        seen.add(id)
        return true
      })
    }
    return out
  })
}
