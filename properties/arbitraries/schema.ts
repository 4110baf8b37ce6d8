/**
 * Random schema shapes, valid by construction (never by `filter`, so every shrink is a
 * valid schema too): 2–6 entity tables, 1–6 foreign keys (one-to-many and one-to-one,
 * nullable and NOT NULL, self-references, chains, cycles through nullable keys), 0–2
 * association tables, every cascade option on each side, `passiveDeletes` with a
 * matching `ON DELETE`.
 *
 * Construction rules (what makes every shape a schema `schema()` accepts and a state
 * can fill): a NOT NULL key points at an earlier table or at its own table, so NOT
 * NULL keys never form a cycle between tables; a one-to-one key is unique;
 * `delete-orphan` on a `belongsTo` or `manyToMany` comes with `singleParent`;
 * `passiveDeletes` comes with `ON DELETE CASCADE` (or `SET NULL` on a nullable key of a
 * relationship that would null it anyway); a key a delete-orphan relationship views is
 * never `SET NULL` by the database.
 *
 * @since 0.1.0
 */
import fc from 'fast-check'
import type { ReferentialAction } from '../../lib/index.js'
import type { ChildSide, KeyShape, LinkShape, LinkSide, ParentSide, SchemaShape } from '../shape.js'

/** Cascade strings on a `hasMany`/`hasOne`; the first (the default) is what shrinking aims at. */
export const parentCascades = [
  'save-update, merge',
  'all',
  'all, delete-orphan',
  'delete',
  'save-update, delete-orphan',
  'none',
] as const
/** Cascade strings on a `belongsTo`. */
export const childCascades = ['save-update, merge', 'all', 'delete', 'all, delete-orphan'] as const
/** Cascade strings on a `manyToMany`. */
export const linkCascades = ['save-update, merge', 'all', 'none', 'all, delete-orphan'] as const

const deletes = (cascade: string) => /\b(all|delete)\b/.test(cascade)
const orphans = (cascade: string) => cascade.includes('delete-orphan')

const otherActions: ReadonlyArray<ReferentialAction> = [
  'no action',
  'no action',
  'cascade',
  'set null',
  'restrict',
]

const rawParent = fc.record({ cascade: fc.constantFrom(...parentCascades), passiveDeletes: fc.boolean() })
const rawChild = fc.record({ cascade: fc.constantFrom(...childCascades), singleParent: fc.boolean() })
const rawLinkSide = fc.record({
  cascade: fc.constantFrom(...linkCascades),
  passiveDeletes: fc.boolean(),
  singleParent: fc.boolean(),
})

const rawKey = fc.record({
  child: fc.nat(5),
  parent: fc.nat(5),
  one: fc.boolean(),
  nullable: fc.oneof(
    { weight: 2, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  action: fc.nat(4),
  parentSide: fc.option(rawParent, { freq: 4 }),
  childSide: fc.option(rawChild, { freq: 2 }),
})

const rawLink = fc.record({
  left: fc.nat(5),
  right: fc.nat(5),
  actionA: fc.boolean(),
  actionB: fc.boolean(),
  leftSide: fc.option(rawLinkSide, { freq: 4 }),
  rightSide: fc.option(rawLinkSide, { freq: 3 }),
})

type RawKey = typeof rawKey extends fc.Arbitrary<infer A> ? A : never
type RawLink = typeof rawLink extends fc.Arbitrary<infer A> ? A : never

/**
 * Parts of the space a run can leave out: `restrict` keys (`ON DELETE RESTRICT`), and
 * `passiveDeletes` on a many-to-many side with `delete` (for known bugs, see
 * docs/properties.md). @category models
 */
export interface ShapeOptions {
  readonly maxTables?: number
  readonly maxKeys?: number
  readonly maxLinks?: number
  readonly restrict?: boolean
  readonly passiveManyToManyDelete?: boolean
  /** `false`: no `delete` on a `belongsTo` (known bug 6 in test/properties/known-bugs.property.test.ts). */
  readonly belongsToDelete?: boolean
}

/** Makes a raw key valid: NOT NULL only backwards or to itself, ON DELETE matching passiveDeletes. */
const fixKey = (tables: number, r: RawKey, o: ShapeOptions): KeyShape => {
  const child = r.child % tables
  const parent = r.parent % tables
  const nullable = r.nullable || parent > child
  const parentSide: ParentSide | null = r.parentSide
  const childCascade =
    r.childSide !== null && o.belongsToDelete === false && deletes(r.childSide.cascade)
      ? 'save-update, merge'
      : r.childSide?.cascade
  const childSide: ChildSide | null =
    r.childSide === null || childCascade === undefined
      ? null
      : { cascade: childCascade, singleParent: r.childSide.singleParent || orphans(childCascade) }
  const onDelete: ReferentialAction =
    parentSide?.passiveDeletes === true
      ? deletes(parentSide.cascade) || orphans(parentSide.cascade) || !nullable || r.action % 2 === 0
        ? 'cascade'
        : 'set null'
      : (otherActions[r.action]! === 'set null' &&
            (!nullable || (parentSide !== null && orphans(parentSide.cascade)))) ||
          (otherActions[r.action]! === 'restrict' && o.restrict === false)
        ? 'no action'
        : otherActions[r.action]!
  return { kind: r.one ? 'one' : 'many', child, parent, nullable, onDelete, parentSide, childSide }
}

const fixSide = (s: RawLink['leftSide'], o: ShapeOptions): LinkSide | null =>
  s === null
    ? null
    : {
        ...s,
        passiveDeletes: s.passiveDeletes && (o.passiveManyToManyDelete !== false || !deletes(s.cascade)),
        singleParent: s.singleParent || orphans(s.cascade),
      }

const fixLink = (tables: number, r: RawLink, o: ShapeOptions): LinkShape => {
  const leftSide = fixSide(r.leftSide, o)
  const rightSide = fixSide(r.rightSide, o)
  return {
    left: r.left % tables,
    right: r.right % tables,
    // an association key is NOT NULL: its ON DELETE is CASCADE when that side is passive
    onDeleteA: leftSide?.passiveDeletes === true || r.actionA ? 'cascade' : 'no action',
    onDeleteB: rightSide?.passiveDeletes === true || r.actionB ? 'cascade' : 'no action',
    leftSide,
    rightSide,
  }
}

/**
 * Random schema shapes (see the module comment); build one with `buildSchema`.
 * Shape: `schemaShape({ maxTables?, maxKeys?, maxLinks?, restrict?, passiveManyToManyDelete? })` →
 * `Arbitrary<SchemaShape>`.
 * Units: counts of tables and keys. Defaults: 6 tables, 6 keys, 2 association tables.
 * @category constructors
 * @since 0.1.0
 */
export const schemaShape = (options: ShapeOptions = {}): fc.Arbitrary<SchemaShape> =>
  fc
    .record({
      tables: fc.array(
        fc.record({
          version: fc.oneof(
            { weight: 3, arbitrary: fc.constant(false) },
            { weight: 1, arbitrary: fc.constant(true) },
          ),
        }),
        {
          minLength: 2,
          maxLength: options.maxTables ?? 6,
        },
      ),
      keys: fc.array(rawKey, { minLength: 1, maxLength: options.maxKeys ?? 6 }),
      links: fc.array(rawLink, { maxLength: options.maxLinks ?? 2 }),
    })
    .map(({ tables, keys, links }) => ({
      tables,
      keys: keys.map((k) => fixKey(tables.length, k, options)),
      links: links.map((l) => fixLink(tables.length, l, options)),
    }))
