/**
 * W5 update: change the title of 10,000 books in one change-set. Raw baseline:
 * `UPDATE books b SET title = u.title FROM unnest($1::int4[], $2::text[]) u(id, title)
 * WHERE b.id = u.id`, one statement. Each run writes new titles (a run counter), so
 * every row really changes.
 */
import * as E from 'fp-ts/lib/Either.js'
import postgres from 'postgres'
import { books, bookstore } from '../../examples/bookstore-schema.js'
import { connect } from '../../lib/index.js'
import * as S from '../../lib/namespaces/session.js'
import type { Contender, Workload } from '../workload.js'

const ids = Array.from({ length: 10_000 }, (_, i) => i + 1)

export const w5Update: Workload = {
  id: 'W5',
  title: 'W5 update: the title of 10,000 books, one transaction',
  opsPerRun: ids.length,
  rounds: 21,
  warmup: 3,
  setup: async (env) => {
    const sql = postgres(env.url, { max: 1, prepare: true, onnotice: () => {} })
    const opened = await connect(bookstore, env.url, { max: 1 })()
    if (E.isLeft(opened)) throw new Error(opened.left.message)
    const db = opened.right
    let n = 0
    const out: Contender[] = [
      {
        name: 'raw postgres.js (UPDATE … FROM unnest)',
        raw: true,
        run: async () => {
          n += 1
          const titles = ids.map((id) => `title ${id} v${n}`)
          const r = await sql.unsafe(
            'update books b set title = u.title from unnest($1::int4[], $2::text[]) u(id, title) where b.id = u.id',
            [ids, titles] as never,
          )
          if (r.count !== ids.length) throw new Error('W5 raw: wrong count')
        },
        close: () => sql.end(),
      },
      {
        name: 'origami session + commit',
        run: async () => {
          n += 1
          let s = S.empty(bookstore)
          for (const id of ids) s = S.update(books, id, { title: `title ${id} v${n}` })(s)
          const done = await db.commit(s)()
          if (E.isLeft(done)) throw new Error(done.left.message)
          if (done.right.counts['update books'] !== ids.length) throw new Error('W5 origami: wrong count')
        },
        close: async () => {
          await db.close()()
        },
      },
    ]
    return out
  },
}
