/**
 * What the property suites do to a database, kept apart from the model: an isolated
 * PostgreSQL schema per run (`CREATE SCHEMA`, `SET search_path`, dropped after), a
 * state loaded with plain SQL (not through the session under test), and reads back —
 * as byte-exact text for atomicity, as decoded rows for comparing with the model.
 *
 * `SET search_path` holds for one connection: give the suites a driver with a single
 * connection (`openDriver(url, { max: 1 })`; PGlite always has one).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type AnySchema, type Driver, fromDriver, openDriver } from '../lib/index.js'
import { encodeValue } from '../lib/schema/codec.js'
import { fillOrder } from './arbitraries/state.js'
import { canonical } from './arbitraries/values.js'
import type { Row, State } from './model.js'

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`

/** Runs a statement; a failure is a broken harness, so it throws. */
export const run = async (driver: Driver, text: string, params: ReadonlyArray<unknown> = []) => {
  const r = await driver.query(text, params as unknown[])()
  if (E.isLeft(r)) throw new Error(`properties: ${text}: ${r.left.message}`)
  return r.right.rows
}

let counter = 0

/**
 * Runs `f` with `search_path` set to a new PostgreSQL schema, dropped afterwards.
 * Shape: `isolated(driver, f)` → `Promise<A>`. The name is `origami_prop_<pid>_<n>`.
 * @category destructors
 * @since 0.1.0
 */
export const isolated = async <A>(driver: Driver, f: () => Promise<A>): Promise<A> => {
  counter += 1
  const ns = `origami_prop_${process.pid}_${counter}`
  await run(driver, `CREATE SCHEMA ${ident(ns)}`)
  await run(driver, `SET search_path TO ${ident(ns)}`)
  try {
    return await f()
  } finally {
    await run(driver, 'RESET search_path')
    await run(driver, `DROP SCHEMA ${ident(ns)} CASCADE`)
  }
}

const wire = (schema: AnySchema, t: string, row: Row, nulled: ReadonlySet<string>) => {
  const s = schema.tables[t]!.$spec
  const out: Record<string, unknown> = {}
  for (const f of s.fields) {
    const c = s.columns[f]!
    const v = nulled.has(f) ? null : row[f]
    out[s.columnNames[f]!] =
      v === undefined || v === null ? null : c.sqlType._tag === 'jsonb' ? v : encodeValue(c, v)
  }
  return out
}

/**
 * Creates the schema's tables and loads a state with plain SQL
 * (`json_populate_recordset`); keys to tables loaded later are set by an update after.
 * @category destructors
 * @since 0.1.0
 */
export const load = async (driver: Driver, schema: AnySchema, state: State): Promise<void> => {
  const created = await fromDriver(schema, driver).createAll()()
  if (E.isLeft(created)) throw new Error(`properties: create tables: ${created.left.message}`)
  const order = fillOrder(schema)
  const later = (t: string) =>
    new Set(
      schema.foreignKeys
        .filter((k) => k.table === t && k.target !== t && order.indexOf(k.target) > order.indexOf(t))
        .map((k) => k.field),
    )
  for (const t of order) {
    const rows = state[t] ?? []
    if (rows.length === 0) continue
    const name = ident(schema.tables[t]!.$spec.name)
    await run(driver, `INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, $1::json)`, [
      JSON.stringify(rows.map((r) => wire(schema, t, r, later(t)))),
    ])
  }
  for (const t of order) {
    const deferred = [...later(t)]
    const rows = state[t] ?? []
    if (deferred.length === 0 || rows.length === 0) continue
    const s = schema.tables[t]!.$spec
    const name = ident(s.name)
    const sets = deferred.map((f) => `${ident(s.columnNames[f]!)} = x.${ident(s.columnNames[f]!)}`).join(', ')
    const on = s.primaryKey
      .map((f) => `t.${ident(s.columnNames[f]!)} = x.${ident(s.columnNames[f]!)}`)
      .join(' AND ')
    await run(
      driver,
      `UPDATE ${name} AS t SET ${sets} FROM json_populate_recordset(NULL::${name}, $1::json) AS x WHERE ${on}`,
      [JSON.stringify(rows.map((r) => wire(schema, t, r, new Set())))],
    )
  }
}

/** Empties every table of the schema (for a second run on the same tables). */
export const truncate = async (driver: Driver, schema: AnySchema): Promise<void> => {
  const names = Object.values(schema.tables).map((t) => ident(t.$spec.name))
  await run(driver, `TRUNCATE ${names.join(', ')}`)
}

/**
 * Every table's rows as PostgreSQL's own text of each row, sorted: equal snapshots are
 * byte-for-byte equal tables. @category destructors
 * @since 0.1.0
 */
export const snapshot = async (
  driver: Driver,
  schema: AnySchema,
): Promise<Readonly<Record<string, ReadonlyArray<string>>>> => {
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const t of Object.keys(schema.tables)) {
    const rows = await run(
      driver,
      `SELECT t::text AS r FROM ${ident(schema.tables[t]!.$spec.name)} AS t ORDER BY 1`,
    )
    out[t] = rows.map((r) => String(r.r))
  }
  return out
}

/** A state as canonical text: per table, the sorted rows as `field=value` lists. */
export const canonicalState = (
  schema: AnySchema,
  state: State,
): Readonly<Record<string, ReadonlyArray<string>>> =>
  Object.fromEntries(
    Object.keys(schema.tables).map((t) => {
      const s = schema.tables[t]!.$spec
      return [
        t,
        (state[t] ?? [])
          .map((r) => s.fields.map((f) => `${f}=${canonical(s.columns[f]!.sqlType, r[f])}`).join(' '))
          .sort(),
      ]
    }),
  )

/**
 * The rows of every table, read and decoded by origami's reads.
 * @category destructors
 * @since 0.1.0
 */
export const readState = async (driver: Driver, schema: AnySchema): Promise<State> => {
  const db = fromDriver(schema, driver)
  const out: Record<string, ReadonlyArray<Row>> = {}
  for (const [t, table] of Object.entries(schema.tables)) {
    const r = await db.all(table)()
    if (E.isLeft(r)) throw new Error(`properties: read ${t}: ${r.left.message}`)
    out[t] = r.right as ReadonlyArray<Row>
  }
  return out
}

/**
 * A one-connection driver on `url`, opened again every `every` uses: a PostgreSQL
 * connection that created and dropped thousands of schemas (and prepared statements on
 * them) grows slow, so long runs start a new one now and then.
 * Shape: `recycled(url, every?)` → `{ driver(): Promise<Driver>, close(): Promise<void> }`.
 * Units: `every` counts calls of `driver()` (default 100).
 * @category constructors
 * @since 0.1.0
 */
export const recycled = (url: string | undefined, every = 100) => {
  let current: Driver | undefined
  let uses = 0
  return {
    driver: async (): Promise<Driver> => {
      if (current === undefined || uses >= every) {
        await current?.close()()
        const opened = await openDriver(url, { max: 1 })()
        if (E.isLeft(opened)) throw new Error(`properties: ${opened.left.message}`)
        current = opened.right
        uses = 0
      }
      uses += 1
      return current
    },
    close: async (): Promise<void> => {
      await current?.close()()
      current = undefined
    },
  }
}
