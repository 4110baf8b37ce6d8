/**
 * The blog of the seeds' users/posts tutorial: unique usernames and emails, and posts
 * whose date the database fills in.
 */
import { belongsTo, hasMany, integer, schema, serial, table, text, timestamp, varchar } from '../lib/index.js'

export const users = table('users', {
  id: serial().primaryKey(),
  username: varchar(20).notNull().unique(),
  email: varchar(120).notNull().unique(),
  imageFile: varchar(20).notNull().default('default.jpg'),
  password: varchar(60).notNull(),
})

export const posts = table('posts', {
  id: serial().primaryKey(),
  title: varchar(100).notNull(),
  datePosted: timestamp({ withTimezone: true }).notNull().defaultNow(),
  content: text().notNull(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
})

export const blog = schema(
  { users, posts },
  {
    users: { posts: hasMany('posts', { foreignKey: 'userId', backPopulates: 'author' }) },
    posts: { author: belongsTo('users', { foreignKey: 'userId', backPopulates: 'posts' }) },
  },
)
