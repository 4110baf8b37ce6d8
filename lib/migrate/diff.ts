/**
 * The diff: what turns the live database's catalog into the schema value's, as an ordered
 * list of operations — Alembic's autogenerate, without its guesses.
 *
 * Renames are never guessed and never prompted for: a table or column renamed in the
 * schema value says so (`renamedFrom`), and becomes `ALTER … RENAME`. An undeclared
 * rename shows up as a drop and an add, and the diff returns a hint naming the
 * declaration that would make it a rename.
 *
 * Order (each phase sees the names the previous one left):
 * 1. renames (tables, then columns);
 * 2. drops of foreign keys, indexes, unique, check and primary-key constraints that go
 *    away or change, including every foreign key and index of a table that goes away;
 * 3. new tables, parents before children (foreign-key order); a foreign key to a table
 *    created later, or in a cycle, is added in phase 5;
 * 4. new columns, then type changes, defaults and nullability of kept columns;
 * 5. new primary keys, unique and check constraints, foreign keys, indexes;
 * 6. dropped columns, then dropped tables, children before parents.
 * The downgrade is the inverse of each operation in reverse order (`inverse`).
 *
 * @since 0.1.0
 */
import type {
  Catalog,
  CatalogColumn,
  CatalogForeignKey,
  CatalogIndex,
  CatalogTable,
} from '../dialects/postgres/catalog.js'
import type { AnySchema } from '../schema/schema.js'
import type { ColumnDef, ForeignKeyDef, IndexDef, Operation, TableDef } from './operation.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Declared renames: new SQL name → old SQL name, for tables and, per (new) table name,
 * for columns.
 * @category models
 * @since 0.1.0
 */
export interface Renames {
  readonly tables: Readonly<Record<string, string>>
  readonly columns: Readonly<Record<string, Readonly<Record<string, string>>>>
}

/**
 * What `diff` found: the operations, hints about undeclared renames, and warnings about
 * changes that will need a hand (e.g. a NOT NULL column added to a table with rows).
 * @category models
 * @since 0.1.0
 */
export interface Diff {
  readonly operations: ReadonlyArray<Operation>
  readonly hints: ReadonlyArray<string>
  readonly warnings: ReadonlyArray<string>
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The renames a schema value declares (`.renamedFrom()` on columns, `renamedFrom` in a
 * table's options), in SQL names.
 * Shape: `renamesOf(schema)` → `Renames`. Errors: none.
 * @category constructors
 * @since 0.1.0
 */
export const renamesOf = (s: AnySchema): Renames => {
  const tables: Record<string, string> = {}
  const columns: Record<string, Record<string, string>> = {}
  for (const t of Object.values(s.tables)) {
    const spec = t.$spec
    if (spec.renamedFrom !== undefined) tables[spec.name] = spec.renamedFrom
    for (const f of spec.fields) {
      const from = spec.columns[f]!.renamedFrom
      if (from !== undefined) columns[spec.name] = { ...columns[spec.name], [spec.columnNames[f]!]: from }
    }
  }
  return { tables, columns }
}

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

const serialName: Readonly<Record<string, string>> = {
  smallint: 'smallserial',
  integer: 'serial',
  bigint: 'bigserial',
}

/** A catalog column as an operation writes it (`serial` for an owned-sequence integer). */
const columnDef = (c: CatalogColumn): ColumnDef => ({
  name: c.name,
  type: c.serial ? (serialName[c.type] ?? c.type) : c.type,
  ...(c.nullable ? {} : { notNull: true }),
  ...(c.default === undefined ? {} : { default: c.default }),
})

const fkDef = (fk: CatalogForeignKey): ForeignKeyDef => ({
  name: fk.name,
  columns: fk.columns,
  targetTable: fk.targetTable,
  targetColumns: fk.targetColumns,
  ...(fk.onDelete === 'no action' ? {} : { onDelete: fk.onDelete }),
  ...(fk.onUpdate === 'no action' ? {} : { onUpdate: fk.onUpdate }),
})

const indexDef = (ix: CatalogIndex): IndexDef => ({
  name: ix.name,
  columns: ix.columns,
  ...(ix.unique ? { unique: true } : {}),
  ...(ix.plain ? {} : { definition: ix.definition }),
})

const tableDef = (t: CatalogTable, foreignKeys: ReadonlyArray<CatalogForeignKey>): TableDef => ({
  table: t.name,
  columns: t.columns.map(columnDef),
  ...(t.primaryKey ? { primaryKey: { name: t.primaryKey.name, columns: t.primaryKey.columns } } : {}),
  ...(t.uniques.length > 0 ? { uniques: t.uniques.map((u) => ({ name: u.name, columns: u.columns })) } : {}),
  ...(t.checks.length > 0
    ? { checks: t.checks.map((c) => ({ name: c.name, expression: c.expression })) }
    : {}),
  ...(foreignKeys.length > 0 ? { foreignKeys: foreignKeys.map(fkDef) } : {}),
})

const cols = (c: ReadonlyArray<string>): string => c.join(',')
const fkKey = (fk: CatalogForeignKey): string =>
  `${cols(fk.columns)}>${fk.targetTable}(${cols(fk.targetColumns)})/${fk.onDelete}/${fk.onUpdate}`
const indexKey = (ix: CatalogIndex): string =>
  ix.plain ? `${ix.unique ? 'u' : ''}(${cols(ix.columns)})` : ix.definition

/** The live catalog with declared renames applied to names and to every reference. */
const applyRenames = (
  live: Catalog,
  desired: Catalog,
  r: Renames,
): { catalog: Catalog; ops: Operation[] } => {
  const has = (c: Catalog, n: string) => c.tables.some((t) => t.name === n)
  const tableOps: Operation[] = []
  const columnOps: Operation[] = []
  const tableName = new Map<string, string>()
  for (const [to, from] of Object.entries(r.tables)) {
    if (has(desired, to) && !has(live, to) && has(live, from) && !has(desired, from)) {
      tableName.set(from, to)
      tableOps.push({ op: 'renameTable', from, to })
    }
  }
  const columnName = new Map<string, Map<string, string>>()
  for (const t of live.tables) {
    const name = tableName.get(t.name) ?? t.name
    const want = desired.tables.find((d) => d.name === name)
    const declared = r.columns[name] ?? {}
    const m = new Map<string, string>()
    for (const [to, from] of Object.entries(declared)) {
      const inLive = (c: string) => t.columns.some((x) => x.name === c)
      const inWant = (c: string) => want?.columns.some((x) => x.name === c) === true
      if (inWant(to) && !inLive(to) && inLive(from) && !inWant(from)) {
        m.set(from, to)
        columnOps.push({ op: 'renameColumn', table: name, from, to })
      }
    }
    columnName.set(t.name, m)
  }
  const col = (table: string) => (c: string) => columnName.get(table)?.get(c) ?? c
  const tables = live.tables.map((t): CatalogTable => {
    const c = col(t.name)
    return {
      ...t,
      name: tableName.get(t.name) ?? t.name,
      columns: t.columns.map((x) => ({ ...x, name: c(x.name) })),
      primaryKey: t.primaryKey && { ...t.primaryKey, columns: t.primaryKey.columns.map(c) },
      uniques: t.uniques.map((u) => ({ ...u, columns: u.columns.map(c) })),
      indexes: t.indexes.map((ix) => ({ ...ix, columns: ix.plain ? ix.columns.map(c) : ix.columns })),
      foreignKeys: t.foreignKeys.map((fk) => ({
        ...fk,
        columns: fk.columns.map(c),
        targetTable: tableName.get(fk.targetTable) ?? fk.targetTable,
        targetColumns: fk.targetColumns.map(col(fk.targetTable)),
      })),
    }
  })
  return { catalog: { ...live, tables }, ops: [...tableOps, ...columnOps] }
}

/** Tables in foreign-key order (parents first); within a cycle, by name. */
const parentsFirst = (tables: ReadonlyArray<CatalogTable>): ReadonlyArray<CatalogTable> => {
  const names = new Set(tables.map((t) => t.name))
  const done = new Set<string>()
  const out: CatalogTable[] = []
  const visiting = new Set<string>()
  const visit = (t: CatalogTable): void => {
    if (done.has(t.name) || visiting.has(t.name)) return
    visiting.add(t.name)
    for (const fk of t.foreignKeys) {
      const p = tables.find((x) => x.name === fk.targetTable)
      if (p !== undefined && names.has(p.name)) visit(p)
    }
    visiting.delete(t.name)
    done.add(t.name)
    out.push(t)
  }
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t)
  return out
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * Compares the live catalog with the desired one and lists the operations that make the
 * first into the second (see the module comment for their order).
 *
 * Shape: `diff(desired, renames)(live)` → `Diff`; pure. Both catalogs come from
 * `introspect`, so types and defaults are compared in PostgreSQL's own normal form.
 * Constraints and indexes are matched by what they do (columns, target, actions), not by
 * name, so a constraint that only has another name is left alone.
 * Errors: none. A change the diff cannot express (a column made or unmade serial) is
 * left out and reported in `warnings`.
 * Source: Alembic autogenerate (`compare_metadata`); issue 6 (renames declared, never guessed).
 * @category destructors
 * @since 0.1.0
 */
export const diff =
  (desired: Catalog, renames: Renames = { tables: {}, columns: {} }) =>
  (liveCatalog: Catalog): Diff => {
    const { catalog: live, ops: renameOps } = applyRenames(liveCatalog, desired, renames)
    const hints: string[] = []
    const warnings: string[] = []
    const drops: Operation[] = []
    const creates: Operation[] = []
    const columnAdds: Operation[] = []
    const columnAlters: Operation[] = []
    const adds: Operation[] = []
    const columnDrops: Operation[] = []
    const liveOf = (n: string) => live.tables.find((t) => t.name === n)
    const wantOf = (n: string) => desired.tables.find((t) => t.name === n)
    const created = desired.tables.filter((t) => liveOf(t.name) === undefined)
    const dropped = live.tables.filter((t) => wantOf(t.name) === undefined)

    // tables that go away: their foreign keys and indexes first, the tables last
    for (const t of dropped) {
      for (const fk of t.foreignKeys) drops.push({ op: 'dropForeignKey', table: t.name, ...fkDef(fk) })
      for (const ix of t.indexes) drops.push({ op: 'dropIndex', table: t.name, ...indexDef(ix) })
    }
    const tableDrops: Operation[] = [...parentsFirst(dropped)]
      .reverse()
      .map((t) => ({ op: 'dropTable', ...tableDef(t, []) }))

    // new tables: parents first, foreign keys inline when their target exists by then
    const exists = new Set(live.tables.filter((t) => wantOf(t.name) !== undefined).map((t) => t.name))
    for (const t of parentsFirst(created)) {
      const ready = t.foreignKeys.filter((fk) => exists.has(fk.targetTable) || fk.targetTable === t.name)
      creates.push({ op: 'createTable', ...tableDef(t, ready) })
      for (const fk of t.foreignKeys.filter((x) => !ready.includes(x)))
        adds.push({ op: 'addForeignKey', table: t.name, ...fkDef(fk) })
      for (const ix of t.indexes) adds.push({ op: 'createIndex', table: t.name, ...indexDef(ix) })
      exists.add(t.name)
    }

    // tables on both sides
    for (const want of desired.tables) {
      const have = liveOf(want.name)
      if (have === undefined) continue
      const table = want.name
      const addedColumns = want.columns.filter((c) => !have.columns.some((x) => x.name === c.name))
      const droppedColumns = have.columns.filter((c) => !want.columns.some((x) => x.name === c.name))
      for (const c of addedColumns) {
        columnAdds.push({ op: 'addColumn', table, column: columnDef(c) })
        if (!c.nullable && c.default === undefined && !c.serial)
          warnings.push(
            `${table}.${c.name} is added NOT NULL without a default: the upgrade fails if ${table} has rows (give it a default, or add it nullable, fill it, then make it NOT NULL)`,
          )
      }
      for (const c of droppedColumns) columnDrops.push({ op: 'dropColumn', table, column: columnDef(c) })
      for (const d of droppedColumns)
        for (const a of addedColumns.filter((x) => x.type === d.type))
          hints.push(
            `${table}.${d.name} is dropped and ${table}.${a.name} added with the same type (${d.type}); if the column was renamed, declare .renamedFrom('${d.name}') on it`,
          )
      const types: Operation[] = []
      const defaults: Operation[] = []
      const nulls: Operation[] = []
      for (const w of want.columns) {
        const h = have.columns.find((x) => x.name === w.name)
        if (h === undefined) continue
        if (h.serial !== w.serial) {
          warnings.push(
            `${table}.${w.name} changes ${w.serial ? 'to' : 'from'} serial: not generated; write it by hand (CREATE SEQUENCE … OWNED BY, SET DEFAULT nextval(…))`,
          )
        }
        if (h.type !== w.type)
          types.push({ op: 'alterColumnType', table, column: w.name, from: h.type, to: w.type })
        if (!h.serial && !w.serial && h.default !== w.default) {
          defaults.push(
            w.default === undefined
              ? { op: 'dropDefault', table, column: w.name, ...(h.default ? { previous: h.default } : {}) }
              : {
                  op: 'setDefault',
                  table,
                  column: w.name,
                  default: w.default,
                  ...(h.default ? { previous: h.default } : {}),
                },
          )
        }
        if (h.nullable && !w.nullable)
          nulls.push({
            op: 'setNotNull',
            table,
            column: w.name,
            ...(w.default !== undefined || w.serial ? { backfill: true } : {}),
          })
        if (!h.nullable && w.nullable) nulls.push({ op: 'dropNotNull', table, column: w.name })
      }
      columnAlters.push(...types, ...defaults, ...nulls)

      // constraints and indexes, matched by what they do
      const hp = have.primaryKey
      const wp = want.primaryKey
      if (cols(hp?.columns ?? []) !== cols(wp?.columns ?? [])) {
        if (hp) drops.push({ op: 'dropPrimaryKey', table, name: hp.name, columns: hp.columns })
        if (wp) adds.push({ op: 'addPrimaryKey', table, name: wp.name, columns: wp.columns })
      }
      const pair = <A>(
        h: ReadonlyArray<A>,
        w: ReadonlyArray<A>,
        k: (a: A) => string,
        drop: (a: A) => Operation,
        add: (a: A) => Operation,
      ) => {
        for (const x of h) if (!w.some((y) => k(y) === k(x))) drops.push(drop(x))
        for (const y of w) if (!h.some((x) => k(x) === k(y))) adds.push(add(y))
      }
      const key = (u: { columns: ReadonlyArray<string> }) => cols(u.columns)
      pair(
        have.uniques,
        want.uniques,
        key,
        (u) => ({ op: 'dropUnique', table, name: u.name, columns: u.columns }),
        (u) => ({ op: 'addUnique', table, name: u.name, columns: u.columns }),
      )
      pair(
        have.checks,
        want.checks,
        (c) => c.expression,
        (c) => ({ op: 'dropCheck', table, ...c }),
        (c) => ({ op: 'addCheck', table, ...c }),
      )
      pair(
        have.foreignKeys,
        want.foreignKeys,
        fkKey,
        (fk) => ({ op: 'dropForeignKey', table, ...fkDef(fk) }),
        (fk) => ({ op: 'addForeignKey', table, ...fkDef(fk) }),
      )
      pair(
        have.indexes,
        want.indexes,
        indexKey,
        (ix) => ({ op: 'dropIndex', table, ...indexDef(ix) }),
        (ix) => ({ op: 'createIndex', table, ...indexDef(ix) }),
      )
    }

    for (const d of dropped)
      for (const c of created)
        if (
          cols(d.columns.map((x) => `${x.name}:${x.type}`)) ===
          cols(c.columns.map((x) => `${x.name}:${x.type}`))
        )
          hints.push(
            `table ${d.name} is dropped and ${c.name} created with the same columns; if it was renamed, declare renamedFrom: '${d.name}' in the options of table('${c.name}', …)`,
          )

    // within a phase, adds in an order that runs: unique/primary keys before the foreign keys that need them
    const rank: Readonly<Record<string, number>> = {
      addPrimaryKey: 0,
      addUnique: 1,
      addCheck: 2,
      addForeignKey: 3,
      createIndex: 4,
    }
    const sortedAdds = [...adds].sort(
      (a, b) => (rank[(a as { op: string }).op] ?? 9) - (rank[(b as { op: string }).op] ?? 9),
    )
    const dropRank: Readonly<Record<string, number>> = {
      dropForeignKey: 0,
      dropIndex: 1,
      dropCheck: 2,
      dropUnique: 3,
      dropPrimaryKey: 4,
    }
    const sortedDrops = [...drops].sort(
      (a, b) => (dropRank[(a as { op: string }).op] ?? 9) - (dropRank[(b as { op: string }).op] ?? 9),
    )
    return Object.freeze({
      operations: Object.freeze([
        ...renameOps,
        ...sortedDrops,
        ...creates,
        ...columnAdds,
        ...columnAlters,
        ...sortedAdds,
        ...columnDrops,
        ...tableDrops,
      ]),
      hints: Object.freeze(hints),
      warnings: Object.freeze(warnings),
    })
  }
