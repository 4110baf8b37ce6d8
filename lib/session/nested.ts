/**
 * Expansion of one `add` (with rows nested under its relationships) or one `update`
 * into flat changes. This is SQLAlchemy's save-update cascade: adding a row adds the
 * rows nested in it, and a nested child gets its foreign key from its parent's ref.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { columnCodec, decodeInsert, decodePatch } from '../schema/codec.js'
import type { DecodeError } from '../schema/errors.js'
import type { AnySchema, ForeignKey, ResolvedRelation } from '../schema/schema.js'
import type { TableSpec } from '../schema/table.js'
import { planError, type SessionError } from './errors.js'
import { isRef } from './ref.js'
import { type Change, isRefKey, refKey } from './session.js'

/** What an expansion produced: changes in dependency-friendly order, or errors. */
export interface Expanded {
  readonly changes: ReadonlyArray<Change>
  readonly errors: ReadonlyArray<SessionError>
}

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && !(u instanceof Date) && !isRef(u)

const foreignKeyOf = (schema: AnySchema, table: string, field: string): ForeignKey | undefined =>
  schema.foreignKeys.find((k) => k.table === table && k.field === field)

const fastChecks = new WeakMap<
  TableSpec,
  {
    /** Each field's `is` check (its column codec's), by field name. */
    readonly is: ReadonlyMap<string, (u: unknown) => boolean>
    readonly required: ReadonlyArray<string>
  }
>()

/**
 * The common case, checked without building anything: known fields, required ones given
 * (a `RefKey` counts), every other value accepted by its column codec. Anything else goes
 * through the codecs for the detailed errors.
 */
const fastValid = (
  spec: TableSpec,
  values: Readonly<Record<string, unknown>>,
  mode: 'insert' | 'patch',
): boolean => {
  let shape = fastChecks.get(spec)
  if (shape === undefined) {
    shape = {
      is: new Map(
        spec.fields.map((f) => {
          const codec = columnCodec(spec.columns[f]!)
          return [f, (u: unknown) => codec.is(u)] as const
        }),
      ),
      required: spec.fields.filter((f) => {
        const c = spec.columns[f]!
        return !c.nullable && c.default === undefined && !c.sqlType._tag.endsWith('serial')
      }),
    }
    fastChecks.set(spec, shape)
  }
  for (const k in values) {
    const is = shape.is.get(k)
    if (is === undefined) return false
    if (mode === 'patch' && spec.primaryKey.includes(k)) return false
    const v = values[k]
    if (v === undefined || isRefKey(v)) continue
    if (!is(v)) return false
  }
  if (mode === 'insert') for (const f of shape.required) if (values[f] === undefined) return false
  return true
}

/** Validates column values, letting `RefKey` values stand in for the keys they will become. */
const validate = (
  schema: AnySchema,
  table: string,
  values: Record<string, unknown>,
  mode: 'insert' | 'patch',
): DecodeError | undefined => {
  const t = schema.tables[table]!
  if (fastValid(t.$spec, values, mode)) return undefined
  let plain: Record<string, unknown> = values
  const byRef = new Set<string>()
  for (const k in values) {
    if (!isRefKey(values[k])) continue
    if (plain === values) plain = { ...values }
    byRef.add(k)
    delete plain[k]
  }
  const r = mode === 'insert' ? decodeInsert(t, plain) : decodePatch(t, plain)
  if (E.isRight(r)) return undefined
  const rest = r.left.errors.filter((e) => !byRef.has(e.field))
  return rest.length === 0
    ? undefined
    : { ...r.left, errors: rest, message: rest.map((e) => `${t.$name}.${e.field}: ${e.message}`).join('; ') }
}

/** A ref (or null) as the value of a foreign-key field, checking that the ref's table fits. */
const refValue = (schema: AnySchema, fk: ForeignKey, v: unknown): E.Either<SessionError, unknown> => {
  if (v === null) return E.right(null)
  if (!isRef(v))
    return E.left(
      planError('InvalidRelationValue', fk.table, `${fk.table}.${fk.field}: expected a ref or null`),
    )
  const targetName = schema.tables[fk.target]!.$name
  return v.table === targetName
    ? E.right(refKey(v.id, fk.target, fk.targetField))
    : E.left(
        planError(
          'InvalidRelationValue',
          fk.table,
          `${fk.table}.${fk.field}: a ref of ${v.table} cannot stand for a key of ${targetName}`,
        ),
      )
}

/** Sets `values[fk.field]` to the ref `v` stands for, or records why it cannot. */
const putRef = (
  schema: AnySchema,
  fk: ForeignKey,
  v: unknown,
  values: Record<string, unknown>,
  errors: SessionError[],
): void => {
  const r = refValue(schema, fk, v)
  if (E.isLeft(r)) errors.push(r.left)
  else values[fk.field] = r.right
}

/**
 * Expands `add(ref, input)` for the table `table` (a schema key).
 * `inherited` carries the foreign key a parent gives to a nested child.
 */
export const expandAdd = (
  schema: AnySchema,
  table: string,
  id: string,
  input: unknown,
  inherited: Readonly<Record<string, unknown>> = {},
): Expanded => {
  const changes: Change[] = []
  const errors: SessionError[] = []
  expandInto(schema, table, id, input, inherited, changes, errors)
  return { changes, errors }
}

const none: Readonly<Record<string, unknown>> = Object.freeze({})

/** `0]`, `1]`, …: the end of a nested child's ref id, made once for the first thousand. */
const suffixes: ReadonlyArray<string> = Array.from({ length: 1024 }, (_, n) => `${n}]`)
const indexSuffix = (n: number): string => suffixes[n] ?? `${n}]`

/** `expandAdd`, appending to `out` and `errors`: the rows a row needs first, the row, then its children. */
/** Records that a value given for `table` does not fit its relationship. */
const fail = (errors: SessionError[], table: string, message: string): void => {
  errors.push(planError('InvalidRelationValue', table, `${table}.${message}`))
}

const expandInto = (
  schema: AnySchema,
  table: string,
  id: string,
  input: unknown,
  inherited: Readonly<Record<string, unknown>>,
  out: Change[],
  errors: SessionError[],
): void => {
  if (!isPlainObject(input)) {
    errors.push(planError('InvalidRelationValue', table, `${table}: add expects an object of fields`))
    return
  }
  const relations: Readonly<Record<string, ResolvedRelation>> = schema.relations[table] ?? {}
  const values: Record<string, unknown> = {}
  // changes that must come after this row (its children), when it has any
  let after: Change[] | undefined
  for (const k in input) {
    if (!Object.hasOwn(input, k)) continue
    const v = input[k]
    const rel: ResolvedRelation | undefined = relations[k]
    if (rel === undefined) {
      if (isRef(v)) {
        const fk = foreignKeyOf(schema, table, k)
        if (fk === undefined) fail(errors, table, `${k}: a ref can only stand for a foreign key`)
        else {
          putRef(schema, fk, v, values, errors)
        }
      } else values[k] = v
      continue
    }
    const nestsRows = Array.isArray(v) ? v.some((x) => !isRef(x)) : v !== null && !isRef(v)
    if (!rel.cascade.saveUpdate && nestsRows) {
      fail(
        errors,
        table,
        `${k}: the relationship has no save-update cascade, so nested rows are not added with it; add them separately`,
      )
      continue
    }
    if (rel.kind === 'belongsTo') {
      if (isPlainObject(v)) {
        const parentId = `${id}.${k}`
        expandInto(schema, rel.target, parentId, v, none, out, errors)
        values[rel.foreignKey.field] = refKey(parentId, rel.target, rel.foreignKey.targetField)
      } else {
        putRef(schema, rel.foreignKey, v, values, errors)
      }
      continue
    }
    if (rel.kind === 'hasOne' && Array.isArray(v)) {
      fail(errors, table, `${k}: a one-to-one relationship takes one row (or null), not a list`)
      continue
    }
    if (rel.kind !== 'hasOne' && !Array.isArray(v)) {
      fail(errors, table, `${k}: a ${rel.kind} relationship takes a list of rows or refs`)
      continue
    }
    after ??= []
    const children: ReadonlyArray<unknown> =
      rel.kind === 'hasOne' ? (v === null ? [] : [v]) : (v as unknown[])
    const prefix = `${id}.${k}`
    const fk = rel.foreignKey
    const targetName = schema.tables[rel.target]!.$name
    // every child of this row gets the same foreign-key value: one RefKey, one object
    const own: Readonly<Record<string, unknown>> =
      rel.kind === 'manyToMany' ? none : Object.freeze({ [fk.field]: refKey(id, table, fk.targetField) })
    // `authors#1.books[` once per list, then one join per child (a string made of fewer pieces)
    const open = `${prefix}[`
    for (let n = 0; n < children.length; n++) {
      const child = children[n]
      if (isRef(child) && child.table !== targetName) {
        fail(errors, table, `${k}: a ref of ${child.table} cannot stand for a row of ${targetName}`)
        continue
      }
      const childId = rel.kind === 'hasOne' ? prefix : open + indexSuffix(n)
      if (rel.kind === 'manyToMany') {
        const through = rel.through!
        let target: string
        if (isRef(child)) target = child.id
        else {
          expandInto(schema, rel.target, childId, child, none, after, errors)
          target = childId
        }
        expandInto(
          schema,
          through.table,
          `${childId}~link`,
          {},
          {
            [fk.field]: refKey(id, table, fk.targetField),
            [through.targetKey.field]: refKey(target, rel.target, through.targetKey.targetField),
          },
          after,
          errors,
        )
        continue
      }
      if (isRef(child)) {
        after.push(
          Object.freeze({
            _tag: 'Update' as const,
            table: rel.target,
            target: { _tag: 'RefTarget' as const, ref: child.id },
            patch: own,
            version: undefined,
          }),
        )
      } else if (isPlainObject(child)) {
        const partner = rel.backPopulates
        if (fk.field in child || (partner !== undefined && partner in child)) {
          fail(errors, table, `${k}: a nested row gets its ${fk.field} from its parent; do not set it`)
          continue
        }
        expandInto(schema, rel.target, childId, child, own, after, errors)
      } else fail(errors, table, `${k}: expected rows (objects) or refs`)
    }
  }
  for (const f in inherited) values[f] = inherited[f]
  const bad = validate(schema, table, values, 'insert')
  if (bad !== undefined) errors.push(bad)
  out.push(Object.freeze({ _tag: 'Add', table, ref: id, values: Object.freeze(values) }))
  if (after !== undefined) for (const c of after) out.push(c)
}

/** Validates a patch for `update`, turning refs (and `belongsTo` relationships) into `RefKey`s. */
export const expandPatch = (
  schema: AnySchema,
  table: string,
  patch: unknown,
): E.Either<ReadonlyArray<SessionError>, Readonly<Record<string, unknown>>> => {
  if (!isPlainObject(patch))
    return E.left([planError('InvalidRelationValue', table, `${table}: update expects an object of fields`)])
  const relations = schema.relations[table] ?? {}
  const values: Record<string, unknown> = {}
  const errors: SessionError[] = []
  for (const k in patch) {
    if (!Object.hasOwn(patch, k)) continue
    const v = patch[k]
    const rel = relations[k]
    const fk =
      rel?.kind === 'belongsTo' ? rel.foreignKey : isRef(v) ? foreignKeyOf(schema, table, k) : undefined
    if (rel !== undefined && rel.kind !== 'belongsTo') {
      errors.push(
        planError(
          'InvalidRelationValue',
          table,
          `${table}.${k}: only many-to-one relationships can be set by update`,
        ),
      )
    } else if (fk !== undefined) {
      putRef(schema, fk, v, values, errors)
    } else values[k] = v
  }
  const bad = validate(schema, table, values, 'patch')
  if (bad !== undefined) errors.push(bad)
  return errors.length > 0 ? E.left(errors) : E.right(Object.freeze(values))
}
