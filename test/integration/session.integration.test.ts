import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Db, fromDriver } from '../../lib/db/connect.js'
import type { Driver } from '../../lib/drivers/driver.js'
import * as Q from '../../lib/namespaces/query.js'
import * as S from '../../lib/namespaces/session.js'
import { type ColumnRef, integer, serial, text } from '../../lib/schema/column.js'
import { type AnySchema, schema } from '../../lib/schema/schema.js'
import { table } from '../../lib/schema/table.js'
import { authors, blog, books, bookstore, items, orderItems, orders, users } from '../fixtures/bookstore.js'
import { databases } from '../support/databases.js'
import { left, right } from '../support/results.js'

// a foreign-key cycle: a fan's favourite note, and the fan who wrote each note
const fans = table('fans', {
  id: serial().primaryKey(),
  name: text().notNull(),
  favoriteNoteId: integer('favorite_note_id').references((): ColumnRef => notes.id),
})
const notes = table('notes', {
  id: serial().primaryKey(),
  body: text().notNull(),
  fanId: integer('fan_id')
    .notNull()
    .references((): ColumnRef => fans.id),
})

/** A driver that counts the statements it is asked to run, to show that some runs send none. */
const counting = (d: Driver): Driver & { readonly count: () => number } => {
  let n = 0
  return {
    ...d,
    query: (text, params) => {
      n += 1
      return d.query(text, params)
    },
    transaction: (f, o) =>
      d.transaction(
        (tx) =>
          f({
            query: (text, params) => {
              n += 1
              return tx.query(text, params)
            },
          }),
        o,
      ),
    count: () => n,
  }
}

/** Every row of every table of a schema, for "the database is unchanged" checks. */
const snapshot = async (db: Pick<Db<AnySchema>, 'schema' | 'all'>) => {
  const out: Record<string, unknown> = {}
  for (const [k, t] of Object.entries(db.schema.tables)) {
    const rows = await right(
      db.all(
        pipe(
          Q.from(t),
          Q.orderBy((x) => x[t.$spec.primaryKey[0]!] as never),
        ),
      ),
    )
    out[k] = rows
  }
  return out
}

describe.each(databases())('sessions on $name', ({ open }) => {
  let driver: ReturnType<typeof counting>
  let db: Db<typeof bookstore>
  let blogDb: Db<typeof blog>

  beforeAll(async () => {
    driver = counting(await open())
    db = fromDriver(bookstore, driver)
    blogDb = fromDriver(blog, driver)
  })
  /** A fan whose favourite note is the note the fan wrote: a foreign-key cycle, committed. */
  const fanAndNote = async () => {
    const cycle = schema({ fans, notes })
    const cdb = fromDriver(cycle, driver)
    await right(cdb.dropAll())
    await right(cdb.createAll())
    const u = S.ref(fans)
    const note = S.ref(notes)
    const done = await right(
      cdb.commit(
        pipe(
          S.empty(cycle),
          S.add(u, { name: 'a', favoriteNoteId: note }),
          S.add(note, { body: 'n', fanId: u }),
        ),
      ),
    )
    return { cycle, cdb, u, note, done }
  }

  beforeEach(async () => {
    await right(db.dropAll())
    await right(blogDb.dropAll())
    await right(db.createAll())
    await right(blogDb.createAll())
  })

  it('creates and drops all tables repeatedly, foreign-key indexes included', async () => {
    await right(db.dropAll())
    await right(db.createAll())
    await right(db.dropAll())
    await right(db.createAll())
    const indexes = await right(
      driver.query(`select indexname from pg_indexes where tablename = any($1::text[]) order by indexname`, [
        ['books', 'order_items'],
      ]),
    )
    expect(indexes.rows.map((r) => r.indexname)).toEqual([
      'books_author_id_idx',
      'books_pkey',
      'order_items_item_id_idx',
      'order_items_pkey',
    ])
  })

  it('commits nested adds in one transaction and resolves every ref to its inserted row', async () => {
    const king = S.ref(authors)
    const it = S.ref(books)
    const crichton = S.ref(authors)
    const changes = pipe(
      S.empty(bookstore),
      S.add(king, { name: 'Stephen King' }),
      S.add(it, { title: 'It', author: king }),
      S.add(crichton, {
        name: 'Michael Crichton',
        books: [{ title: 'Jurassic Park' }, { title: 'Andromeda Strain' }],
      }),
    )
    const done = await right(db.commit(changes))
    expect(done.statements).toBe(2)
    const kingRow = O.toUndefined(done.resolve(king))!
    const itRow = O.toUndefined(done.resolve(it))!
    expect(itRow).toEqual({ id: itRow.id, title: 'It', authorId: kingRow.id })
    expect(done.session.changes).toEqual([])
    expect(done.session.identity.get(it.id)).toEqual({ table: 'books', key: { id: itRow.id } })
    const all = await right(
      db.all(
        pipe(
          Q.from(books),
          Q.orderBy((b) => b.id),
        ),
      ),
    )
    const crichtonId = O.toUndefined(done.resolve(crichton))!.id
    expect(all.map((b) => [b.title, b.authorId])).toEqual([
      ['It', kingRow.id],
      ['Jurassic Park', crichtonId],
      ['Andromeda Strain', crichtonId],
    ])
  })

  it('matches generated keys to refs in input order, for many rows', async () => {
    const refs = Array.from({ length: 300 }, (_, i) => [S.ref(authors), `author ${i}`] as const)
    const done = await right(
      db.commit(pipe(S.empty(bookstore), S.addAll(refs.map(([r, name]) => S.entry(r, { name }))))),
    )
    for (const [r, name] of refs) expect(O.toUndefined(done.resolve(r))!.name).toBe(name)
  })

  it('updates and deletes rows named by refs committed earlier (the identity map)', async () => {
    const it = S.ref(books)
    const first = await right(db.commit(pipe(S.empty(bookstore), S.add(it, { title: 'It' }))))
    const second = await right(db.commit(pipe(first.session, S.update(books, it, { title: 'It (1986)' }))))
    expect(O.toUndefined(await right(db.first(Q.from(books))))!.title).toBe('It (1986)')
    await right(db.commit(pipe(second.session, S.delete(books, it))))
    expect(await right(db.all(books))).toEqual([])
  })

  it('links many-to-many children through the association table', async () => {
    const pen = S.ref(items)
    await right(
      db.commit(
        pipe(
          S.empty(bookstore),
          S.add(pen, { name: 'pen' }),
          S.add(S.ref(orders), { items: [pen, { name: 'ink' }] }),
        ),
      ),
    )
    expect((await right(db.all(orderItems))).length).toBe(2)
    const o = O.toUndefined(await right(db.first(orders)))!
    expect(o.placedAt).toBeInstanceOf(Date)
    const key = { orderId: o.id, itemId: 1 }
    expect(O.isSome(await right(db.get(orderItems, key)))).toBe(true)
  })

  it('reports a unique violation as a ConstraintViolation; the database and the session are unchanged', async () => {
    await right(
      blogDb.commit(
        pipe(S.empty(blog), S.add(S.ref(users), { username: 'Corey', email: 'c@demo.com', password: 'p' })),
      ),
    )
    const before = await snapshot(blogDb)
    const changes = pipe(
      S.empty(blog),
      S.add(S.ref(users), {
        username: 'Newcomer',
        email: 'n@demo.com',
        password: 'p',
        posts: [{ title: 't', content: 'c' }],
      }),
      S.add(S.ref(users), { username: 'Corey', email: 'other@demo.com', password: 'p' }),
    )
    const frozen = JSON.stringify(changes)
    const e = await left(blogDb.commit(changes))
    expect(e).toMatchObject({
      _tag: 'ConstraintViolation',
      kind: 'unique',
      constraint: 'users_username_key',
      table: 'users',
      step: 'insert users',
      code: '23505',
    })
    expect(e._tag === 'ConstraintViolation' && e.statement).toContain('INSERT INTO "users"')
    expect(await snapshot(blogDb)).toEqual(before)
    expect(JSON.stringify(changes)).toBe(frozen)
    // the same session commits once the clash is removed
    const fixed = pipe(
      changes,
      S.rollback,
      S.add(S.ref(users), { username: 'Newcomer', email: 'n@demo.com', password: 'p' }),
    )
    await right(blogDb.commit(fixed))
  })

  it('leaves a foreign key without a relationship to the database: its violation is a ConstraintViolation', async () => {
    // fans.favorite_note_id → notes has no relationship declared on notes, so no cascade applies
    const { cycle, cdb, note, done } = await fanAndNote()
    const before = await snapshot(cdb)
    const e = await left(
      cdb.commit(pipe(S.empty(cycle), S.delete(notes, O.toUndefined(done.resolve(note))!.id))),
    )
    expect(e).toMatchObject({
      _tag: 'ConstraintViolation',
      kind: 'foreign_key',
      constraint: 'fans_favorite_note_id_fkey',
      step: 'delete notes',
    })
    expect(await snapshot(cdb)).toEqual(before)
  })

  it('refuses bad input before any SQL is sent', async () => {
    const n = driver.count()
    const e = await left(db.commit(pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'x'.repeat(51) }))))
    expect(e).toMatchObject({
      _tag: 'DecodeError',
      table: 'authors',
      errors: [{ field: 'name', expected: 'varchar(50)' }],
    })
    expect(driver.count()).toBe(n)
  })

  it('fails an update of a missing row with StaleRowError and keeps nothing of the commit', async () => {
    const e = await left(
      db.commit(
        pipe(
          S.empty(bookstore),
          S.add(S.ref(authors), { name: 'kept?' }),
          S.update(books, 999, { title: 'x' }),
        ),
      ),
    )
    expect(e).toMatchObject({ _tag: 'StaleRowError', table: 'books', keys: ['999'], step: 'update books' })
    expect(await right(db.all(authors))).toEqual([])
  })

  it('names exactly the missing rows of a batch update (found from the row count, after the plan)', async () => {
    const made = await right(
      db.commit(
        pipe(
          S.empty(bookstore),
          S.add(S.ref(authors), { name: 'A', books: [{ title: 'one' }, { title: 'two' }] }),
        ),
      ),
    )
    const ids = [...made.inserted.values()].flatMap((r) => ('title' in r ? [r.id as number] : []))
    const e = await left(
      db.commit(
        pipe(
          S.empty(bookstore),
          S.update(books, ids[0]!, { title: 'one!' }),
          S.update(books, 99_998, { title: 'gone' }),
          S.update(books, ids[1]!, { title: 'two!' }),
          S.update(books, 99_999, { title: 'gone' }),
        ),
      ),
    )
    expect(e).toMatchObject({
      _tag: 'StaleRowError',
      table: 'books',
      keys: ['99998', '99999'],
      step: 'update books',
    })
    expect((await right(db.all(books))).map((b) => b.title).sort()).toEqual(['one', 'two'])
    const ok = await right(db.commit(pipe(S.empty(bookstore), S.update(books, ids[0]!, { title: 'one!' }))))
    expect(ok.counts).toEqual({ 'update books': 1 })
  })

  it('fails a delete of a missing row with StaleRowError, as an update', async () => {
    await right(db.commit(pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'kept' }))))
    const before = await snapshot(db)
    const id = O.toUndefined(await right(db.first(authors)))!.id
    const e = await left(
      db.commit(pipe(S.empty(bookstore), S.delete(authors, id), S.delete(authors, id + 1000))),
    )
    expect(e).toMatchObject({
      _tag: 'StaleRowError',
      table: 'authors',
      keys: [String(id + 1000)],
      step: 'delete authors',
    })
    expect(e._tag === 'StaleRowError' && e.message).toContain('expected to delete a row')
    expect(await snapshot(db)).toEqual(before)
  })

  it('creates only the tables that are missing, as create_all does', async () => {
    await right(db.commit(pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'kept' }))))
    await right(db.createAll())
    expect((await right(db.all(authors))).map((a) => a.name)).toEqual(['kept'])
    await right(driver.query('DROP TABLE "books"', []))
    await right(db.createAll())
    expect(await right(db.all(books))).toEqual([])
  })

  it('inserts a users ↔ posts cycle with a post-update', async () => {
    const { cdb, u, note, done } = await fanAndNote()
    expect(done.plan.steps.map((x) => x.name)).toEqual([
      'insert fans',
      'insert notes',
      'post-update fans.favorite_note_id',
    ])
    const fan = O.toUndefined(done.resolve(u))!
    const saved = O.toUndefined(done.resolve(note))!
    expect(saved.fanId).toBe(fan.id)
    expect(fan.favoriteNoteId).toBe(saved.id)
    expect(O.toUndefined(await right(cdb.get(fans, fan.id)))!.favoriteNoteId).toBe(saved.id)
  })

  it('reads rows back with all, first, get, filterBy, where, orderBy, limit and offset', async () => {
    await right(
      db.commit(
        pipe(
          S.empty(bookstore),
          S.add(S.ref(authors), { name: 'B', books: [{ title: 'b1' }, { title: 'b2' }, { title: 'b3' }] }),
          S.add(S.ref(authors), { name: 'A' }),
        ),
      ),
    )
    expect((await right(db.all(authors))).map((a) => a.name).sort()).toEqual(['A', 'B'])
    const a = O.toUndefined(await right(db.first(Q.filterBy(authors, { name: 'A' }))))!
    expect(a.name).toBe('A')
    expect(O.toUndefined(await right(db.get(authors, a.id)))).toEqual(a)
    expect(O.isNone(await right(db.get(authors, 12345)))).toBe(true)
    const page = await right(
      db.all(
        pipe(
          Q.from(books),
          Q.orderBy((b) => Q.desc(b.title)),
          Q.limit(2),
          Q.offset(1),
        ),
      ),
    )
    expect(page.map((b) => b.title)).toEqual(['b2', 'b1'])
    const none = await right(
      db.all(
        pipe(
          Q.from(books),
          Q.where((b) => Q.inArray(b.id, [])),
        ),
      ),
    )
    expect(none).toEqual([])
    const orphans = await right(db.all(Q.filterBy(books, { authorId: null })))
    expect(orphans).toEqual([])
    const e = await left(db.all(Q.filterBy(books, { nope: 1 } as never)))
    expect(e).toMatchObject({ _tag: 'InvalidQuery' })
  })

  it('stores and reads back hostile strings as plain values', async () => {
    const hostile = [
      "O'Reilly",
      'back\\slash',
      '$1',
      "'); DROP TABLE books; --",
      'NULL',
      '{"a", "b"}',
      'ü ☃ 😀 \u202e',
    ]
    await right(
      db.commit(pipe(S.empty(bookstore), S.addAll(hostile.map((name) => S.entry(S.ref(authors), { name }))))),
    )
    const got = await right(
      db.all(
        pipe(
          Q.from(authors),
          Q.orderBy((a) => a.id),
        ),
      ),
    )
    expect(got.map((a) => a.name)).toEqual(hostile)
    for (const name of hostile)
      expect(O.toUndefined(await right(db.first(Q.filterBy(authors, { name }))))?.name).toBe(name)
  })
})
