/**
 * W3 eager load: 100 authors with their 10 books each (books.author_id indexed).
 * Raw baselines: two queries (authors, then books `where author_id = any($1)`, grouped
 * in JavaScript) — the fastest shape — and one query with lateral `json_agg`, kept to
 * measure the alternative origami's include could compile to.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import postgres from 'postgres'
import { bookstore } from '../../examples/bookstore-schema.js'
import { connect } from '../../lib/index.js'
import * as Q from '../../lib/namespaces/query.js'
import { mikro } from '../peers.js'
import type { Contender, Workload } from '../workload.js'

const check = (authors: ReadonlyArray<{ books: ReadonlyArray<unknown> }>) => {
  if (authors.length !== 100 || authors[0]!.books.length !== 10) throw new Error('W3: wrong result')
}

export const w3EagerLoad: Workload = {
  id: 'W3',
  title: 'W3 eager load: 100 authors with their 10 books each',
  opsPerRun: 1,
  rounds: 41,
  warmup: 20,
  setup: async (env) => {
    const sql = postgres(env.url, { max: 1, prepare: true })
    const opened = await connect(bookstore, env.url, { max: 1 })()
    if (E.isLeft(opened)) throw new Error(opened.left.message)
    const db = opened.right
    const q = pipe(
      Q.from(bookstore, 'authors'),
      Q.orderBy((a) => a.id),
      Q.limit(100),
      Q.include('books', (b) =>
        pipe(
          b,
          Q.orderBy((x) => x.id),
        ),
      ),
    )
    const out: Contender[] = [
      {
        name: 'raw postgres.js (two queries, = any)',
        raw: true,
        run: async () => {
          const authors = await sql.unsafe('select id, name from authors order by id limit $1', [100], {
            prepare: true,
          })
          const ids = authors.map((a) => a.id as number)
          const rows = await sql.unsafe(
            'select id, title, author_id from books where author_id = any($1::int4[]) order by id',
            [ids] as never,
            { prepare: true },
          )
          const by = new Map<number, unknown[]>()
          for (const b of rows) {
            const g = by.get(b.author_id)
            if (g === undefined) by.set(b.author_id, [{ id: b.id, title: b.title, authorId: b.author_id }])
            else g.push({ id: b.id, title: b.title, authorId: b.author_id })
          }
          check(authors.map((a) => ({ id: a.id, name: a.name, books: by.get(a.id) ?? [] })))
        },
      },
      {
        name: 'raw postgres.js (lateral json_agg)',
        run: async () => {
          const rows = await sql.unsafe(
            `select a.id, a.name, coalesce(b.books, '[]'::json) as books from authors a left join lateral (select json_agg(json_build_object('id', b.id, 'title', b.title, 'authorId', b.author_id) order by b.id) as books from books b where b.author_id = a.id) b on true order by a.id limit $1`,
            [100],
            { prepare: true },
          )
          check(rows as never)
        },
        close: () => sql.end(),
      },
      {
        name: 'origami include',
        run: async () => {
          const r = await db.all(q)()
          if (E.isLeft(r)) throw new Error(r.left.message)
          check(r.right)
        },
        close: async () => {
          await db.close()()
        },
      },
    ]
    try {
      const { drizzle } = await env.peer('drizzle-orm/postgres-js')
      const { relations, asc } = await env.peer('drizzle-orm')
      const { pgTable, serial, varchar, integer } = await env.peer('drizzle-orm/pg-core')
      const authors = pgTable('authors', {
        id: serial('id').primaryKey(),
        name: varchar('name', { length: 50 }).notNull(),
      })
      const books = pgTable('books', {
        id: serial('id').primaryKey(),
        title: varchar('title', { length: 50 }).notNull(),
        authorId: integer('author_id').references(() => authors.id),
      })
      const authorsRelations = relations(authors, ({ many }: any) => ({ books: many(books) }))
      const booksRelations = relations(books, ({ one }: any) => ({
        author: one(authors, { fields: [books.authorId], references: [authors.id] }),
      }))
      const client = postgres(env.url, { max: 1, prepare: true })
      const d = drizzle(client, { schema: { authors, books, authorsRelations, booksRelations } })
      out.push({
        name: 'Drizzle 0.45 (findMany with)',
        run: async () =>
          check(
            await d.query.authors.findMany({
              limit: 100,
              orderBy: [asc(authors.id)],
              with: { books: { orderBy: [asc(books.id)] } },
            }),
          ),
        close: () => client.end(),
      })
    } catch (e) {
      console.warn(`W3: Drizzle skipped: ${(e as Error).message}`)
    }
    try {
      const { orm, Author } = await mikro(env)
      out.push({
        name: 'MikroORM 6.6 (populate)',
        run: async () => {
          const em = orm.em.fork()
          const found = await em.find(Author, {}, { populate: ['books'], limit: 100, orderBy: { id: 'asc' } })
          check(found.map((a: any) => ({ books: a.books.getItems() })))
        },
        close: () => orm.close(true),
      })
    } catch (e) {
      console.warn(`W3: MikroORM skipped: ${(e as Error).message}`)
    }
    return out
  },
}
