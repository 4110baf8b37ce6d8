/**
 * W1 insert graph: 1,000 authors each with 10 books (11,000 rows), one change-set, one
 * commit, generated ids returned. Raw baseline: one `INSERT … SELECT * FROM unnest(…)
 * RETURNING id` per table in one transaction. Before each run (untimed) the rows a
 * previous run inserted are deleted, so every run inserts into the same table sizes.
 */
import * as E from 'fp-ts/lib/Either.js'
import postgres from 'postgres'
import { authors, bookstore } from '../../examples/bookstore-schema.js'
import { rowMapper } from '../../lib/db/rows.js'
import { connect } from '../../lib/index.js'
import * as S from '../../lib/namespaces/session.js'
import { mikro } from '../peers.js'
import type { Contender, Workload } from '../workload.js'

const AUTHORS = 1000
const BOOKS = 10

export const w1InsertGraph: Workload = {
  id: 'W1',
  title: 'W1 insert graph: 1,000 authors × 10 books (11,000 rows), one transaction, ids returned',
  opsPerRun: AUTHORS * (BOOKS + 1),
  rounds: 15,
  warmup: 3,
  setup: async (env) => {
    const sql = postgres(env.url, { max: 1, prepare: true, onnotice: () => {} })
    // the seeded rows are ids ≤ 1,000 / ≤ 10,000; remove what a run added
    const reset = async () => {
      await sql.unsafe('delete from books where id > 10000')
      await sql.unsafe('delete from authors where id > 1000')
    }
    const opened = await connect(bookstore, env.url, { max: 1 })()
    if (E.isLeft(opened)) throw new Error(opened.left.message)
    const db = opened.right
    const names = Array.from({ length: AUTHORS }, (_, i) => `author ${i}`)
    const graph = () =>
      names.map((name, i) =>
        S.entry(S.ref(authors), {
          name,
          books: Array.from({ length: BOOKS }, (_, b) => ({ title: `book ${i}-${b}` })),
        }),
      )
    const returned = Array.from({ length: AUTHORS * (BOOKS + 1) }, (_, i) => ({
      id: i + 1,
      title: `book ${i}`,
      author_id: i,
    }))
    const out: Contender[] = [
      {
        name: 'raw postgres.js (unnest per table, returning id)',
        raw: true,
        before: reset,
        run: async () => {
          await sql.begin(async (tx) => {
            const ids = await tx.unsafe(
              'insert into authors (name) select * from unnest($1::text[]) returning id',
              [names] as never,
            )
            const titles: string[] = []
            const owners: number[] = []
            for (const [i, a] of ids.entries()) {
              for (let b = 0; b < BOOKS; b++) {
                titles.push(`book ${i}-${b}`)
                owners.push(a.id as number)
              }
            }
            const books = await tx.unsafe(
              'insert into books (title, author_id) select * from unnest($1::text[], $2::int4[]) returning id',
              [titles, owners] as never,
            )
            if (books.length !== AUTHORS * BOOKS) throw new Error('W1 raw: wrong count')
          })
        },
        close: () => sql.end(),
      },
      {
        name: 'origami session + commit',
        before: reset,
        run: async () => {
          const done = await db.commit(S.addAll(graph())(S.empty(bookstore)))()
          if (E.isLeft(done)) throw new Error(done.left.message)
          // one data statement per table, however many rows
          if (done.right.statements !== 2) throw new Error(`W1 origami: ${done.right.statements} statements`)
          if (done.right.inserted.size !== AUTHORS * (BOOKS + 1)) throw new Error('W1 origami: wrong count')
        },
        close: async () => {
          await db.close()()
        },
      },
      {
        // not a database contender: the pure fold alone, to compare with the whole commit
        name: 'origami S.addAll + S.plan only (no database)',
        run: async () => {
          const p = S.plan(S.addAll(graph())(S.empty(bookstore)))
          if (E.isLeft(p) || p.right.steps.length !== 2) throw new Error('W1 plan: wrong plan')
        },
      },
      {
        // not a database contender: mapping 11,000 returned rows (column names → fields)
        name: 'origami row decoding only: 11,000 rows (no database)',
        run: async () => {
          const toRow = rowMapper(bookstore.tables.books.$spec)
          let n = 0
          for (const r of returned) n += toRow(r).id as number
          if (n === 0) throw new Error('W1 decode: nothing')
        },
      },
    ]
    try {
      const orm = await mikro(env)
      out.push({
        name: 'MikroORM 6.6 (persist + flush)',
        before: reset,
        run: async () => {
          const em = orm.orm.em.fork()
          for (const [i, name] of names.entries()) {
            const a = em.create(orm.Author, { name })
            for (let b = 0; b < BOOKS; b++) em.create(orm.Book, { title: `book ${i}-${b}`, author: a })
          }
          await em.flush()
        },
        close: () => orm.orm.close(true),
      })
    } catch (e) {
      console.warn(`W1: MikroORM skipped: ${(e as Error).message}`)
    }
    return out
  },
}
