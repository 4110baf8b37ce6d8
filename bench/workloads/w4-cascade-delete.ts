/**
 * W4 cascade delete: delete 100 authors whose 1,000 books go with them, out of 1,000
 * authors and 10,000 books (book.author_id indexed, `ON DELETE CASCADE`). Raw baseline:
 * one `DELETE … WHERE id = any($1)` letting the foreign key cascade. origami twice: its
 * own set-based cascade (`cascade: 'all'`), and `passiveDeletes` leaving it to the
 * database. The tables are refilled and analyzed before each run (untimed).
 */
import * as E from 'fp-ts/lib/Either.js'
import postgres from 'postgres'
import { connect, hasMany, integer, schema, serial, table, varchar } from '../../lib/index.js'
import * as S from '../../lib/namespaces/session.js'
import type { Contender, Workload } from '../workload.js'

const w4Authors = table('w4_authors', { id: serial().primaryKey(), name: varchar(50).notNull() })
const w4Books = table('w4_books', {
  id: serial().primaryKey(),
  title: varchar(50).notNull(),
  authorId: integer('author_id').references(() => w4Authors.id, { onDelete: 'cascade' }),
})
const tables = { w4Authors, w4Books }
const own = schema(tables, {
  w4Authors: { books: hasMany('w4Books', { foreignKey: 'authorId', cascade: 'all' }) },
})
const passive = schema(tables, {
  w4Authors: { books: hasMany('w4Books', { foreignKey: 'authorId', cascade: 'all', passiveDeletes: true }) },
})

// 100 authors spread over the table
const victims = Array.from({ length: 100 }, (_, i) => i * 10 + 1)

export const w4CascadeDelete: Workload = {
  id: 'W4',
  title: 'W4 cascade delete: 100 authors and their 1,000 books (FK indexed)',
  opsPerRun: 1,
  rounds: 41,
  // origami's cascade planning runs once per commit, so five runs leave it unoptimised
  // (the first few dozen commits cost up to 10x the steady state); every contender
  // gets the same warm-up
  warmup: 60,
  setup: async (env) => {
    const sql = postgres(env.url, { max: 1, prepare: true, onnotice: () => {} })
    const made = await connect(own, env.url, { max: 1 })()
    if (E.isLeft(made)) throw new Error(made.left.message)
    const db = made.right
    const dropped = await db.dropAll()()
    const created = E.isRight(dropped) ? await db.createAll()() : dropped
    if (E.isLeft(created)) throw new Error(created.left.message)
    const passiveDb = await connect(passive, env.url, { max: 1 })()
    if (E.isLeft(passiveDb)) throw new Error(passiveDb.left.message)
    const refill = async () => {
      await sql.unsafe('truncate w4_books, w4_authors restart identity')
      await sql.unsafe(`insert into w4_authors (name) select 'author ' || g from generate_series(1, 1000) g`)
      await sql.unsafe(
        `insert into w4_books (title, author_id) select 'book ' || a || '-' || b, a from generate_series(1, 1000) a, generate_series(1, 10) b order by a, b`,
      )
      // statistics as autovacuum would keep them for a table in service (seed.ts does
      // the same): after TRUNCATE the planner knows neither table's size and picks a
      // sequential scan for `author_id = any($1)` over the index
      await sql.unsafe('analyze w4_authors, w4_books')
    }
    const check = async () => {
      const [row] = await sql.unsafe('select count(*)::int as n from w4_books')
      const n = (row as { n: number } | undefined)?.n
      if (n !== 9000) throw new Error(`W4: ${n} books left`)
    }
    const out: Contender[] = [
      {
        name: 'raw postgres.js (one DELETE, ON DELETE CASCADE)',
        raw: true,
        before: refill,
        run: async () => {
          await sql.unsafe('delete from w4_authors where id = any($1::int4[])', [victims] as never)
          await check()
        },
      },
      {
        name: "origami own cascade (cascade: 'all')",
        before: refill,
        run: async () => {
          const done = await db.commit(victims.reduce((s, id) => S.delete(w4Authors, id)(s), S.empty(own)))()
          if (E.isLeft(done)) throw new Error(done.left.message)
          await check()
        },
      },
      {
        name: 'origami passiveDeletes (ON DELETE CASCADE)',
        before: refill,
        run: async () => {
          const done = await passiveDb.right.commit(
            victims.reduce((s, id) => S.delete(w4Authors, id)(s), S.empty(passive)),
          )()
          if (E.isLeft(done)) throw new Error(done.left.message)
          await check()
        },
        close: async () => {
          await passiveDb.right.close()()
          await db.close()()
          await sql.end()
        },
      },
    ]
    return out
  },
}
