/**
 * Eager loading of relationships: `include('books')`, refined and nested with a
 * callback — `include('books', (b) => pipe(b, Q.orderBy(…), Q.include('reviews')))`.
 *
 * A query learns its relationships from the schema it starts from (`Q.from(schema,
 * 'authors')`): the schema value carries the declared relationships as a phantom type,
 * so a misspelt name is a compile error at the `include` itself, and the loaded rows are
 * typed by relationship kind — a list for `hasMany` and `manyToMany`, one row or `null`
 * for `belongsTo` and `hasOne`. Loading runs one query per relationship level
 * (`= ANY($1)` on the keys of the rows above), never one per row.
 *
 * @since 0.1.0
 */
import type { Relation, RelationKind } from '../schema/relation.js'
import type { AnySchema, ResolvedRelation } from '../schema/schema.js'
import type { AnyTable, Row } from '../schema/table.js'
import type { Include, Select } from './ast.js'
import { from, type In, type Query } from './query.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

type Simplify<A> = { [K in keyof A]: A[K] } & {}

/** The relationships declared on the table of a query's schema context, by name. @category utility types */
export type RelationsOf<C> =
  C extends In<infer S, infer K>
    ? NonNullable<S['$relations']> extends infer D
      ? K extends keyof D
        ? NonNullable<D[K]>
        : {}
      : {}
    : {}

/** The names `include` accepts on a query with context `C` (none without a schema). @category utility types */
export type RelationName<C> = keyof RelationsOf<C> & string

type SchemaOf<C> = C extends In<infer S, any> ? S : never
type TargetKey<C, N> = RelationsOf<C>[N & keyof RelationsOf<C>] extends Relation<any, infer K> ? K : never

/** The related table of relationship `N`. @category utility types */
export type TargetTable<C, N> = SchemaOf<C>['tables'][TargetKey<C, N>]

/** The query an include's callback refines: all rows of the related table, in the same schema. @category utility types */
export type TargetQuery<C, N> = Query<
  TargetTable<C, N>,
  Row<TargetTable<C, N>>,
  {},
  In<SchemaOf<C>, TargetKey<C, N>>
>

/** What a loaded relationship holds: a list (`hasMany`, `manyToMany`) or one row or `null`. @category utility types */
export type Loaded<K extends RelationKind, A> = K extends 'hasMany' | 'manyToMany'
  ? ReadonlyArray<A>
  : A | null

type KindOf<C, N> = RelationsOf<C>[N & keyof RelationsOf<C>] extends Relation<infer K, any> ? K : never

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

const invalid = (name: string, message: string): Include =>
  Object.freeze({ _tag: 'Include', name, query: undefined, invalid: message })

/**
 * Loads relationship `name` with the rows, under that name.
 *
 * Shape: `include(name, refine?)` → `(Query<T, R, J, In<S, K>>) → Query<T, R & { name: Loaded }, J, In<S, K>>`;
 * `refine` gets the query of the related rows — add `where`, `orderBy`, `limit`/`offset`
 * (per parent row), `select` or nested `include`s.
 * Units: one extra statement per include per level, whatever the number of rows.
 * Errors: a name that is not a relationship of the query's table is a compile error (and,
 * past the types, an `InvalidQuery` when the query runs); so is an include on a query
 * started from a table instead of a schema. A parent `select` must keep the key field the
 * relationship joins on, else `InvalidQuery`.
 * Source: SQLAlchemy `selectinload`; Ecto `preload`; PERFORMANCE.md (two queries beat
 * lateral `json_agg`).
 * @example
 * pipe(Q.from(bookstore, 'authors'), Q.include('books', (b) => pipe(b, Q.orderBy((x) => x.title))))
 * @category combinators
 * @since 0.1.0
 */
export const include =
  <T extends AnyTable, R, J, C, N extends RelationName<C>, SubR = Row<TargetTable<C, N>>>(
    name: N,
    refine?: (related: TargetQuery<C, N>) => Select<any, SubR, any, any>,
  ) =>
  (q: Query<T, R, J, C>): Query<T, Simplify<R & { readonly [P in N]: Loaded<KindOf<C, N>, SubR> }>, J, C> => {
    const ctx = q.context
    const rel = ctx === undefined ? undefined : (ctx.schema as AnySchema).relations[ctx.key]?.[name]
    const inc =
      ctx === undefined
        ? invalid(
            name,
            `include(${JSON.stringify(name)}): start the query from a schema, Q.from(schema, key)`,
          )
        : rel === undefined || !Object.hasOwn(ctx.schema.relations[ctx.key] ?? {}, name)
          ? invalid(name, `include: ${ctx.key} has no relationship ${JSON.stringify(name)}`)
          : (() => {
              const related = from(ctx.schema, rel.target) as unknown as TargetQuery<C, N>
              const sub = refine === undefined ? related : refine(related)
              return Object.freeze({
                _tag: 'Include' as const,
                name,
                query: sub as Select,
                invalid: undefined,
              })
            })()
    return Object.freeze({
      ...q,
      includes: Object.freeze([...q.includes.filter((i) => i.name !== name), inc]),
    }) as unknown as Query<T, Simplify<R & { readonly [P in N]: Loaded<KindOf<C, N>, SubR> }>, J, C>
  }

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * How a relationship's rows are matched to the rows above them:
 * `parentField` is read from each parent row (its key values are sent as one array);
 * `match` is the field they are compared with — on the related table, or (`through`)
 * on the association table, which is then joined to the related table on
 * `through.field = targetField`.
 * Shape: `ResolvedRelation` → `RelationKeys`.
 * @category destructors
 * @since 0.1.0
 */
export const relationKeys = (rel: ResolvedRelation): RelationKeys => {
  const fk = rel.foreignKey
  switch (rel.kind) {
    case 'belongsTo':
      return { parentField: fk.field, table: rel.target, match: fk.targetField, through: undefined }
    case 'hasMany':
    case 'hasOne':
      return { parentField: fk.targetField, table: rel.target, match: fk.field, through: undefined }
    case 'manyToMany': {
      const t = rel.through!
      return {
        parentField: fk.targetField,
        table: t.table,
        match: fk.field,
        through: { field: t.targetKey.field, targetField: t.targetKey.targetField },
      }
    }
  }
}

/** See `relationKeys`. Table keys are schema keys. @category models */
export interface RelationKeys {
  readonly parentField: string
  /** The table holding `match`: the related table, or the association table. */
  readonly table: string
  readonly match: string
  readonly through: { readonly field: string; readonly targetField: string } | undefined
}
