/**
 * The seeds' first tutorial, in origami: drop and create the tables, add authors and
 * books (nested and by ref), commit, query them back, roll a change back, delete a book.
 *
 * Runs on in-memory PGlite by default; with DATABASE_URL=postgres://… it runs on that
 * server and leaves its tables and rows there to look at with psql.
 *
 *   npm run example
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { connect, query as Q, session as S, toJSON } from '../lib/index.js'
import { authors, books, bookstore } from './bookstore-schema.js'
import { databaseUrl, indent, run, step } from './support.js'

const db = await run(connect(bookstore, databaseUrl()))
console.log(
  `origami bookstore walk-through on ${db.kind === 'pglite' ? 'embedded PGlite (in memory)' : 'PostgreSQL'}`,
)

step('drop all tables', 'db.drop_all()')
await run(db.dropAll())
console.log('   Tables dropped')

step('create all tables', 'db.create_all()')
await run(db.createAll())
console.log('   Tables created')

step('add authors and books', 'db.session.add(author1); db.session.add_all([author3, book, …])')
const king = S.ref(authors, 'king')
const it = S.ref(books, 'it')
const crichton = S.ref(authors, 'crichton')
const changes = pipe(
  S.empty(bookstore),
  S.add(king, { name: 'Stephen King' }),
  S.add(it, { title: 'It', author: king }),
  S.add(crichton, {
    name: 'Michael Crichton',
    books: [{ title: 'Jurassic Park' }, { title: 'Andromeda Strain' }],
  }),
)
console.log('   Nothing has touched the database yet. The plan the commit will run:')
pipe(
  S.plan(changes),
  E.match(
    (e) => console.log(indent(`cannot plan: ${e.message}`)),
    (p) => console.log(indent(S.explain(p))),
  ),
)

step('commit', 'db.session.commit()')
const done = await run(db.commit(changes))
console.log(`   Committed in one transaction, ${done.statements} statements`)
for (const [ref, row] of done.inserted) console.log(`   ${ref} -> ${JSON.stringify(row)}`)
const itRow = pipe(
  done.resolve(it),
  O.getOrElseW(() => {
    throw new Error('the commit did not return the inserted book')
  }),
)
let session = done.session
console.log(`   Pending changes after commit: ${session.changes.length}`)

step('query: all authors', 'Author.query.all()')
for (const a of await run(db.all(authors))) console.log(`   ${JSON.stringify(toJSON(authors, a))}`)

step('query: first book', 'Book.query.first()')
const firstBook = await run(
  db.first(
    pipe(
      Q.from(books),
      Q.orderBy((b) => b.id),
    ),
  ),
)
console.log(
  `   ${pipe(
    firstBook,
    O.match(
      () => 'none',
      (b) => JSON.stringify(b),
    ),
  )}`,
)

step('query: get a book by primary key', `Book.query.get(${itRow.id})`)
const got = await run(db.get(books, itRow.id))
console.log(
  `   ${pipe(
    got,
    O.match(
      () => 'none',
      (b) => JSON.stringify(b),
    ),
  )}`,
)

step('query: filter_by', "Author.query.filter_by(name='Michael Crichton').first()")
const mc = await run(db.first(Q.filterBy(authors, { name: 'Michael Crichton' })))
console.log(
  `   ${pipe(
    mc,
    O.match(
      () => 'none',
      (a) => JSON.stringify(a),
    ),
  )}`,
)
if (O.isSome(mc)) {
  const his = await run(
    db.all(
      pipe(
        Q.from(books),
        Q.where((b) => Q.eq(b.authorId, mc.value.id)),
        Q.orderBy((b) => b.title),
      ),
    ),
  )
  console.log(`   his books: ${his.map((b) => b.title).join(', ')}`)
}

step('change a title, then roll the change back', 'book.title = …; db.session.rollback()')
session = pipe(session, S.update(books, it, { title: 'It (revised)' }))
console.log(`   pending: ${session.changes.length} change(s); the plan would run:`)
pipe(
  S.plan(session),
  E.map((p) => console.log(indent(S.explain(p)))),
)
session = S.rollback(session)
console.log(`   after rollback: ${session.changes.length} pending`)
const still = await run(db.get(books, itRow.id))
console.log(
  `   the title in the database: ${pipe(
    still,
    O.match(
      () => 'none',
      (b) => b.title,
    ),
  )}`,
)

step('delete a book and commit', 'db.session.delete(book); db.session.commit()')
const andromeda = await run(db.first(Q.filterBy(books, { title: 'Andromeda Strain' })))
if (O.isSome(andromeda)) {
  const deleted = await run(db.commit(pipe(session, S.delete(books, andromeda.value.id))))
  session = deleted.session
  console.log(`   deleted book ${andromeda.value.id} (${andromeda.value.title})`)
}
step(
  "delete an author: cascade='all, delete-orphan' takes the books along",
  'db.session.delete(author); db.session.commit()',
)
const unknown = S.ref(authors, 'unknown')
const added = await run(
  db.commit(pipe(session, S.add(unknown, { name: 'Unknown Author', books: [{ title: 'Lost Manuscript' }] }))),
)
const unknownId = pipe(
  added.resolve(unknown),
  O.map((a) => a.id),
  O.getOrElse(() => 0),
)
const cascade = pipe(added.session, S.delete(authors, unknownId))
pipe(
  S.plan(cascade),
  E.map((p) => console.log(indent(S.explain(p)))),
)
const gone = await run(db.commit(cascade))
session = gone.session
console.log(
  `   deleted author ${unknownId} and ${gone.counts['delete books'] ?? 0} book(s), one statement per table`,
)

const left = await run(
  db.all(
    pipe(
      Q.from(books),
      Q.orderBy((b) => b.id),
    ),
  ),
)
console.log(`   books now: ${left.map((b) => b.title).join(', ')}`)
const authorCount = (await run(db.all(authors))).length
console.log(`   authors: ${authorCount}, books: ${left.length}`)

await run(db.close())
console.log('\ndone')
