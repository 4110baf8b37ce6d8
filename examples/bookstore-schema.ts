/**
 * The bookstore of the seeds' first tutorial: authors and their books, plus orders and
 * items joined many-to-many through `order_items`.
 */
import {
  belongsTo,
  hasMany,
  integer,
  manyToMany,
  schema,
  serial,
  table,
  timestamp,
  varchar,
} from '../lib/index.js'

export const authors = table('authors', {
  id: serial().primaryKey(),
  name: varchar(50).notNull(),
})

export const books = table('books', {
  id: serial().primaryKey(),
  title: varchar(50).notNull(),
  // nullable: a book may outlive its author (the seeds' first, nullable variant)
  authorId: integer('author_id').references(() => authors.id),
})

export const orders = table('orders', {
  id: serial().primaryKey(),
  placedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
})

export const items = table('items', {
  id: serial().primaryKey(),
  name: varchar(100).notNull(),
})

export const orderItems = table('order_items', {
  orderId: integer('order_id')
    .references(() => orders.id, { onDelete: 'cascade' })
    .primaryKey(),
  itemId: integer('item_id')
    .references(() => items.id, { onDelete: 'cascade' })
    .primaryKey(),
})

export const bookstore = schema(
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
