import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  bigint,
  bigserial,
  type ColumnRef,
  integer,
  serial,
  text,
  timestamp,
  uuid,
  varchar,
} from '../../../lib/schema/column.js'
import type { SchemaError } from '../../../lib/schema/errors.js'
import { belongsTo, hasMany, hasOne, manyToMany, parseCascade } from '../../../lib/schema/relation.js'
import { foreignKeyOrder, schema, schemaEither, tableKey } from '../../../lib/schema/schema.js'
import { table } from '../../../lib/schema/table.js'

// -------------------------------------------------------------------------------------
// fixtures
// -------------------------------------------------------------------------------------

const authors = table('authors', { id: serial().primaryKey(), name: varchar(50).notNull() })
const books = table('books', {
  id: serial().primaryKey(),
  title: varchar(50).notNull(),
  authorId: integer('author_id').references(() => authors.id),
})
const orders = table('orders', { id: serial().primaryKey() })
const items = table('items', { id: serial().primaryKey(), name: text().notNull() })
const orderItems = table('order_items', {
  orderId: integer('order_id')
    .references(() => orders.id)
    .primaryKey(),
  itemId: integer('item_id')
    .references(() => items.id)
    .primaryKey(),
})
// two foreign keys to authors
const edited = table('edited', {
  id: serial().primaryKey(),
  authorId: integer().references(() => authors.id),
  editorId: integer().references(() => authors.id),
})

const bookstoreRelations = {
  authors: {
    books: hasMany('books', {
      foreignKey: 'authorId',
      backPopulates: 'author',
      cascade: 'all, delete-orphan',
    }),
  },
  books: { author: belongsTo('authors', { foreignKey: 'authorId', backPopulates: 'books' }) },
  orders: { items: manyToMany('items', { through: 'orderItems', backPopulates: 'orders' }) },
  items: { orders: manyToMany('orders', { through: 'orderItems', backPopulates: 'items' }) },
}

/** The problems `schemaEither` reports (failing the test when it accepts the schema). */
const problems = (r: E.Either<ReadonlyArray<SchemaError>, unknown>): ReadonlyArray<SchemaError> => {
  if (E.isRight(r)) throw new Error('expected the schema to be rejected')
  return r.left
}

/** Asserts one problem of `reason` at `table`.`field`, whose message names both. */
const expectProblem = (
  r: E.Either<ReadonlyArray<SchemaError>, unknown>,
  reason: SchemaError['reason'],
  tableKey: string,
  field: string,
  mentions: ReadonlyArray<string> = [],
): SchemaError => {
  const found = problems(r).filter((e) => e.reason === reason && e.table === tableKey && e.field === field)
  expect(found, JSON.stringify(problems(r))).toHaveLength(1)
  const e = found[0]!
  expect(e._tag).toBe('SchemaError')
  expect(e.message.startsWith(`${tableKey}.${field}: `)).toBe(true)
  for (const m of mentions) expect(e.message).toContain(m)
  return e
}

// -------------------------------------------------------------------------------------
// happy paths
// -------------------------------------------------------------------------------------

describe('schema: valid declarations', () => {
  it('resolves the bookstore, one-to-many and many-to-many', () => {
    const s = schema({ authors, books, orders, items, orderItems }, bookstoreRelations)
    expect(s._tag).toBe('Schema')
    expect(s.foreignKeys).toEqual([
      {
        name: 'books_author_id_fkey',
        table: 'books',
        field: 'authorId',
        target: 'authors',
        targetField: 'id',
        onDelete: 'no action',
        onUpdate: 'no action',
        nullable: true,
      },
      {
        name: 'order_items_order_id_fkey',
        table: 'orderItems',
        field: 'orderId',
        target: 'orders',
        targetField: 'id',
        onDelete: 'no action',
        onUpdate: 'no action',
        nullable: false,
      },
      {
        name: 'order_items_item_id_fkey',
        table: 'orderItems',
        field: 'itemId',
        target: 'items',
        targetField: 'id',
        onDelete: 'no action',
        onUpdate: 'no action',
        nullable: false,
      },
    ])
    expect(s.keyOfTable).toEqual({
      authors: 'authors',
      books: 'books',
      orders: 'orders',
      items: 'items',
      order_items: 'orderItems',
    })
    const fk = s.foreignKeys[0]
    expect(s.relations.authors!.books).toMatchObject({
      kind: 'hasMany',
      source: 'authors',
      target: 'books',
      foreignKey: fk,
      through: undefined,
      backPopulates: 'author',
      cascade: { delete: true, deleteOrphan: true },
    })
    expect(s.relations.books!.author).toMatchObject({
      kind: 'belongsTo',
      foreignKey: fk,
      backPopulates: 'books',
    })
    expect(s.relations.orders!.items).toMatchObject({
      kind: 'manyToMany',
      foreignKey: { field: 'orderId' },
      through: { table: 'orderItems', targetKey: { field: 'itemId' } },
    })
    expect(s.relations.items!.orders).toMatchObject({
      foreignKey: { field: 'itemId' },
      through: { table: 'orderItems', targetKey: { field: 'orderId' } },
    })
    expect(Object.isFrozen(s)).toBe(true)
    expect(Object.isFrozen(s.foreignKeys)).toBe(true)
    expect(Object.isFrozen(s.relations.authors)).toBe(true)
    expect(tableKey(s, orderItems)).toBe('orderItems')
    expect(tableKey(s, edited)).toBeUndefined()
  })

  it('infers the foreign key of a relationship when there is exactly one', () => {
    const s = schema(
      { authors, books },
      {
        authors: { books: hasMany('books', { backPopulates: 'author' }) },
        books: { author: belongsTo('authors') },
      },
    )
    expect(s.relations.authors!.books!.foreignKey.field).toBe('authorId')
    expect(s.relations.books!.author!.foreignKey.field).toBe('authorId')
  })

  it('resolves a one-to-one (hasOne) with its belongsTo partner', () => {
    const users = table('users', { id: serial().primaryKey() })
    const profiles = table('profiles', {
      id: serial().primaryKey(),
      userId: integer()
        .notNull()
        .unique()
        .references(() => users.id, { onDelete: 'cascade' }),
    })
    const s = schema(
      { users, profiles },
      {
        users: { profile: hasOne('profiles', { backPopulates: 'user', passiveDeletes: true }) },
        profiles: { user: belongsTo('users', { backPopulates: 'profile' }) },
      },
    )
    expect(s.relations.users!.profile).toMatchObject({
      kind: 'hasOne',
      passiveDeletes: true,
      foreignKey: { table: 'profiles', field: 'userId', onDelete: 'cascade', nullable: false },
    })
  })

  it('resolves a self-referential many-to-many through a table with two keys to it', () => {
    const users = table('users', { id: serial().primaryKey() })
    const follows = table('follows', {
      followerId: integer()
        .references((): ColumnRef => users.id)
        .primaryKey(),
      followedId: integer()
        .references((): ColumnRef => users.id)
        .primaryKey(),
    })
    const s = schema(
      { users, follows },
      { users: { following: manyToMany('users', { through: 'follows' }) } },
    )
    // the first key in declaration order points at the source row
    expect(s.relations.users!.following).toMatchObject({
      kind: 'manyToMany',
      source: 'users',
      target: 'users',
      foreignKey: { field: 'followerId' },
      through: { table: 'follows', targetKey: { field: 'followedId' } },
    })
  })

  it('accepts a self-referential one-to-many with both ends', () => {
    const employees = table('employees', {
      id: serial().primaryKey(),
      managerId: integer().references((): ColumnRef => employees.id),
    })
    const s = schema(
      { employees },
      {
        employees: {
          reports: hasMany('employees', { foreignKey: 'managerId', backPopulates: 'manager' }),
          manager: belongsTo('employees', { foreignKey: 'managerId', backPopulates: 'reports' }),
        },
      },
    )
    expect(s.foreignKeys).toMatchObject([
      { table: 'employees', target: 'employees', name: 'employees_manager_id_fkey' },
    ])
  })

  it('accepts foreign keys across the integer and text families', () => {
    const big = table('big', { id: bigserial().primaryKey() })
    const codes = table('codes', { code: varchar(10).primaryKey() })
    const refs = table('refs', {
      bigId: bigint().references(() => big.id),
      code: text().references(() => codes.code),
      alt: varchar(5).references(() => codes.code),
    })
    expect(E.isRight(schemaEither({ big, codes, refs }))).toBe(true)
  })

  it('accepts delete-orphan on a belongsTo with singleParent', () => {
    const r = schemaEither(
      { authors, books },
      { books: { author: belongsTo('authors', { cascade: 'all, delete-orphan', singleParent: true }) } },
    )
    expect(E.isRight(r)).toBe(true)
  })
})

// -------------------------------------------------------------------------------------
// every SchemaError reason
// -------------------------------------------------------------------------------------

describe('schemaEither: foreign keys', () => {
  it('ForeignKeyTargetMissing: a key to a table outside the schema', () => {
    expectProblem(schemaEither({ books }), 'ForeignKeyTargetMissing', 'books', 'authorId', [
      '"authors"',
      'not in this schema',
    ])
  })

  it('ForeignKeyTargetMissing: a thunk that throws, or names no such column', () => {
    const broken = table('broken', {
      a: integer().references(() => {
        throw new Error('not yet defined')
      }),
      b: integer().references(() => ({ ...authors.id, field: 'nope' })),
    })
    const r = schemaEither({ authors, broken })
    expectProblem(r, 'ForeignKeyTargetMissing', 'broken', 'a', ['references nothing'])
    expectProblem(r, 'ForeignKeyTargetMissing', 'broken', 'b', ['authors.nope'])
  })

  it('ForeignKeyTargetNotUnique: a key to a column that is neither primary key nor unique', () => {
    const byName = table('by_name', { authorName: varchar(50).references(() => authors.name) })
    expectProblem(schemaEither({ authors, byName }), 'ForeignKeyTargetNotUnique', 'byName', 'authorName', [
      'authors.name',
    ])
  })

  it('ForeignKeyTargetNotUnique: one column of a composite primary key', () => {
    const part = table('part', { orderId: integer().references(() => orderItems.orderId) })
    expectProblem(
      schemaEither({ orders, items, orderItems, part }),
      'ForeignKeyTargetNotUnique',
      'part',
      'orderId',
      ['order_items.orderId'],
    )
  })

  it('ForeignKeyTypeMismatch: a key whose type differs from its target', () => {
    const notes = table('notes', {
      authorId: varchar(10).references(() => authors.id),
      at: timestamp().references(() => authors.id),
      ref: uuid().references(() => authors.id),
    })
    const r = schemaEither({ authors, notes })
    expectProblem(r, 'ForeignKeyTypeMismatch', 'notes', 'authorId', ['varchar', 'authors.id', 'serial'])
    expectProblem(r, 'ForeignKeyTypeMismatch', 'notes', 'at', ['timestamp'])
    expectProblem(r, 'ForeignKeyTypeMismatch', 'notes', 'ref', ['uuid'])
  })

  it('DuplicateTableName: two tables with one SQL name', () => {
    const writers = table('authors', { id: serial().primaryKey() })
    const e = expectProblem(schemaEither({ authors, writers }), 'DuplicateTableName', 'writers', '')
    expect(e.message).toContain('"authors"')
  })

  it('InvalidColumn: bad varchar length, defaultRandom off uuid, defaultNow off timestamps', () => {
    const bad = table('bad', {
      a: varchar(0),
      b: integer().defaultRandom(),
      c: text().defaultNow(),
      d: varchar(2.5),
    })
    const r = schemaEither({ bad })
    expectProblem(r, 'InvalidColumn', 'bad', 'a', ['varchar length'])
    expectProblem(r, 'InvalidColumn', 'bad', 'b', ['defaultRandom()'])
    expectProblem(r, 'InvalidColumn', 'bad', 'c', ['defaultNow()'])
    expectProblem(r, 'InvalidColumn', 'bad', 'd', ['varchar length'])
  })
})

describe('schemaEither: relationships', () => {
  it('RelationTargetMissing: a target outside the schema', () => {
    expectProblem(
      schemaEither({ authors }, { authors: { books: hasMany('books') } }),
      'RelationTargetMissing',
      'authors',
      'books',
      ['"books"'],
    )
  })

  it('RelationTargetMissing: relationships declared for an unknown table', () => {
    const relations = { writers: { books: hasMany('books') } } as unknown as Record<string, never>
    expectProblem(schemaEither({ authors, books }, relations), 'RelationTargetMissing', 'writers', '', [
      '"writers"',
    ])
  })

  it('RelationNameClash: a relationship named like a column', () => {
    expectProblem(
      schemaEither({ authors, books }, { books: { authorId: belongsTo('authors') } }),
      'RelationNameClash',
      'books',
      'authorId',
    )
  })

  it('ForeignKeyMissing: no key between the tables, or a foreignKey field that does not exist', () => {
    expectProblem(
      schemaEither({ authors, items }, { authors: { items: hasMany('items') } }),
      'ForeignKeyMissing',
      'authors',
      'items',
      ['items has no foreign key to authors'],
    )
    expectProblem(
      schemaEither(
        { authors, books },
        { books: { author: belongsTo('authors', { foreignKey: 'writerId' }) } },
      ),
      'ForeignKeyMissing',
      'books',
      'author',
      ['"writerId"'],
    )
  })

  it('ForeignKeyAmbiguous: two keys to the target and no foreignKey', () => {
    const r = schemaEither(
      { authors, edited },
      { authors: { edited: hasMany('edited') }, edited: { author: belongsTo('authors') } },
    )
    expectProblem(r, 'ForeignKeyAmbiguous', 'authors', 'edited', ['authorId, editorId', 'foreignKey'])
    expectProblem(r, 'ForeignKeyAmbiguous', 'edited', 'author', ['2 foreign keys'])
  })

  it('ForeignKeyMismatch: a foreignKey field that is not a key to the target', () => {
    const r = schemaEither(
      { authors, books, orders, orderItems, items },
      {
        books: { author: belongsTo('authors', { foreignKey: 'title' }) },
        orders: { lines: hasMany('orderItems', { foreignKey: 'itemId' }) },
      },
    )
    expectProblem(r, 'ForeignKeyMismatch', 'books', 'author', ['books.title is not a foreign key to authors'])
    expectProblem(r, 'ForeignKeyMismatch', 'orders', 'lines', ['(it references items)'])
  })

  it('ThroughTableMissing: a through table outside the schema', () => {
    expectProblem(
      schemaEither({ orders, items }, { orders: { items: manyToMany('items', { through: 'orderItems' }) } }),
      'ThroughTableMissing',
      'orders',
      'items',
      ['"orderItems"'],
    )
  })

  it('ThroughKeysMissing: a through table without one key to each side', () => {
    const r = schemaEither(
      { authors, books, orders, items, orderItems },
      {
        authors: { items: manyToMany('items', { through: 'orderItems' }) },
        orders: { authors: manyToMany('authors', { through: 'books' }) },
      },
    )
    expectProblem(r, 'ThroughKeysMissing', 'authors', 'items', ['"orderItems"', 'found 0 and 1'])
    expectProblem(r, 'ThroughKeysMissing', 'orders', 'authors', ['"books"'])
  })

  it('ThroughKeysMissing: a self-referential through table with one key', () => {
    const employees = table('employees', { id: serial().primaryKey() })
    const mentors = table('mentors', { mentorId: integer().references(() => employees.id) })
    expectProblem(
      schemaEither(
        { employees, mentors },
        { employees: { mentees: manyToMany('employees', { through: 'mentors' }) } },
      ),
      'ThroughKeysMissing',
      'employees',
      'mentees',
    )
  })

  it('BackPopulatesMissing: a partner that does not exist', () => {
    expectProblem(
      schemaEither({ authors, books }, { authors: { books: hasMany('books', { backPopulates: 'writer' }) } }),
      'BackPopulatesMissing',
      'authors',
      'books',
      ['"writer"', 'books'],
    )
  })

  it('BackPopulatesMismatch: the partner views a different foreign key', () => {
    const r = schemaEither(
      { authors, edited },
      {
        authors: { works: hasMany('edited', { foreignKey: 'authorId', backPopulates: 'editor' }) },
        edited: { editor: belongsTo('authors', { foreignKey: 'editorId', backPopulates: 'works' }) },
      },
    )
    expectProblem(r, 'BackPopulatesMismatch', 'authors', 'works', [
      'edited.editor views a different foreign key',
    ])
    expectProblem(r, 'BackPopulatesMismatch', 'edited', 'editor', [
      'authors.works views a different foreign key',
    ])
  })

  it('BackPopulatesMismatch: the partner is of the wrong kind', () => {
    const employees = table('employees', {
      id: serial().primaryKey(),
      managerId: integer().references((): ColumnRef => employees.id),
    })
    const r = schemaEither(
      { employees },
      {
        employees: {
          reports: hasMany('employees', { backPopulates: 'colleagues' }),
          colleagues: hasMany('employees', { backPopulates: 'reports' }),
        },
      },
    )
    expectProblem(r, 'BackPopulatesMismatch', 'employees', 'reports', [
      'is a hasMany but its partner employees.colleagues is a hasMany',
    ])
  })

  it('BackPopulatesMismatch: the partner points at another table', () => {
    const reviews = table('reviews', {
      id: serial().primaryKey(),
      authorId: integer().references(() => authors.id),
      bookId: integer().references(() => books.id),
    })
    const r = schemaEither(
      { authors, books, reviews },
      {
        authors: { reviews: hasMany('reviews', { backPopulates: 'book' }) },
        reviews: { book: belongsTo('books') },
      },
    )
    expectProblem(r, 'BackPopulatesMismatch', 'authors', 'reviews', [
      'partner reviews.book points at books, not authors',
    ])
  })

  it('BackPopulatesMismatch: a many-to-many whose partner is not one', () => {
    const r = schemaEither(
      { orders, items, orderItems },
      {
        orders: { items: manyToMany('items', { through: 'orderItems', backPopulates: 'lines' }) },
        items: { lines: hasMany('orderItems') },
      },
    )
    expectProblem(r, 'BackPopulatesMismatch', 'orders', 'items', [
      'is a manyToMany but its partner items.lines is a hasMany',
    ])
  })

  it('BackPopulatesMismatch: the partner back-populates another relationship', () => {
    const r = schemaEither(
      { authors, books },
      {
        authors: {
          books: hasMany('books', { backPopulates: 'author' }),
          writings: hasMany('books', { backPopulates: 'author' }),
        },
        books: { author: belongsTo('authors', { backPopulates: 'writings' }) },
      },
    )
    expectProblem(r, 'BackPopulatesMismatch', 'authors', 'books', ['back-populates "writings", not "books"'])
    expect(problems(r)).toHaveLength(1)
  })

  it('DeleteOrphanNeedsSingleParent: delete-orphan on a belongsTo or manyToMany', () => {
    const r = schemaEither(
      { authors, books, orders, items, orderItems },
      {
        books: { author: belongsTo('authors', { cascade: 'all, delete-orphan' }) },
        orders: { items: manyToMany('items', { through: 'orderItems', cascade: 'delete-orphan' }) },
      },
    )
    expectProblem(r, 'DeleteOrphanNeedsSingleParent', 'books', 'author', ['belongsTo', 'singleParent'])
    expectProblem(r, 'DeleteOrphanNeedsSingleParent', 'orders', 'items', ['manyToMany'])
  })

  it('reports every problem at once, and schema() throws them as a SchemaDefinitionError', () => {
    const tables = { books, edited }
    const relations = { books: { author: belongsTo('authors') }, edited: { nope: hasMany('nope') } }
    const r = schemaEither(tables, relations)
    expect(problems(r).map((e) => `${e.reason} ${e.table}.${e.field}`)).toEqual([
      'ForeignKeyTargetMissing books.authorId',
      'ForeignKeyTargetMissing edited.authorId',
      'ForeignKeyTargetMissing edited.editorId',
      'RelationTargetMissing books.author',
      'RelationTargetMissing edited.nope',
    ])
    let thrown: unknown
    try {
      schema(tables, relations)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(Error)
    expect(thrown).toMatchObject({ name: 'SchemaDefinitionError', errors: problems(r) })
    expect((thrown as Error).message).toContain('books.authorId: ')
    expect((thrown as Error).message).toContain('edited.nope: ')
  })
})

// -------------------------------------------------------------------------------------
// foreignKeyOrder
// -------------------------------------------------------------------------------------

describe('foreignKeyOrder', () => {
  it('puts every table after the tables it references, keeping declaration order where it can', () => {
    const s = schema({ orderItems, books, items, authors, orders })
    expect(foreignKeyOrder(s)).toEqual({
      order: ['items', 'authors', 'books', 'orders', 'orderItems'],
      cyclic: [],
    })
  })

  it('ignores self-references', () => {
    const employees = table('employees', {
      id: serial().primaryKey(),
      managerId: integer().references((): ColumnRef => employees.id),
    })
    expect(foreignKeyOrder(schema({ employees }))).toEqual({ order: ['employees'], cyclic: [] })
  })

  it('reports the tables of a cycle, placed together in declaration order', () => {
    const users = table('users', {
      id: serial().primaryKey(),
      favoritePostId: integer().references((): ColumnRef => posts.id),
    })
    const posts = table('posts', {
      id: serial().primaryKey(),
      userId: integer().references((): ColumnRef => users.id),
    })
    const s = schema({ users, posts, authors, books })
    expect(foreignKeyOrder(s)).toEqual({
      order: ['users', 'posts', 'authors', 'books'],
      cyclic: ['users', 'posts'],
    })
  })

  it('places a table declared after a cycle that it references after the cycle', () => {
    const users = table('users', {
      id: serial().primaryKey(),
      favoritePostId: integer().references((): ColumnRef => posts.id),
    })
    const posts = table('posts', {
      id: serial().primaryKey(),
      userId: integer().references((): ColumnRef => users.id),
    })
    const comments = table('comments', {
      id: serial().primaryKey(),
      postId: integer().references(() => posts.id),
    })
    const { order } = foreignKeyOrder(schema({ users, posts, comments }))
    expect(order.indexOf('comments')).toBeGreaterThan(order.indexOf('posts'))
  })
})

// -------------------------------------------------------------------------------------
// parseCascade
// -------------------------------------------------------------------------------------

describe('parseCascade', () => {
  const none = { saveUpdate: false, merge: false, delete: false, deleteOrphan: false, refreshExpunge: false }

  it('reads SQLAlchemy cascade strings', () => {
    expect(parseCascade('save-update, merge')).toEqual({ ...none, saveUpdate: true, merge: true })
    expect(parseCascade('all')).toEqual({
      saveUpdate: true,
      merge: true,
      delete: true,
      deleteOrphan: false,
      refreshExpunge: true,
    })
    expect(parseCascade('all, delete-orphan')).toEqual({
      saveUpdate: true,
      merge: true,
      delete: true,
      deleteOrphan: true,
      refreshExpunge: true,
    })
    expect(parseCascade('delete')).toEqual({ ...none, delete: true })
    expect(parseCascade('delete, delete-orphan')).toEqual({ ...none, delete: true, deleteOrphan: true })
    expect(parseCascade('expunge')).toEqual({ ...none, refreshExpunge: true })
    expect(parseCascade(' Save-Update ,DELETE ,, ')).toEqual({ ...none, saveUpdate: true, delete: true })
    expect(parseCascade('none')).toEqual(none)
    expect(parseCascade('')).toEqual(none)
  })

  it('rejects an unknown word, naming it', () => {
    expect(() => parseCascade('all, delete-orphans')).toThrow(TypeError)
    expect(() => parseCascade('all, delete-orphans')).toThrow(
      /unknown cascade "delete-orphans" in "all, delete-orphans"/,
    )
    expect(() => hasMany('books', { cascade: 'save' })).toThrow(/unknown cascade "save"/)
  })

  it('defaults a relationship to save-update, merge', () => {
    const r = hasMany('books')
    expect(r.cascade).toEqual({ ...none, saveUpdate: true, merge: true })
    expect(r.cascadeText).toBe('save-update, merge')
    expect(r).toMatchObject({ passiveDeletes: false, singleParent: false, backPopulates: undefined })
  })
})

// -------------------------------------------------------------------------------------
// table()
// -------------------------------------------------------------------------------------

describe('table', () => {
  it('derives snake_case column names from field names', () => {
    const t = table('t', {
      id: serial(),
      authorId: integer(),
      datePosted: timestamp(),
      userID: integer(),
      HTTPServer: text(),
      address2Line: text(),
      plain: text(),
    })
    expect(t.$spec.columnNames).toEqual({
      id: 'id',
      authorId: 'author_id',
      datePosted: 'date_posted',
      userID: 'user_id',
      HTTPServer: 'http_server',
      address2Line: 'address2_line',
      plain: 'plain',
    })
    expect(t.$spec.fields).toEqual([
      'id',
      'authorId',
      'datePosted',
      'userID',
      'HTTPServer',
      'address2Line',
      'plain',
    ])
  })

  it('keeps explicit column names', () => {
    const t = table('posts', {
      authorId: integer('writer'),
      postedAt: timestamp({ name: 'posted', withTimezone: true }),
    })
    expect(t.$spec.columnNames).toEqual({ authorId: 'writer', postedAt: 'posted' })
    expect(t.$spec.columns.postedAt!.sqlType).toEqual({ _tag: 'timestamp', withTimezone: true })
  })

  it('binds each column under its field name', () => {
    expect(books.authorId).toMatchObject({
      _tag: 'ColumnRef',
      table: 'books',
      field: 'authorId',
      column: 'author_id',
    })
    expect(books.$name).toBe('books')
    expect(Object.isFrozen(books)).toBe(true)
    expect(Object.isFrozen(books.$spec)).toBe(true)
    expect(Object.isFrozen(books.$spec.columns.title)).toBe(true)
  })

  it('takes a composite primary key from options', () => {
    const t = table(
      'order_items',
      { orderId: integer(), itemId: integer(), qty: integer() },
      { primaryKey: ['orderId', 'itemId'] },
    )
    expect(t.$spec.primaryKey).toEqual(['orderId', 'itemId'])
    expect(t.$spec.columns.orderId).toMatchObject({ primaryKey: true, nullable: false })
    expect(t.$spec.columns.qty).toMatchObject({ primaryKey: false, nullable: true })
  })

  it('takes a composite primary key from two .primaryKey() columns', () => {
    expect(orderItems.$spec.primaryKey).toEqual(['orderId', 'itemId'])
    expect(orderItems.$spec.columns.itemId).toMatchObject({ primaryKey: true, nullable: false })
  })

  it('indexes every foreign key but the leading primary-key column, unless index(false)', () => {
    expect(books.$spec.indexes).toEqual([
      { name: 'books_author_id_idx', fields: ['authorId'], unique: false },
    ])
    expect(orderItems.$spec.indexes).toEqual([
      { name: 'order_items_item_id_idx', fields: ['itemId'], unique: false },
    ])
    const quiet = table('quiet', {
      authorId: integer()
        .references(() => authors.id)
        .index(false),
      slug: text().index(),
    })
    expect(quiet.$spec.indexes).toEqual([{ name: 'quiet_slug_idx', fields: ['slug'], unique: false }])
  })

  it('collects unique groups and declared indexes', () => {
    const t = table(
      'seats',
      { code: text().unique(), row: integer(), number: integer() },
      {
        unique: [['row', 'number']],
        indexes: [
          { fields: ['number', 'row'], unique: true },
          { fields: ['code'], name: 'c' },
        ],
      },
    )
    expect(t.$spec.unique).toEqual([['code'], ['row', 'number']])
    expect(t.$spec.indexes).toEqual([
      { name: 'seats_number_row_idx', fields: ['number', 'row'], unique: true },
      { name: 'c', fields: ['code'], unique: false },
    ])
  })

  it('rejects reserved field names and options naming unknown fields', () => {
    expect(() => table('t', { _tag: integer() })).toThrow(/field name "_tag" is reserved/)
    expect(() => table('t', { $name: integer() })).toThrow(/field name "\$name" is reserved/)
    expect(() => table('t', { $x: integer() })).toThrow(TypeError)
    const fields = { a: integer() } as Record<string, ReturnType<typeof integer>>
    expect(() => table('t', fields, { primaryKey: ['b'] })).toThrow(/primaryKey names unknown field "b"/)
    expect(() => table('t', fields, { unique: [['b']] })).toThrow(/unique names unknown field "b"/)
    expect(() => table('t', fields, { indexes: [{ fields: ['b'] }] })).toThrow(
      /index names unknown field "b"/,
    )
  })
})
