/**
 * Change-sets as data: the operations of `S` (add with nested rows, update, delete,
 * remove, link, unlink), composed with `concat` and preceded by work thrown away with
 * `rollback`. The arbitraries generate these values; `toSession` turns one into an
 * origami session through the public operations, and the model reads it directly, so
 * the two interpretations never share code.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import { type AnySchema, session as S } from '../lib/index.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A row's primary key by field (`{ id: 3 }`, `{ a: 1, b: 2 }`). @category models */
export type Key = Readonly<Record<string, unknown>>

/** A row to add, with rows nested under its relationships. @category models */
export interface AddNode {
  readonly table: string
  /** Column values by field; a foreign key a parent gives is absent. */
  readonly values: Readonly<Record<string, unknown>>
  readonly nested: ReadonlyArray<{ readonly relation: string; readonly rows: ReadonlyArray<AddNode> }>
}

/** One operation of a change-set. Tables are schema keys. @category models */
export type Op =
  | { readonly op: 'add'; readonly row: AddNode }
  | {
      readonly op: 'update'
      readonly table: string
      readonly key: Key
      readonly patch: Readonly<Record<string, unknown>>
      readonly version: number | undefined
    }
  | { readonly op: 'delete'; readonly table: string; readonly key: Key; readonly version: number | undefined }
  | {
      readonly op: 'remove' | 'link' | 'unlink'
      readonly table: string
      readonly key: Key
      readonly relation: string
      readonly child: Key
    }

/**
 * A change-set: `parts` composed with `concat` (each part its own segment, so the
 * conflicts between them are reported), after the operations of `discarded` were made
 * and dropped with `rollback`. @category models
 */
export interface ChangeSet {
  readonly discarded: ReadonlyArray<Op> | null
  readonly parts: ReadonlyArray<ReadonlyArray<Op>>
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const isOne = (schema: AnySchema, table: string, relation: string) => {
  const k = schema.relations[table]?.[relation]?.kind
  return k === 'hasOne' || k === 'belongsTo'
}

const inputOf = (schema: AnySchema, node: AddNode): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...node.values }
  for (const g of node.nested) {
    const rows = g.rows.map((r) => inputOf(schema, r))
    out[g.relation] = isOne(schema, node.table, g.relation) ? (rows[0] ?? null) : rows
  }
  return out
}

const applyOp =
  (schema: AnySchema, label: string) =>
  (op: Op) =>
  (s: S.Session): S.Session => {
    if (op.op === 'add') {
      const t = schema.tables[op.row.table]!
      return S.add(S.ref(t, label), inputOf(schema, op.row) as never)(s)
    }
    const t = schema.tables[op.table]!
    const v =
      op.op === 'update' || op.op === 'delete'
        ? op.version === undefined
          ? {}
          : { version: op.version }
        : {}
    switch (op.op) {
      case 'update':
        return S.update(t, op.key as never, op.patch as never, v)(s)
      case 'delete':
        return S.delete(t, op.key as never, v)(s)
      case 'remove':
        return S.remove(t, op.key as never, op.relation, op.child)(s)
      case 'link':
        return S.link(t, op.key as never, op.relation, op.child)(s)
      case 'unlink':
        return S.unlink(t, op.key as never, op.relation, op.child)(s)
    }
  }

const applyAll = (schema: AnySchema, ops: ReadonlyArray<Op>, prefix: string, s: S.Session): S.Session =>
  ops.reduce((acc, op, i) => applyOp(schema, `${prefix}${i}`)(op)(acc), s)

/**
 * The origami session a change-set stands for, built with the public operations:
 * `discarded` applied then dropped with `S.rollback`, then each part applied to an empty
 * session and composed with `S.concat`. Refs are labelled `<table>#p<part>.<op>`.
 * @category destructors
 * @since 0.1.0
 */
export const toSession = (schema: AnySchema, cs: ChangeSet): S.Session => {
  const start =
    cs.discarded === null ? S.empty(schema) : S.rollback(applyAll(schema, cs.discarded, 'x', S.empty(schema)))
  return cs.parts.reduce<S.Session>(
    (acc, part, p) =>
      p === 0
        ? applyAll(schema, part, `p${p}.`, acc)
        : pipe(acc, S.concat(applyAll(schema, part, `p${p}.`, S.empty(schema)))),
    start,
  )
}

const show = (u: unknown): string =>
  JSON.stringify(u, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? 'undefined'

const keyArg = (k: Key): string => {
  const entries = Object.entries(k)
  return entries.length === 1 ? show(entries[0]![1]) : show(k)
}

const nodeText = (schema: AnySchema, n: AddNode): string => {
  const fields = Object.entries(n.values).map(([f, v]) => `${f}: ${show(v)}`)
  const nested = n.nested.map((g) => {
    const rows = g.rows.map((r) => nodeText(schema, r))
    return `${g.relation}: ${isOne(schema, n.table, g.relation) ? rows[0] : `[${rows.join(', ')}]`}`
  })
  return `{ ${[...fields, ...nested].join(', ')} }`
}

/**
 * One operation as the `S` call that makes it, e.g. `S.delete(t0, 2, { version: 1 })`.
 * @category destructors
 * @since 0.1.0
 */
export const describeOp = (schema: AnySchema, op: Op): string => {
  switch (op.op) {
    case 'add':
      return `S.add(S.ref(${op.row.table}), ${nodeText(schema, op.row)})`
    case 'update':
      return `S.update(${op.table}, ${keyArg(op.key)}, ${show(op.patch)}${op.version === undefined ? '' : `, { version: ${op.version} }`})`
    case 'delete':
      return `S.delete(${op.table}, ${keyArg(op.key)}${op.version === undefined ? '' : `, { version: ${op.version} }`})`
    default:
      return `S.${op.op}(${op.table}, ${keyArg(op.key)}, '${op.relation}', ${keyArg(op.child)})`
  }
}

/**
 * A change-set as the code that builds it, one operation per line.
 * @category destructors
 * @since 0.1.0
 */
export const describeChangeSet = (schema: AnySchema, cs: ChangeSet): string => {
  const block = (ops: ReadonlyArray<Op>, indent: string) =>
    ops.map((op) => `${indent}${describeOp(schema, op)},`).join('\n')
  const lines: string[] = []
  if (cs.discarded !== null) lines.push(`(then S.rollback) discarded:\n${block(cs.discarded, '  ')}`)
  cs.parts.forEach((p, i) => {
    lines.push(i === 0 ? block(p, '') : `S.concat(pipe(S.empty(schema),\n${block(p, '  ')}\n)),`)
  })
  return lines.join('\n')
}
