/**
 * W2 point lookups: 10,000 `get(books, id)`, sequentially and with 16 in flight.
 * Raw baselines: postgres.js prepared `select … where id = $1` (tagged template and
 * `unsafe` with `prepare: true`), awaited inside an async function as origami's are;
 * for 16 in flight, pipelined on one connection (`max: 1`), which beats a pool.
 */
import * as E from 'fp-ts/lib/Either.js'
import postgres from 'postgres'
import { books, bookstore } from '../../examples/bookstore-schema.js'
import { connect } from '../../lib/index.js'
import { type BenchEnv, type Contender, inFlight, lookupIds, type Workload } from '../workload.js'

const text = 'select id, title, author_id from books where id = $1'

const origami = async (url: string, max: number) => {
  const r = await connect(bookstore, url, { max })()
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const check = (row: unknown) => {
  if (row === undefined) throw new Error('lookup found nothing')
}

const contenders = async (env: BenchEnv, concurrency: number): Promise<ReadonlyArray<Contender>> => {
  // one connection: sequential lookups need no more, and 16 in flight pipeline on it
  const max = 1
  const sql = postgres(env.url, { max, prepare: true })
  const pool = postgres(env.url, { max: 16, prepare: true })
  const db = await origami(env.url, max)
  const each = (job: (id: number) => Promise<unknown>) => () =>
    inFlight(lookupIds.length, concurrency, (i) => job(lookupIds[i]!))
  const out: Contender[] = [
    {
      name: 'raw postgres.js (tagged template)',
      raw: true,
      run: each(async (id) => check((await sql`select id, title, author_id from books where id = ${id}`)[0])),
      close: () => sql.end(),
    },
    {
      name: 'raw postgres.js (unsafe, prepared)',
      raw: true,
      run: each(async (id) => check((await sql.unsafe(text, [id], { prepare: true }))[0])),
    },
    {
      name: 'origami db.get',
      run: each(async (id) => {
        const r = await db.get(books, id)()
        if (E.isLeft(r) || r.right._tag === 'None') throw new Error('origami lookup failed')
      }),
      close: async () => {
        await db.close()()
      },
    },
  ]
  if (concurrency > 1) {
    out.push({
      name: 'raw postgres.js (pool of 16)',
      run: each(async (id) => check((await pool.unsafe(text, [id], { prepare: true }))[0])),
      close: () => pool.end(),
    })
  } else await pool.end()
  try {
    const { Kysely, PostgresDialect } = await env.peer('kysely')
    const pg = await env.peer('pg')
    const k = new Kysely({
      dialect: new PostgresDialect({
        pool: new pg.default.Pool({ connectionString: env.url, max: concurrency === 1 ? 1 : 16 }),
      }),
    })
    out.push({
      name: 'Kysely 0.28 (pg)',
      run: each(async (id) =>
        check(
          await k
            .selectFrom('books')
            .select(['id', 'title', 'author_id'])
            .where('id', '=', id)
            .executeTakeFirst(),
        ),
      ),
      close: () => k.destroy(),
    })
  } catch (e) {
    console.warn(`W2: Kysely skipped: ${(e as Error).message}`)
  }
  try {
    const { drizzle } = await env.peer('drizzle-orm/postgres-js')
    const { eq, sql: dsql } = await env.peer('drizzle-orm')
    const { pgTable, serial, varchar, integer } = await env.peer('drizzle-orm/pg-core')
    const dbooks = pgTable('books', {
      id: serial('id').primaryKey(),
      title: varchar('title', { length: 50 }).notNull(),
      authorId: integer('author_id'),
    })
    const client = postgres(env.url, { max, prepare: true })
    const d = drizzle(client)
    const prepared = d
      .select()
      .from(dbooks)
      .where(eq(dbooks.id, dsql.placeholder('id')))
      .prepare('w2_get_book')
    out.push(
      {
        name: 'Drizzle 0.45 (default)',
        run: each(async (id) => check((await d.select().from(dbooks).where(eq(dbooks.id, id)))[0])),
      },
      {
        name: 'Drizzle 0.45 (.prepare())',
        run: each(async (id) => check((await prepared.execute({ id }))[0])),
        close: () => client.end(),
      },
    )
  } catch (e) {
    console.warn(`W2: Drizzle skipped: ${(e as Error).message}`)
  }
  return out
}

export const w2Sequential: Workload = {
  id: 'W2-seq',
  title: 'W2 point lookups: 10,000 get(books, id), sequential',
  opsPerRun: lookupIds.length,
  rounds: 9,
  warmup: 2,
  setup: (env) => contenders(env, 1),
}

export const w2InFlight: Workload = {
  id: 'W2-16',
  title: 'W2 point lookups: 10,000 get(books, id), 16 in flight',
  opsPerRun: lookupIds.length,
  rounds: 9,
  warmup: 2,
  setup: (env) => contenders(env, 16),
}
