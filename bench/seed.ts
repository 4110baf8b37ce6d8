/** Creates and fills the bench database: 1,000 authors with 10 books each (books.author_id indexed). */
import * as E from 'fp-ts/lib/Either.js'
import { bookstore } from '../examples/bookstore-schema.js'
import { connect } from '../lib/index.js'

export const seed = async (url: string): Promise<void> => {
  const opened = await connect(bookstore, url)()
  if (E.isLeft(opened)) throw new Error(opened.left.message)
  const db = opened.right
  const run = async (text: string, params: ReadonlyArray<unknown> = []) => {
    const r = await db.driver.query(text, params)()
    if (E.isLeft(r)) throw new Error(`${r.left.message}: ${text}`)
  }
  const dropped = await db.dropAll()()
  const made = E.isRight(dropped) ? await db.createAll()() : dropped
  if (E.isLeft(made)) throw new Error(made.left.message)
  await run(`insert into authors (name) select 'author ' || g from generate_series(1, 1000) g`)
  await run(
    `insert into books (title, author_id) select 'book ' || a || '-' || b, a from generate_series(1, 1000) a, generate_series(1, 10) b order by a, b`,
  )
  await run('analyze')
  await db.close()()
}
