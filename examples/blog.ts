/**
 * The seeds' users/posts tutorial, in origami: unique usernames and emails, posts whose
 * date the database fills in, a user's posts found by their userId, and what a unique
 * violation at commit looks like (nothing of the commit is kept; the session is intact).
 *
 *   npm run example:blog
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { connect, query as Q, session as S, toJSON } from '../lib/index.js'
import { blog, posts, users } from './blog-schema.js'
import { databaseUrl, failing, run, step } from './support.js'

const db = await run(connect(blog, databaseUrl()))
console.log(
  `origami blog walk-through on ${db.kind === 'pglite' ? 'embedded PGlite (in memory)' : 'PostgreSQL'}`,
)

step('drop and create all tables', 'db.drop_all(); db.create_all()')
await run(db.dropAll())
await run(db.createAll())
console.log('   Tables created: users (username and email unique), posts (date_posted DEFAULT now())')

step('add users, one with nested posts', "user_1 = User(username='Corey', …); db.session.add(user_1)")
const corey = S.ref(users, 'corey')
const jd = S.ref(users, 'jd')
const done = await run(
  db.commit(
    pipe(
      S.empty(blog),
      S.add(corey, {
        username: 'Corey',
        email: 'C@demo.com',
        password: 'password',
        posts: [
          { title: 'Blog 1', content: 'First Post Content!' },
          { title: 'Blog 2', content: 'Second Post Content!' },
        ],
      }),
      S.add(jd, { username: 'JohnDoe', email: 'jd@demo.com', password: 'password' }),
      S.add(S.ref(posts, 'jd-post'), { title: 'Hello', content: 'Hi from John', author: jd }),
    ),
  ),
)
console.log(`   committed: ${[...done.inserted.keys()].join(', ')}`)
const coreyRow = pipe(
  done.resolve(corey),
  O.getOrElseW(() => {
    throw new Error('Corey was not inserted')
  }),
)
console.log(`   Corey's image_file came from the column default: ${coreyRow.imageFile}`)

step('query: all users', 'User.query.all()')
for (const u of await run(
  db.all(
    pipe(
      Q.from(users),
      Q.orderBy((u) => u.id),
    ),
  ),
)) {
  console.log(`   User('${u.username}', '${u.email}', '${u.imageFile}')`)
}

step('query: first user and filter_by', "User.query.filter_by(username='Corey').first()")
const found = await run(db.first(Q.filterBy(users, { username: 'Corey' })))
console.log(
  `   ${pipe(
    found,
    O.match(
      () => 'none',
      (u) => `User('${u.username}', '${u.email}')`,
    ),
  )}`,
)

step("query: a user's posts by userId", 'user.posts  /  Post.query.filter_by(user_id=user.id)')
const hisPosts = await run(
  db.all(
    pipe(
      Q.from(posts),
      Q.where((p) => Q.eq(p.userId, coreyRow.id)),
      Q.orderBy((p) => p.id),
    ),
  ),
)
for (const p of hisPosts) {
  console.log(`   Post('${p.title}', '${p.datePosted.toISOString()}')  <- date_posted filled by the database`)
}

step("query: a post's author", 'post.author')
const firstPost = hisPosts[0]!
const author = await run(db.get(users, firstPost.userId))
console.log(
  `   '${firstPost.title}' was written by ${pipe(
    author,
    O.match(
      () => 'nobody',
      (u) => u.username,
    ),
  )}`,
)

step('serialise a post', 'post.to_dict()')
console.log(`   ${JSON.stringify(toJSON(posts, firstPost))}`)

step(
  'a duplicate username is refused at commit',
  "db.session.add(User(username='Corey', …)); db.session.commit()",
)
const duplicate = pipe(
  done.session,
  S.add(S.ref(users), { username: 'Newcomer', email: 'new@demo.com', password: 'x' }),
  S.add(S.ref(users), { username: 'Corey', email: 'other@demo.com', password: 'x' }),
)
const error = await failing(db.commit(duplicate))
console.log(
  `   ${error._tag}${error._tag === 'ConstraintViolation' ? ` (${error.kind}) on ${error.constraint}, step "${error.step}"` : ''}`,
)
const count = (await run(db.all(users))).length
console.log(`   users in the database: ${count} (Newcomer was not kept either: one transaction)`)
console.log(`   the session still holds its ${duplicate.changes.length} pending adds, ready to fix and retry`)

step(
  'deleting a user whose posts need him is refused: posts.user_id is NOT NULL',
  'db.session.delete(user); db.session.commit()  # IntegrityError in SQLAlchemy',
)
const orphaned = await failing(db.commit(pipe(done.session, S.delete(users, coreyRow.id))))
console.log(`   ${orphaned._tag}: ${orphaned.message}`)

step('bad input is refused before any SQL', "User(username='x' * 21)")
pipe(
  S.plan(pipe(S.empty(blog), S.add(S.ref(users), { username: 'x'.repeat(21), email: 'e', password: 'p' }))),
  E.match(
    (e) => console.log(`   ${e._tag}: ${e.message}`),
    () => console.log('   unexpectedly accepted'),
  ),
)

await run(db.close())
console.log('\ndone')
