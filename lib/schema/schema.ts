/**
 * `schema()`: the graph of tables and relationships, resolved and checked once.
 *
 * Foreign keys declared with `.references(() => t.col)` are resolved to table keys, and
 * every relationship is tied to the foreign key it views. Everything later layers need
 * (the foreign-key graph, each relationship's key and partner) is precomputed here, so
 * the session and the dialect never re-derive it.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ReferentialAction, SqlType } from './column.js'
import { type SchemaError, schemaDefinitionError, schemaError } from './errors.js'
import type { Cascade, Relation, RelationKind } from './relation.js'
import type { AnyTable } from './table.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A resolved single-column foreign key. Table names here are schema keys. @category models */
export interface ForeignKey {
  /** Constraint name, `<table>_<column>_fkey` as PostgreSQL would name it. */
  readonly name: string
  readonly table: string
  readonly field: string
  readonly target: string
  readonly targetField: string
  readonly onDelete: ReferentialAction
  readonly onUpdate: ReferentialAction
  readonly nullable: boolean
}

/** A relationship tied to its foreign key(s) and partner. @category models */
export interface ResolvedRelation {
  readonly name: string
  readonly kind: RelationKind
  /** Key of the table the relationship is declared on. */
  readonly source: string
  /** Key of the related table. */
  readonly target: string
  /**
   * The foreign key the relationship views: on the target for `hasMany`/`hasOne`, on the
   * source for `belongsTo`; for `manyToMany`, the association table's key to the source.
   */
  readonly foreignKey: ForeignKey
  /** `manyToMany` only: the association table and its key to the target. */
  readonly through: { readonly table: string; readonly targetKey: ForeignKey } | undefined
  readonly backPopulates: string | undefined
  readonly cascade: Cascade
  readonly passiveDeletes: boolean
  readonly singleParent: boolean
}

/** The relationships a schema declares, by table key then relationship name. @category models */
export type RelationsDecl<T> = { readonly [K in keyof T]?: Readonly<Record<string, Relation>> }

/** A resolved, validated schema. @category models */
export interface Schema<
  T extends Record<string, AnyTable> = Record<string, AnyTable>,
  R extends RelationsDecl<T> = RelationsDecl<T>,
> {
  readonly _tag: 'Schema'
  readonly tables: T
  /** Resolved relationships by table key, then name. */
  readonly relations: Readonly<Record<string, Readonly<Record<string, ResolvedRelation>>>>
  /** Every foreign key, in table then field order. */
  readonly foreignKeys: ReadonlyArray<ForeignKey>
  /** Table key by SQL table name. */
  readonly keyOfTable: Readonly<Record<string, string>>
  /** Phantom: the relationships as declared, for typed includes. */
  readonly $relations?: R
}

/** Any schema. @category models */
export type AnySchema = Schema<Record<string, AnyTable>, any>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const integerFamily = (t: SqlType): string =>
  t._tag === 'serial' ? 'integer' : t._tag === 'bigserial' ? 'bigint' : t._tag === 'varchar' ? 'text' : t._tag

const resolveForeignKeys = (
  tables: Record<string, AnyTable>,
  keyOfTable: Record<string, string>,
): { fks: ForeignKey[]; errors: SchemaError[] } => {
  const fks: ForeignKey[] = []
  const errors: SchemaError[] = []
  for (const [key, t] of Object.entries(tables)) {
    for (const field of t.$spec.fields) {
      const col = t.$spec.columns[field]!
      if (col.references === undefined) continue
      let ref: { table: string; field: string } | undefined
      try {
        const r = col.references.target()
        ref = r?._tag === 'ColumnRef' ? r : undefined
      } catch {
        ref = undefined
      }
      const targetKey = ref === undefined ? undefined : keyOfTable[ref.table]
      if (ref === undefined || targetKey === undefined) {
        errors.push(
          schemaError(
            'ForeignKeyTargetMissing',
            key,
            field,
            `foreign key references ${ref === undefined ? 'nothing (the thunk must return a column such as () => authors.id)' : `table "${ref.table}", which is not in this schema`}`,
          ),
        )
        continue
      }
      const target = tables[targetKey]!.$spec
      const targetCol = target.columns[ref!.field]
      if (targetCol === undefined) {
        errors.push(
          schemaError(
            'ForeignKeyTargetMissing',
            key,
            field,
            `references ${target.name}.${ref!.field}, no such column`,
          ),
        )
        continue
      }
      const isKey =
        (target.primaryKey.length === 1 && target.primaryKey[0] === ref!.field) ||
        target.unique.some((g) => g.length === 1 && g[0] === ref!.field)
      if (!isKey) {
        errors.push(
          schemaError(
            'ForeignKeyTargetNotUnique',
            key,
            field,
            `references ${target.name}.${ref!.field}, which is neither the primary key nor unique`,
          ),
        )
      }
      if (integerFamily(col.sqlType) !== integerFamily(targetCol.sqlType)) {
        errors.push(
          schemaError(
            'ForeignKeyTypeMismatch',
            key,
            field,
            `is ${col.sqlType._tag} but references ${target.name}.${ref!.field} of type ${targetCol.sqlType._tag}`,
          ),
        )
      }
      fks.push(
        Object.freeze({
          name: `${t.$spec.name}_${t.$spec.columnNames[field]}_fkey`,
          table: key,
          field,
          target: targetKey,
          targetField: ref!.field,
          onDelete: col.references.onDelete,
          onUpdate: col.references.onUpdate,
          nullable: col.nullable,
        }),
      )
    }
  }
  return { fks, errors }
}

/** Finds the foreign key of `from` to `to`, by field when given, else the only one. */
const findKey = (
  fks: ReadonlyArray<ForeignKey>,
  from: string,
  to: string,
  field: string | undefined,
  source: string,
  name: string,
  tables: Record<string, AnyTable>,
): E.Either<SchemaError, ForeignKey> => {
  if (field !== undefined) {
    if (!tables[from]!.$spec.fields.includes(field)) {
      return E.left(
        schemaError(
          'ForeignKeyMissing',
          source,
          name,
          `foreign key field "${field}" does not exist on ${from}`,
        ),
      )
    }
    const fk = fks.find((k) => k.table === from && k.field === field)
    if (fk === undefined || fk.target !== to) {
      return E.left(
        schemaError(
          'ForeignKeyMismatch',
          source,
          name,
          `${from}.${field} is not a foreign key to ${to}${fk ? ` (it references ${fk.target})` : ''}`,
        ),
      )
    }
    return E.right(fk)
  }
  const candidates = fks.filter((k) => k.table === from && k.target === to)
  if (candidates.length === 1) return E.right(candidates[0]!)
  return E.left(
    candidates.length === 0
      ? schemaError('ForeignKeyMissing', source, name, `${from} has no foreign key to ${to}`)
      : schemaError(
          'ForeignKeyAmbiguous',
          source,
          name,
          `${from} has ${candidates.length} foreign keys to ${to} (${candidates.map((c) => c.field).join(', ')}): name one with foreignKey`,
        ),
  )
}

const resolveRelation = (
  tables: Record<string, AnyTable>,
  fks: ReadonlyArray<ForeignKey>,
  source: string,
  name: string,
  rel: Relation,
): E.Either<SchemaError, ResolvedRelation> => {
  if ((rel as { _tag?: unknown } | undefined)?._tag !== 'Relation') {
    return E.left(
      schemaError(
        'RelationTargetMissing',
        source,
        name,
        'is not a relationship (use hasMany, belongsTo, hasOne or manyToMany)',
      ),
    )
  }
  if (tables[source]!.$spec.fields.includes(name)) {
    return E.left(
      schemaError('RelationNameClash', source, name, 'a relationship cannot share its name with a column'),
    )
  }
  if (tables[rel.target] === undefined) {
    return E.left(
      schemaError('RelationTargetMissing', source, name, `target table "${rel.target}" is not in the schema`),
    )
  }
  if (
    (rel.kind === 'belongsTo' || rel.kind === 'manyToMany') &&
    rel.cascade.deleteOrphan &&
    !rel.singleParent
  ) {
    return E.left(
      schemaError(
        'DeleteOrphanNeedsSingleParent',
        source,
        name,
        `delete-orphan on a ${rel.kind} needs singleParent: true (as SQLAlchemy's single_parent)`,
      ),
    )
  }
  const base = {
    name,
    kind: rel.kind,
    source,
    target: rel.target,
    backPopulates: rel.backPopulates,
    cascade: rel.cascade,
    passiveDeletes: rel.passiveDeletes,
    singleParent: rel.singleParent,
  }
  if (rel.kind === 'manyToMany') {
    const through = rel.through!
    if (tables[through] === undefined) {
      return E.left(
        schemaError('ThroughTableMissing', source, name, `through table "${through}" is not in the schema`),
      )
    }
    const pick = (to: string, field: string | undefined, exclude?: ForeignKey) =>
      fks.filter(
        (k) =>
          k.table === through && k.target === to && (field === undefined ? k !== exclude : k.field === field),
      )
    const self = source === rel.target
    // unnamed keys of a self-referential association: the first declared points at the source
    const toSource =
      self && rel.foreignKey === undefined && rel.targetForeignKey === undefined
        ? pick(source, undefined).slice(0, 1)
        : pick(source, rel.foreignKey)
    const sourceKey = toSource[0]
    const toTarget = pick(rel.target, rel.targetForeignKey, self ? sourceKey : undefined)
    if (toSource.length !== 1 || toTarget.length !== 1) {
      const named = rel.foreignKey !== undefined || rel.targetForeignKey !== undefined
      return E.left(
        schemaError(
          'ThroughKeysMissing',
          source,
          name,
          `through table "${through}" needs exactly one foreign key to ${source}${rel.foreignKey ? ` named ${rel.foreignKey}` : ''} and one to ${rel.target}${rel.targetForeignKey ? ` named ${rel.targetForeignKey}` : ''} (found ${toSource.length} and ${toTarget.length}${named || !self ? '' : '; name them with foreignKey and targetForeignKey'})`,
        ),
      )
    }
    const targetKey = toTarget[0]!
    return E.right(
      Object.freeze({
        ...base,
        foreignKey: sourceKey!,
        through: Object.freeze({ table: through, targetKey }),
      }),
    )
  }
  const keyed =
    rel.kind === 'belongsTo'
      ? findKey(fks, source, rel.target, rel.foreignKey, source, name, tables)
      : findKey(fks, rel.target, source, rel.foreignKey, source, name, tables)
  return E.chain((fk: ForeignKey): E.Either<SchemaError, ResolvedRelation> => {
    // one-to-one: the database must refuse a second child, so the key must be unique
    const child = tables[fk.table]!.$spec
    const unique =
      child.unique.some((g) => g.length === 1 && g[0] === fk.field) ||
      (child.primaryKey.length === 1 && child.primaryKey[0] === fk.field)
    if (rel.kind === 'hasOne' && !unique) {
      return E.left(
        schemaError(
          'HasOneNeedsUnique',
          source,
          name,
          `hasOne needs ${fk.table}.${fk.field} to be unique (add .unique()), or a second child could claim the same parent`,
        ),
      )
    }
    return E.right(Object.freeze({ ...base, foreignKey: fk, through: undefined }))
  })(keyed)
}

const partnerKinds: Record<RelationKind, ReadonlyArray<RelationKind>> = {
  hasMany: ['belongsTo'],
  hasOne: ['belongsTo'],
  belongsTo: ['hasMany', 'hasOne'],
  manyToMany: ['manyToMany'],
}

const checkBackPopulates = (
  relations: Record<string, Record<string, ResolvedRelation>>,
  r: ResolvedRelation,
): SchemaError | undefined => {
  if (r.backPopulates === undefined) return undefined
  const partner = relations[r.target]?.[r.backPopulates]
  if (partner === undefined) {
    return schemaError(
      'BackPopulatesMissing',
      r.source,
      r.name,
      `backPopulates "${r.backPopulates}" but ${r.target} has no relationship of that name`,
    )
  }
  const sameKey =
    r.kind === 'manyToMany'
      ? partner.through?.table === r.through?.table && partner.foreignKey.name === r.through?.targetKey.name
      : partner.foreignKey.name === r.foreignKey.name
  const problem = !partnerKinds[r.kind].includes(partner.kind)
    ? `is a ${r.kind} but its partner ${r.target}.${partner.name} is a ${partner.kind}`
    : partner.target !== r.source
      ? `partner ${r.target}.${partner.name} points at ${partner.target}, not ${r.source}`
      : !sameKey
        ? `partner ${r.target}.${partner.name} views a different foreign key`
        : partner.backPopulates !== undefined && partner.backPopulates !== r.name
          ? `partner ${r.target}.${partner.name} back-populates "${partner.backPopulates}", not "${r.name}"`
          : undefined
  return problem === undefined ? undefined : schemaError('BackPopulatesMismatch', r.source, r.name, problem)
}

/**
 * Builds a schema and returns every problem found as a value.
 *
 * Shape: `schemaEither(tables, relations)` → `Either<ReadonlyArray<SchemaError>, Schema>`.
 * Errors (`SchemaError.reason`): a foreign key to a table outside the schema, to a
 * column that is not unique, or of another type; a relationship whose target, foreign
 * key or `through` table is missing or ambiguous; a `backPopulates` whose partner is
 * missing or views another key; `delete-orphan` on a many-to-one without `singleParent`.
 * Source: DESIGN.md § Models; SQLAlchemy's mapper configuration checks.
 * @category constructors
 * @since 0.1.0
 */
export const schemaEither = <T extends Record<string, AnyTable>, R extends RelationsDecl<T>>(
  tables: T,
  relations: R = {} as R,
): E.Either<ReadonlyArray<SchemaError>, Schema<T, R>> => {
  const errors: SchemaError[] = []
  const keyOfTable: Record<string, string> = {}
  for (const [key, t] of Object.entries(tables)) {
    if (keyOfTable[t.$name] !== undefined) {
      errors.push(
        schemaError(
          'DuplicateTableName',
          key,
          '',
          `SQL table name "${t.$name}" is also used by ${keyOfTable[t.$name]}`,
        ),
      )
    }
    keyOfTable[t.$name] = key
    for (const f of t.$spec.fields) {
      const c = t.$spec.columns[f]!
      const bad =
        c.sqlType._tag === 'varchar' && !(Number.isInteger(c.sqlType.length) && c.sqlType.length > 0)
          ? 'varchar length must be a positive integer'
          : c.default?._tag === 'RandomUuid' && c.sqlType._tag !== 'uuid'
            ? 'defaultRandom() is only for uuid columns'
            : c.default?._tag === 'Now' && c.sqlType._tag !== 'timestamp' && c.sqlType._tag !== 'date'
              ? 'defaultNow() is only for timestamp and date columns'
              : undefined
      if (bad !== undefined) errors.push(schemaError('InvalidColumn', key, f, bad))
    }
  }
  const { fks, errors: fkErrors } = resolveForeignKeys(tables, keyOfTable)
  errors.push(...fkErrors)
  const resolved: Record<string, Record<string, ResolvedRelation>> = {}
  for (const key of Object.keys(tables)) resolved[key] = {}
  for (const [source, decl] of Object.entries(relations as Record<string, Record<string, Relation>>)) {
    if (tables[source] === undefined) {
      errors.push(
        schemaError(
          'RelationTargetMissing',
          source,
          '',
          `relationships declared for unknown table "${source}"`,
        ),
      )
      continue
    }
    for (const [name, rel] of Object.entries(decl ?? {})) {
      const r = resolveRelation(tables, fks, source, name, rel)
      if (E.isLeft(r)) errors.push(r.left)
      else resolved[source]![name] = r.right
    }
  }
  for (const byName of Object.values(resolved)) {
    for (const r of Object.values(byName)) {
      const e = checkBackPopulates(resolved, r)
      if (e !== undefined) errors.push(e)
    }
  }
  if (errors.length > 0) return E.left(errors)
  return E.right(
    Object.freeze({
      _tag: 'Schema' as const,
      tables,
      relations: Object.freeze(
        Object.fromEntries(Object.entries(resolved).map(([k, v]) => [k, Object.freeze(v)])),
      ),
      foreignKeys: Object.freeze(fks),
      keyOfTable: Object.freeze(keyOfTable),
    }),
  )
}

/**
 * Builds a schema: the tables by key and the relationships declared on each.
 *
 * Shape: `schema({ authors, books }, { authors: { books: hasMany('books', …) } })` → `Schema`.
 * Errors: throws a `SchemaDefinitionError` listing every `SchemaError` (see
 * `schemaEither`, which returns them instead) — a schema is declared once, at module
 * load, so a bad one is a bug to fix, not a state to handle.
 * @category constructors
 * @since 0.1.0
 */
export const schema = <T extends Record<string, AnyTable>, R extends RelationsDecl<T>>(
  tables: T,
  relations: R = {} as R,
): Schema<T, R> => {
  const r = schemaEither(tables, relations)
  if (E.isLeft(r)) throw schemaDefinitionError(r.left)
  return r.right
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/** The key of a table value in a schema, or undefined when it is not part of it. @category destructors */
export const tableKey = (s: AnySchema, t: AnyTable): string | undefined => s.keyOfTable[t.$name]

/**
 * Tables in foreign-key order: every table after the tables it references. Tables that
 * reference each other in a cycle (self-references aside) form one group, placed after
 * everything the group references, in declaration order inside it; their keys are
 * reported in `cyclic` so a caller can break the cycle (DDL with `ALTER TABLE … ADD
 * CONSTRAINT`, inserts with a post-update). Tables that only point into a cycle are not
 * cyclic and come after it.
 * Shape: `foreignKeyOrder(schema)` → `{ order, cyclic }` (schema keys). Source: Tarjan's
 * strongly connected components.
 * @category destructors
 */
export const foreignKeyOrder = (
  s: AnySchema,
): { readonly order: ReadonlyArray<string>; readonly cyclic: ReadonlyArray<string> } => {
  // a schema is a frozen value: its order is worked out once (every plan asks for it)
  let known = orders.get(s)
  if (known === undefined) {
    known = Object.freeze(computeOrder(s))
    orders.set(s, known)
  }
  return known
}

const orders = new WeakMap<
  AnySchema,
  { readonly order: ReadonlyArray<string>; readonly cyclic: ReadonlyArray<string> }
>()

const computeOrder = (
  s: AnySchema,
): { readonly order: ReadonlyArray<string>; readonly cyclic: ReadonlyArray<string> } => {
  const keys = Object.keys(s.tables)
  const deps = new Map(keys.map((k) => [k, [] as string[]]))
  for (const fk of s.foreignKeys) if (fk.table !== fk.target) deps.get(fk.table)!.push(fk.target)
  // Tarjan: the groups of tables that reach each other
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const visit = (k: string): void => {
    index.set(k, index.size)
    low.set(k, index.get(k)!)
    stack.push(k)
    onStack.add(k)
    for (const d of deps.get(k)!) {
      if (!index.has(d)) {
        visit(d)
        low.set(k, Math.min(low.get(k)!, low.get(d)!))
      } else if (onStack.has(d)) low.set(k, Math.min(low.get(k)!, index.get(d)!))
    }
    if (low.get(k) === index.get(k)) {
      const component: string[] = []
      let x: string
      do {
        x = stack.pop()!
        onStack.delete(x)
        component.push(x)
      } while (x !== k)
      components.push(component.sort((a, b) => keys.indexOf(a) - keys.indexOf(b)))
    }
  }
  for (const k of keys) if (!index.has(k)) visit(k)
  // a stable topological sort of the components: always place the first component, in
  // declaration order, whose dependencies are placed (so unrelated tables keep their order)
  const componentOf = new Map(components.flatMap((c, i) => c.map((k) => [k, i] as const)))
  const byDeclaration = components
    .map((c, i) => [c, i] as const)
    .sort(([a], [b]) => keys.indexOf(a[0]!) - keys.indexOf(b[0]!))
  const placed = new Set<number>()
  const order: string[] = []
  const ready = ([c, i]: readonly [ReadonlyArray<string>, number]) =>
    !placed.has(i) &&
    c.every((k) => deps.get(k)!.every((d) => componentOf.get(d) === i || placed.has(componentOf.get(d)!)))
  while (placed.size < components.length) {
    const [c, i] = byDeclaration.find(ready)!
    placed.add(i)
    order.push(...c)
  }
  return { order, cyclic: components.filter((c) => c.length > 1).flat() }
}
