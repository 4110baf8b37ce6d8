// A library schema exercising every relationship kind for the query tests:
// authors → books (hasMany) → reviews (hasMany); books → author (belongsTo);
// authors → profile (hasOne); books ↔ tags (manyToMany through book_tags).
import {
  belongsTo,
  hasMany,
  hasOne,
  integer,
  manyToMany,
  numeric,
  schema,
  serial,
  table,
  text,
  varchar,
} from '../../../lib/index.js'

export const writers = table('writers', {
  id: serial().primaryKey(),
  name: varchar(80).notNull(),
  born: integer(),
})

export const profiles = table('profiles', {
  id: serial().primaryKey(),
  writerId: integer('writer_id')
    .notNull()
    .unique()
    .references(() => writers.id),
  bio: text().notNull(),
})

export const novels = table('novels', {
  id: serial().primaryKey(),
  title: varchar(120).notNull(),
  pages: integer().notNull(),
  price: numeric(8, 2),
  writerId: integer('writer_id').references(() => writers.id),
})

export const reviews = table('reviews', {
  id: serial().primaryKey(),
  novelId: integer('novel_id')
    .notNull()
    .references(() => novels.id),
  stars: integer().notNull(),
  body: text(),
})

export const tags = table('tags', {
  id: serial().primaryKey(),
  label: varchar(40).notNull().unique(),
})

export const novelTags = table('novel_tags', {
  novelId: integer('novel_id')
    .references(() => novels.id)
    .primaryKey(),
  tagId: integer('tag_id')
    .references(() => tags.id)
    .primaryKey(),
})

export const library = schema(
  { writers, profiles, novels, reviews, tags, novelTags },
  {
    writers: {
      novels: hasMany('novels', { foreignKey: 'writerId', backPopulates: 'writer' }),
      profile: hasOne('profiles', { foreignKey: 'writerId', backPopulates: 'writer' }),
    },
    profiles: { writer: belongsTo('writers', { foreignKey: 'writerId', backPopulates: 'profile' }) },
    novels: {
      writer: belongsTo('writers', { foreignKey: 'writerId', backPopulates: 'novels' }),
      reviews: hasMany('reviews', { foreignKey: 'novelId', backPopulates: 'novel' }),
      tags: manyToMany('tags', { through: 'novelTags', backPopulates: 'novels' }),
    },
    reviews: { novel: belongsTo('novels', { foreignKey: 'novelId', backPopulates: 'reviews' }) },
    tags: { novels: manyToMany('novels', { through: 'novelTags', backPopulates: 'tags' }) },
  },
)
