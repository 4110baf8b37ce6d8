/**
 * Relationship declarations: `hasMany`, `belongsTo`, `hasOne`, `manyToMany`.
 *
 * A relationship is a view of a foreign key, never a second source of truth: a book's
 * `author` and an author's `books` both read `books.author_id`. These constructors only
 * record what the user wrote; `schema()` resolves the foreign keys and checks that both
 * ends agree.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The cascade rules of a relationship, parsed from SQLAlchemy's string form. @category models */
export interface Cascade {
  readonly saveUpdate: boolean
  readonly merge: boolean
  readonly delete: boolean
  readonly deleteOrphan: boolean
  readonly refreshExpunge: boolean
}

/** The four relationship kinds. @category models */
export type RelationKind = 'hasMany' | 'belongsTo' | 'hasOne' | 'manyToMany'

/** Options shared by every kind. @category models */
export interface RelationOptions {
  /** The partner relationship on the target that views the same foreign key from the other side. */
  readonly backPopulates?: string
  /** SQLAlchemy's cascade string, e.g. `'all, delete-orphan'`. Default: `'save-update, merge'`. */
  readonly cascade?: string
  /** Leave child deletes to the database's `ON DELETE` (SQLAlchemy `passive_deletes=True`). */
  readonly passiveDeletes?: boolean
  /** Allows `delete-orphan` on a `belongsTo`/`manyToMany` (SQLAlchemy `single_parent=True`). */
  readonly singleParent?: boolean
}

/** A declared relationship, as written (unresolved). `T` is the target table's key in the schema. @category models */
export interface Relation<K extends RelationKind = RelationKind, T extends string = string> {
  readonly _tag: 'Relation'
  readonly kind: K
  readonly target: T
  /** The foreign-key field: on the target for `hasMany`/`hasOne`, on this table for `belongsTo`. */
  readonly foreignKey: string | undefined
  /** The association table's key in the schema (`manyToMany` only). */
  readonly through: string | undefined
  /** `manyToMany` only: the association table's field pointing at the target (needed when both point at one table). */
  readonly targetForeignKey: string | undefined
  readonly backPopulates: string | undefined
  readonly cascade: Cascade
  /** The cascade string as written, for messages. */
  readonly cascadeText: string
  readonly passiveDeletes: boolean
  readonly singleParent: boolean
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const cascadeWords = [
  'save-update',
  'merge',
  'delete',
  'delete-orphan',
  'refresh-expunge',
  'expunge',
  'all',
  'none',
]

/**
 * Parses a cascade string (`'all, delete-orphan'`). `all` means save-update, merge,
 * refresh-expunge and delete — not delete-orphan — as in SQLAlchemy.
 * Errors: throws `TypeError` naming an unknown word. Source: SQLAlchemy "Cascades".
 * @category constructors
 * @since 0.1.0
 */
export const parseCascade = (text: string): Cascade => {
  const words = text
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length > 0)
  for (const w of words) {
    if (!cascadeWords.includes(w)) {
      throw new TypeError(`unknown cascade "${w}" in "${text}" (known: ${cascadeWords.join(', ')})`)
    }
  }
  const has = (w: string) => words.includes(w)
  const all = has('all')
  return Object.freeze({
    saveUpdate: all || has('save-update'),
    merge: all || has('merge'),
    delete: all || has('delete'),
    deleteOrphan: has('delete-orphan'),
    refreshExpunge: all || has('refresh-expunge') || has('expunge'),
  })
}

const defaultCascade = 'save-update, merge'

const make = <K extends RelationKind, T extends string>(
  kind: K,
  target: T,
  foreignKey: string | undefined,
  through: string | undefined,
  options: RelationOptions & { readonly targetForeignKey?: string },
): Relation<K, T> =>
  Object.freeze({
    _tag: 'Relation' as const,
    kind,
    target,
    foreignKey,
    through,
    targetForeignKey: options.targetForeignKey,
    backPopulates: options.backPopulates,
    cascade: parseCascade(options.cascade ?? defaultCascade),
    cascadeText: options.cascade ?? defaultCascade,
    passiveDeletes: options.passiveDeletes ?? false,
    singleParent: options.singleParent ?? false,
  })

/**
 * One-to-many: rows of `target` whose `foreignKey` points at this table.
 * Shape: `hasMany(targetKey, { foreignKey?, backPopulates?, cascade?, passiveDeletes? })`.
 * `foreignKey` may be omitted when the target has exactly one foreign key to this table.
 * Source: SQLAlchemy `relationship()` one-to-many.
 * @category constructors
 * @since 0.1.0
 */
export const hasMany = <T extends string>(
  target: T,
  options: RelationOptions & { readonly foreignKey?: string } = {},
): Relation<'hasMany', T> => make('hasMany', target, options.foreignKey, undefined, options)

/**
 * One-to-one from the parent's side (SQLAlchemy `uselist=False`): at most one row of
 * `target` points at this row. Shape as `hasMany`.
 * @category constructors
 * @since 0.1.0
 */
export const hasOne = <T extends string>(
  target: T,
  options: RelationOptions & { readonly foreignKey?: string } = {},
): Relation<'hasOne', T> => make('hasOne', target, options.foreignKey, undefined, options)

/**
 * Many-to-one: this table's `foreignKey` points at `target`.
 * Shape: `belongsTo(targetKey, { foreignKey?, backPopulates?, cascade?, singleParent? })`.
 * @category constructors
 * @since 0.1.0
 */
export const belongsTo = <T extends string>(
  target: T,
  options: RelationOptions & { readonly foreignKey?: string } = {},
): Relation<'belongsTo', T> => make('belongsTo', target, options.foreignKey, undefined, options)

/**
 * Many-to-many through an association table that holds a foreign key to each side.
 * Shape: `manyToMany(targetKey, { through: associationKey, backPopulates?, cascade?,
 * foreignKey?, targetForeignKey? })`. When the association table has two keys to the
 * same table (followers/following), `foreignKey` names the field pointing at this row
 * and `targetForeignKey` the field pointing at the related row.
 * Source: SQLAlchemy `relationship(secondary=…)`.
 * @category constructors
 * @since 0.1.0
 */
export const manyToMany = <T extends string>(
  target: T,
  options: RelationOptions & {
    readonly through: string
    readonly foreignKey?: string
    readonly targetForeignKey?: string
  },
): Relation<'manyToMany', T> => make('manyToMany', target, options.foreignKey, options.through, options)
