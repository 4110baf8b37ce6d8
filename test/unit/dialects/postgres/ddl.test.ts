import { describe, expect, it } from 'vitest'
import { compiled } from '../../../../lib/dialects/postgres/compiled.js'
import {
  addForeignKey,
  createAll,
  createIndex,
  createTable,
  dropAll,
  foreignKeyConstraint,
} from '../../../../lib/dialects/postgres/ddl.js'
import {
  bigint,
  bigserial,
  boolean,
  type ColumnRef,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  real,
  serial,
  text,
  timestamp,
  uuid,
  varchar,
  version,
} from '../../../../lib/schema/column.js'
import { belongsTo, hasMany, manyToMany } from '../../../../lib/schema/relation.js'
import { schema } from '../../../../lib/schema/schema.js'
import { table } from '../../../../lib/schema/table.js'

const texts = (cs: ReadonlyArray<{ readonly text: string }>) => cs.map((c) => c.text)

// -------------------------------------------------------------------------------------
// the bookstore of DESIGN.md
// -------------------------------------------------------------------------------------

const authors = table('authors', { id: serial().primaryKey(), name: varchar(50).notNull() })
const books = table('books', {
  id: serial().primaryKey(),
  title: varchar(50).notNull(),
  authorId: integer('author_id').references(() => authors.id),
})
const orders = table('orders', {
  id: serial().primaryKey(),
  placedAt: timestamp({ withTimezone: true }).defaultNow(),
})
const items = table('items', { id: serial().primaryKey(), name: text().notNull() })
const orderItems = table('order_items', {
  orderId: integer('order_id')
    .references(() => orders.id)
    .primaryKey(),
  itemId: integer('item_id')
    .references(() => items.id)
    .primaryKey(),
})
const bookstore = schema(
  { authors, books, orders, items, orderItems },
  {
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
  },
)

describe('createAll on the bookstore', () => {
  it('creates every table in foreign-key order, then the foreign-key indexes', () => {
    expect(texts(createAll(bookstore))).toEqual([
      `CREATE TABLE "authors" (
  "id" serial NOT NULL,
  "name" varchar(50) NOT NULL,
  CONSTRAINT "authors_pkey" PRIMARY KEY ("id")
)`,
      `CREATE TABLE "books" (
  "id" serial NOT NULL,
  "title" varchar(50) NOT NULL,
  "author_id" integer,
  CONSTRAINT "books_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "books_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "authors" ("id")
)`,
      `CREATE TABLE "orders" (
  "id" serial NOT NULL,
  "placed_at" timestamptz DEFAULT now(),
  CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
)`,
      `CREATE TABLE "items" (
  "id" serial NOT NULL,
  "name" text NOT NULL,
  CONSTRAINT "items_pkey" PRIMARY KEY ("id")
)`,
      `CREATE TABLE "order_items" (
  "order_id" integer NOT NULL,
  "item_id" integer NOT NULL,
  CONSTRAINT "order_items_pkey" PRIMARY KEY ("order_id", "item_id"),
  CONSTRAINT "order_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders" ("id"),
  CONSTRAINT "order_items_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items" ("id")
)`,
      // order_items.order_id leads the primary key, whose index serves it already
      'CREATE INDEX "books_author_id_idx" ON "books" ("author_id")',
      'CREATE INDEX "order_items_item_id_idx" ON "order_items" ("item_id")',
    ])
  })

  it('returns frozen statements without parameters', () => {
    const all = createAll(bookstore)
    expect(Object.isFrozen(all)).toBe(true)
    for (const c of all) {
      expect(Object.isFrozen(c)).toBe(true)
      expect(c.params).toEqual([])
    }
  })

  it('orders tables by their foreign keys, not by declaration', () => {
    const reversed = schema({ orderItems, items, orders, books, authors })
    expect(texts(createAll(reversed)).map((t) => t.split(' (')[0])).toEqual([
      'CREATE TABLE "items"',
      'CREATE TABLE "orders"',
      'CREATE TABLE "order_items"',
      'CREATE TABLE "authors"',
      'CREATE TABLE "books"',
      'CREATE INDEX "order_items_item_id_idx" ON "order_items"',
      'CREATE INDEX "books_author_id_idx" ON "books"',
    ])
  })
})

describe('dropAll', () => {
  it('drops every table if it exists, with CASCADE, in reverse foreign-key order', () => {
    expect(texts(dropAll(bookstore))).toEqual([
      'DROP TABLE IF EXISTS "order_items" CASCADE',
      'DROP TABLE IF EXISTS "items" CASCADE',
      'DROP TABLE IF EXISTS "orders" CASCADE',
      'DROP TABLE IF EXISTS "books" CASCADE',
      'DROP TABLE IF EXISTS "authors" CASCADE',
    ])
  })

  it('is frozen and parameterless', () => {
    const all = dropAll(bookstore)
    expect(Object.isFrozen(all)).toBe(true)
    expect(all[0]).toEqual(compiled('DROP TABLE IF EXISTS "order_items" CASCADE', []))
  })
})

// -------------------------------------------------------------------------------------
// column types and defaults
// -------------------------------------------------------------------------------------

const moment = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))
const everything = table('everything', {
  id: bigserial().primaryKey(),
  seq: serial(),
  count: integer().notNull().default(0),
  big: bigint().default(9007199254740993n),
  ratio: real().default(0.5),
  score: doublePrecision().default(-1.25),
  price: numeric(10, 2).default('12.50'),
  whole: numeric(5),
  anyNumber: numeric(),
  code: varchar(8).default("O'Reilly"),
  path: text().default("C:\\dir\\it's"),
  active: boolean().notNull().default(true),
  archived: boolean().default(false),
  createdAt: timestamp().defaultNow(),
  seenAt: timestamp({ withTimezone: true }).defaultNow(),
  startsAt: timestamp('starts').default(moment),
  endsAt: timestamp({ withTimezone: true }).default(moment),
  day: date().defaultNow(),
  firstDay: date().default('2024-01-01'),
  token: uuid().notNull().defaultRandom(),
  fixed: uuid().default('00000000-0000-0000-0000-000000000000'),
  meta: jsonb().default({ tags: ["it's", 'a\\b'], n: 1 }),
  label: jsonb().default('draft'),
  blank: jsonb(),
  status: text().notNull().defaultSql("'draft'"),
  rev: version(),
})

describe('createTable: column types and defaults', () => {
  it('renders every type and every kind of default', () => {
    expect(createTable(everything)).toEqual({
      text: `CREATE TABLE "everything" (
  "id" bigserial NOT NULL,
  "seq" serial NOT NULL,
  "count" integer NOT NULL DEFAULT 0,
  "big" bigint DEFAULT 9007199254740993,
  "ratio" real DEFAULT 0.5,
  "score" double precision DEFAULT -1.25,
  "price" numeric(10, 2) DEFAULT '12.50',
  "whole" numeric(5),
  "any_number" numeric,
  "code" varchar(8) DEFAULT 'O''Reilly',
  "path" text DEFAULT E'C:\\\\dir\\\\it''s',
  "active" boolean NOT NULL DEFAULT TRUE,
  "archived" boolean DEFAULT FALSE,
  "created_at" timestamp DEFAULT (now() AT TIME ZONE 'UTC'),
  "seen_at" timestamptz DEFAULT now(),
  "starts" timestamp DEFAULT '2024-01-02T03:04:05.678'::timestamp,
  "ends_at" timestamptz DEFAULT '2024-01-02T03:04:05.678Z'::timestamptz,
  "day" date DEFAULT current_date,
  "first_day" date DEFAULT '2024-01-01',
  "token" uuid NOT NULL DEFAULT gen_random_uuid(),
  "fixed" uuid DEFAULT '00000000-0000-0000-0000-000000000000',
  "meta" jsonb DEFAULT E'{"tags":["it''s","a\\\\\\\\b"],"n":1}'::jsonb,
  "label" jsonb DEFAULT '"draft"'::jsonb,
  "blank" jsonb,
  "status" text NOT NULL DEFAULT ('draft'),
  "rev" integer NOT NULL DEFAULT 1,
  CONSTRAINT "everything_pkey" PRIMARY KEY ("id")
)`,
      params: [],
    })
  })

  it('names the table and column of a default that cannot be rendered', () => {
    const bad = [
      table('t', { x: doublePrecision().default(Number.NaN) }),
      table('t', { x: doublePrecision().default(Number.POSITIVE_INFINITY) }),
      table('t', { x: text().default('a\u0000b') }),
      table('t', { x: timestamp().default(new Date(Number.NaN)) }),
      table('t', { x: jsonb().default({ at: new Date(0) }) }),
      table('t', { x: jsonb().default(() => 1) }),
      table('t', { x: integer().default(undefined as unknown as number) }),
    ]
    for (const t of bad) {
      expect(() => createTable(t)).toThrow(TypeError)
      expect(() => createTable(t)).toThrow(/^column t\.x: /)
    }
  })

  it('rejects defaultNow and defaultRandom on columns that cannot take them', () => {
    expect(() => createTable(table('t', { x: text().defaultNow() }))).toThrow(/t\.x: defaultNow\(\)/)
    expect(() => createTable(table('t', { x: text().defaultRandom() }))).toThrow(/t\.x: defaultRandom\(\)/)
  })

  it('rejects type parameters PostgreSQL would not accept', () => {
    expect(() => createTable(table('t', { x: varchar(0) }))).toThrow(/t\.x: varchar length/)
    expect(() => createTable(table('t', { x: numeric(1.5) }))).toThrow(/t\.x: numeric precision/)
  })

  it('renders an empty table', () => {
    expect(createTable(table('nothing', {})).text).toBe('CREATE TABLE "nothing" ()')
  })
})

// -------------------------------------------------------------------------------------
// foreign keys: self references, cycles, actions
// -------------------------------------------------------------------------------------

describe('createAll: foreign keys', () => {
  it('declares a self-referential foreign key inline', () => {
    const employees = table('employees', {
      id: serial().primaryKey(),
      managerId: integer('manager_id').references((): ColumnRef => employees.id, { onDelete: 'set null' }),
    })
    expect(texts(createAll(schema({ employees })))).toEqual([
      `CREATE TABLE "employees" (
  "id" serial NOT NULL,
  "manager_id" integer,
  CONSTRAINT "employees_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "employees_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "employees" ("id") ON DELETE SET NULL
)`,
      'CREATE INDEX "employees_manager_id_idx" ON "employees" ("manager_id")',
    ])
  })

  it('breaks a cycle: tables first, then ALTER TABLE … ADD CONSTRAINT, then indexes', () => {
    const users = table('users', {
      id: serial().primaryKey(),
      favoritePostId: integer().references((): ColumnRef => posts.id),
    })
    const posts = table('posts', {
      id: serial().primaryKey(),
      userId: integer()
        .notNull()
        .references((): ColumnRef => users.id, { onDelete: 'cascade' }),
    })
    expect(texts(createAll(schema({ users, posts })))).toEqual([
      `CREATE TABLE "users" (
  "id" serial NOT NULL,
  "favorite_post_id" integer,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id")
)`,
      `CREATE TABLE "posts" (
  "id" serial NOT NULL,
  "user_id" integer NOT NULL,
  CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "posts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
)`,
      'ALTER TABLE "users" ADD CONSTRAINT "users_favorite_post_id_fkey" FOREIGN KEY ("favorite_post_id") REFERENCES "posts" ("id")',
      'CREATE INDEX "users_favorite_post_id_idx" ON "users" ("favorite_post_id")',
      'CREATE INDEX "posts_user_id_idx" ON "posts" ("user_id")',
    ])
  })

  it('defers a key to a table caught in a cycle and not yet created', () => {
    const comments = table('comments', {
      id: serial().primaryKey(),
      postId: integer().references((): ColumnRef => posts.id),
    })
    const users = table('users', {
      id: serial().primaryKey(),
      pinnedId: integer().references((): ColumnRef => posts.id),
    })
    const posts = table('posts', {
      id: serial().primaryKey(),
      userId: integer().references((): ColumnRef => users.id),
    })
    const statements = texts(createAll(schema({ comments, users, posts })))
    const creates = statements.filter((s) => s.startsWith('CREATE TABLE'))
    const alters = statements.filter((s) => s.startsWith('ALTER TABLE'))
    expect(creates).toHaveLength(3)
    // every key is declared exactly once, inline or altered
    for (const name of ['comments_post_id_fkey', 'users_pinned_id_fkey', 'posts_user_id_fkey']) {
      expect(statements.filter((s) => s.includes(`"${name}"`))).toHaveLength(1)
    }
    // and no inline key names a table created after it
    statements.forEach((s, i) => {
      for (const [, target] of s.matchAll(/REFERENCES "(\w+)"/g)) {
        expect(
          statements.slice(0, i).some((p) => p.startsWith(`CREATE TABLE "${target}"`)) ||
            s.startsWith(`CREATE TABLE "${target}"`),
        ).toBe(true)
      }
    })
    expect(alters.length).toBeGreaterThanOrEqual(1)
  })

  it('writes ON DELETE / ON UPDATE for every action but no action', () => {
    const parents = table('parents', { id: serial().primaryKey() })
    const children = table('children', {
      id: serial().primaryKey(),
      a: integer().references(() => parents.id),
      b: integer().references(() => parents.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
      c: integer().references(() => parents.id, { onDelete: 'restrict', onUpdate: 'restrict' }),
      d: integer().references(() => parents.id, { onDelete: 'set null', onUpdate: 'no action' }),
      e: integer()
        .default(0)
        .references(() => parents.id, { onDelete: 'set default', onUpdate: 'set null' }),
    })
    const s = schema({ parents, children })
    const fks = s.foreignKeys.map(foreignKeyConstraint(s))
    expect(
      createTable(children, fks)
        .text.split('\n')
        .filter((l) => l.includes('FOREIGN KEY')),
    ).toEqual([
      '  CONSTRAINT "children_a_fkey" FOREIGN KEY ("a") REFERENCES "parents" ("id"),',
      '  CONSTRAINT "children_b_fkey" FOREIGN KEY ("b") REFERENCES "parents" ("id") ON DELETE CASCADE ON UPDATE CASCADE,',
      '  CONSTRAINT "children_c_fkey" FOREIGN KEY ("c") REFERENCES "parents" ("id") ON DELETE RESTRICT ON UPDATE RESTRICT,',
      '  CONSTRAINT "children_d_fkey" FOREIGN KEY ("d") REFERENCES "parents" ("id") ON DELETE SET NULL,',
      '  CONSTRAINT "children_e_fkey" FOREIGN KEY ("e") REFERENCES "parents" ("id") ON DELETE SET DEFAULT ON UPDATE SET NULL',
    ])
    expect(addForeignKey(fks[1]!).text).toBe(
      'ALTER TABLE "children" ADD CONSTRAINT "children_b_fkey" FOREIGN KEY ("b") REFERENCES "parents" ("id") ON DELETE CASCADE ON UPDATE CASCADE',
    )
  })

  it('rejects an action outside the five, instead of writing it into SQL', () => {
    const parents = table('parents', { id: serial().primaryKey() })
    const children = table('children', {
      p: integer().references(() => parents.id, { onDelete: 'cascade; drop table x' as 'cascade' }),
    })
    const s = schema({ parents, children })
    expect(() => createAll(s)).toThrow(/unknown referential action/)
  })

  it('rejects a foreign key that belongs to another table', () => {
    const fk = foreignKeyConstraint(bookstore)(bookstore.foreignKeys[0]!)
    expect(() => createTable(authors, [fk])).toThrow(
      /createTable authors: foreign key books_author_id_fkey belongs to table books/,
    )
  })
})

// -------------------------------------------------------------------------------------
// unique constraints and indexes
// -------------------------------------------------------------------------------------

describe('createAll: unique constraints and indexes', () => {
  it('writes single and composite unique constraints, once each', () => {
    const seats = table(
      'seats',
      {
        id: serial().primaryKey(),
        code: varchar(10).notNull().unique(),
        row: integer().notNull(),
        number: integer().notNull(),
      },
      { unique: [['row', 'number'], ['code']] },
    )
    expect(createTable(seats).text).toBe(`CREATE TABLE "seats" (
  "id" serial NOT NULL,
  "code" varchar(10) NOT NULL,
  "row" integer NOT NULL,
  "number" integer NOT NULL,
  CONSTRAINT "seats_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "seats_code_key" UNIQUE ("code"),
  CONSTRAINT "seats_row_number_key" UNIQUE ("row", "number")
)`)
  })

  it('index(false) suppresses the foreign-key index; declared indexes are created', () => {
    const quiet = table(
      'quiet_books',
      {
        id: serial().primaryKey(),
        title: varchar(50).notNull(),
        authorId: integer('author_id')
          .references(() => authors.id)
          .index(false),
        editorId: integer('editor_id').references(() => authors.id),
        isbn: text().index(),
      },
      {
        indexes: [
          { fields: ['title', 'isbn'], unique: true },
          { fields: ['title'], name: 'by_title' },
        ],
      },
    )
    const statements = texts(createAll(schema({ authors, quiet })))
    expect(statements.filter((s) => s.startsWith('CREATE INDEX') || s.startsWith('CREATE UNIQUE'))).toEqual([
      'CREATE INDEX "quiet_books_editor_id_idx" ON "quiet_books" ("editor_id")',
      'CREATE INDEX "quiet_books_isbn_idx" ON "quiet_books" ("isbn")',
      'CREATE UNIQUE INDEX "quiet_books_title_isbn_idx" ON "quiet_books" ("title", "isbn")',
      'CREATE INDEX "by_title" ON "quiet_books" ("title")',
    ])
  })

  it('createIndex is data-last and checks the fields', () => {
    expect(books.$spec.indexes.map(createIndex(books))).toEqual([
      compiled('CREATE INDEX "books_author_id_idx" ON "books" ("author_id")', []),
    ])
    expect(() => createIndex(books)({ name: 'x', fields: ['nope'], unique: false })).toThrow(
      /no field "nope"/,
    )
  })
})

// -------------------------------------------------------------------------------------
// hostile identifiers and strings
// -------------------------------------------------------------------------------------

describe('hostile identifiers and defaults', () => {
  it('quotes a table and column with double quotes in their names', () => {
    const weird = table('we"ird', {
      id: serial('i"d').primaryKey(),
      note: text('no"te; DROP TABLE x; --').default("'; DROP TABLE x; --"),
    })
    const parent = table('pa"rent', { id: integer().references(() => weird.id) })
    expect(texts(createAll(schema({ weird, parent })))).toEqual([
      `CREATE TABLE "we""ird" (
  "i""d" serial NOT NULL,
  "no""te; DROP TABLE x; --" text DEFAULT '''; DROP TABLE x; --',
  CONSTRAINT "we""ird_pkey" PRIMARY KEY ("i""d")
)`,
      `CREATE TABLE "pa""rent" (
  "id" integer,
  CONSTRAINT "pa""rent_id_fkey" FOREIGN KEY ("id") REFERENCES "we""ird" ("i""d")
)`,
      'CREATE INDEX "pa""rent_id_idx" ON "pa""rent" ("id")',
    ])
    expect(texts(dropAll(schema({ weird })))).toEqual(['DROP TABLE IF EXISTS "we""ird" CASCADE'])
  })

  it('rejects a NUL in a table or column name', () => {
    expect(() => createTable(table('we\u0000ird', { id: serial() }))).toThrow(TypeError)
    expect(() => createTable(table('t', { id: serial('i\u0000d') }))).toThrow(
      'column t."i\\u0000d": quoteIdent',
    )
    expect(() => dropAll(schema({ t: table('t\u0000', {}) }))).toThrow(/contains NUL/)
  })

  it("escapes O'Reilly and backslashes in defaults", () => {
    const t = table('t', {
      a: text().default("O'Reilly"),
      b: text().default('back\\slash'),
      c: text().default("\\'"),
      d: text().default(''),
    })
    expect(createTable(t).text.split('\n').slice(1, 5)).toEqual([
      "  \"a\" text DEFAULT 'O''Reilly',",
      '  "b" text DEFAULT E\'back\\\\slash\',',
      "  \"c\" text DEFAULT E'\\\\''',",
      '  "d" text DEFAULT \'\'',
    ])
  })
})
