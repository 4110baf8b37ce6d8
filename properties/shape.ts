/**
 * Schema shapes: a small, printable description of a random schema (tables, foreign
 * keys, association tables and the relationships on each side), and the origami schema
 * value it stands for. The arbitraries generate shapes, never schema values, so a
 * shrunk counter-example prints as a few readable lines.
 *
 * @since 0.1.0
 */
import {
  type AnySchema,
  type AnyTable,
  belongsTo,
  hasMany,
  hasOne,
  integer,
  manyToMany,
  type ReferentialAction,
  type Relation,
  schema,
  table,
  version,
} from '../lib/index.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An entity table `t<i>`: `id integer primary key`, `n integer` and maybe `version`. @category models */
export interface TableShape {
  readonly version: boolean
}

/** The parent side of a foreign key: `hasMany` (or `hasOne` for a one-to-one). @category models */
export interface ParentSide {
  readonly cascade: string
  readonly passiveDeletes: boolean
}

/** The child side of a foreign key: `belongsTo`. @category models */
export interface ChildSide {
  readonly cascade: string
  readonly singleParent: boolean
}

/**
 * Foreign key `fk<e>` of table `t<child>` to `t<parent>.id` (`parent === child`: a
 * self-reference). `one`: one-to-one, the key is unique. @category models
 */
export interface KeyShape {
  readonly kind: 'many' | 'one'
  readonly child: number
  readonly parent: number
  readonly nullable: boolean
  readonly onDelete: ReferentialAction
  /** `kids<e>` (hasMany) or `kid<e>` (hasOne) on the parent, when declared. */
  readonly parentSide: ParentSide | null
  /** `up<e>` (belongsTo) on the child, when declared. */
  readonly childSide: ChildSide | null
}

/** One side of a many-to-many: its relationship options, when declared. @category models */
export interface LinkSide {
  readonly cascade: string
  readonly passiveDeletes: boolean
  readonly singleParent: boolean
}

/**
 * Association table `l<k>` (`a` → `t<left>.id`, `b` → `t<right>.id`, primary key
 * `(a, b)`), with `to<k>` declared on the left table and `from<k>` on the right one.
 * @category models
 */
export interface LinkShape {
  readonly left: number
  readonly right: number
  readonly onDeleteA: ReferentialAction
  readonly onDeleteB: ReferentialAction
  readonly leftSide: LinkSide | null
  readonly rightSide: LinkSide | null
}

/** A random schema, as data. @category models */
export interface SchemaShape {
  readonly tables: ReadonlyArray<TableShape>
  readonly keys: ReadonlyArray<KeyShape>
  readonly links: ReadonlyArray<LinkShape>
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const tableName = (i: number) => `t${i}`

/**
 * The origami schema a shape stands for. Table keys and SQL names are equal (`t0`,
 * `l0`), so the model, the printout and the SQL all use one name.
 * Errors: throws `SchemaDefinitionError` for a shape the arbitraries would never make.
 * @category destructors
 * @since 0.1.0
 */
export const buildSchema = (shape: SchemaShape): AnySchema => {
  const built: Record<string, AnyTable> = {}
  const ref = (i: number) => () => (built[tableName(i)] as any).id
  shape.tables.forEach((t, i) => {
    const columns: Record<string, any> = { id: integer().primaryKey(), n: integer() }
    if (t.version) columns.version = version()
    shape.keys.forEach((k, e) => {
      if (k.child !== i) return
      let c: any = integer(`fk${e}`)
      if (!k.nullable) c = c.notNull()
      if (k.kind === 'one') c = c.unique()
      columns[`fk${e}`] = c.references(ref(k.parent), { onDelete: k.onDelete })
    })
    built[tableName(i)] = table(tableName(i), columns)
  })
  shape.links.forEach((l, k) => {
    built[`l${k}`] = table(`l${k}`, {
      a: integer('a').primaryKey().references(ref(l.left), { onDelete: l.onDeleteA }),
      b: integer('b').primaryKey().references(ref(l.right), { onDelete: l.onDeleteB }),
    })
  })
  const relations: Record<string, Record<string, Relation>> = {}
  const on = (t: number) => {
    relations[tableName(t)] ??= {}
    return relations[tableName(t)]!
  }
  shape.keys.forEach((k, e) => {
    const kids = k.kind === 'one' ? `kid${e}` : `kids${e}`
    const both = k.parentSide !== null && k.childSide !== null
    if (k.parentSide !== null) {
      const make = k.kind === 'one' ? hasOne : hasMany
      on(k.parent)[kids] = make(tableName(k.child), {
        foreignKey: `fk${e}`,
        cascade: k.parentSide.cascade,
        passiveDeletes: k.parentSide.passiveDeletes,
        ...(both ? { backPopulates: `up${e}` } : {}),
      })
    }
    if (k.childSide !== null) {
      on(k.child)[`up${e}`] = belongsTo(tableName(k.parent), {
        foreignKey: `fk${e}`,
        cascade: k.childSide.cascade,
        singleParent: k.childSide.singleParent,
        ...(both ? { backPopulates: kids } : {}),
      })
    }
  })
  shape.links.forEach((l, k) => {
    const both = l.leftSide !== null && l.rightSide !== null
    if (l.leftSide !== null) {
      on(l.left)[`to${k}`] = manyToMany(tableName(l.right), {
        through: `l${k}`,
        foreignKey: 'a',
        targetForeignKey: 'b',
        ...l.leftSide,
        ...(both ? { backPopulates: `from${k}` } : {}),
      })
    }
    if (l.rightSide !== null) {
      on(l.right)[`from${k}`] = manyToMany(tableName(l.left), {
        through: `l${k}`,
        foreignKey: 'b',
        targetForeignKey: 'a',
        ...l.rightSide,
        ...(both ? { backPopulates: `to${k}` } : {}),
      })
    }
  })
  return schema(built, relations as any)
}

const sideText = (o: { cascade: string; passiveDeletes?: boolean; singleParent?: boolean }) =>
  [`cascade "${o.cascade}"`, o.passiveDeletes ? 'passiveDeletes' : '', o.singleParent ? 'singleParent' : '']
    .filter((x) => x !== '')
    .join(', ')

/**
 * A shape as a few lines of text, one per table, key and association, e.g.
 * `t1.fk0 → t0 NOT NULL on delete no action; t0.kids0 hasMany cascade "all"`.
 * @category destructors
 * @since 0.1.0
 */
export const describeShape = (shape: SchemaShape): string =>
  [
    ...shape.tables.map((t, i) => `${tableName(i)}(id, n${t.version ? ', version' : ''})`),
    ...shape.keys.map((k, e) =>
      [
        `${tableName(k.child)}.fk${e} → ${tableName(k.parent)}${k.nullable ? '' : ' NOT NULL'}${k.kind === 'one' ? ' UNIQUE' : ''} on delete ${k.onDelete}`,
        k.parentSide === null
          ? ''
          : `${tableName(k.parent)}.${k.kind === 'one' ? 'kid' : 'kids'}${e} ${k.kind === 'one' ? 'hasOne' : 'hasMany'} ${sideText(k.parentSide)}`,
        k.childSide === null ? '' : `${tableName(k.child)}.up${e} belongsTo ${sideText(k.childSide)}`,
      ]
        .filter((x) => x !== '')
        .join('; '),
    ),
    ...shape.links.map((l, k) =>
      [
        `l${k}(a → ${tableName(l.left)} on delete ${l.onDeleteA}, b → ${tableName(l.right)} on delete ${l.onDeleteB})`,
        l.leftSide === null ? '' : `${tableName(l.left)}.to${k} manyToMany ${sideText(l.leftSide)}`,
        l.rightSide === null ? '' : `${tableName(l.right)}.from${k} manyToMany ${sideText(l.rightSide)}`,
      ]
        .filter((x) => x !== '')
        .join('; '),
    ),
  ].join('\n')
