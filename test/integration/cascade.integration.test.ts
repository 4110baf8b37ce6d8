import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Db, fromDriver } from '../../lib/db/connect.js'
import type { Driver } from '../../lib/drivers/driver.js'
import * as S from '../../lib/namespaces/session.js'
import {
  authors,
  books,
  clubs,
  clubsSchema,
  employees,
  library,
  memberships,
  people,
  profiles,
  shelves,
  stickers,
  tags,
} from '../fixtures/library.js'
import { databases } from '../support/databases.js'
import { left, right } from '../support/results.js'

/** Every table's keys, sorted: what "the database is unchanged" compares. */
const state = async (driver: Driver, tables: ReadonlyArray<string>) => {
  const out: Record<string, unknown> = {}
  for (const t of tables) {
    const r = await right(driver.query(`SELECT * FROM "${t}"`, []))
    out[t] = r.rows.map((x) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? String(v) : v))).sort()
  }
  return out
}
const libraryTables = Object.values(library.tables).map((t) => t.$name)
const ids = async (driver: Driver, t: string) =>
  (await right(driver.query(`SELECT id FROM "${t}" ORDER BY id`, []))).rows.map((r) => r.id)

describe.each(databases())('cascades on $name', ({ open }) => {
  let driver: Driver
  let db: Db<typeof library>

  /** Two authors; King has a profile and two books, one with reviews, notes, an edition, tags and a shelf. */
  const seed = async () => {
    const king = S.ref(authors, 'king')
    const it = S.ref(books, 'it')
    const shining = S.ref(books, 'shining')
    const other = S.ref(authors, 'other')
    const tag = S.ref(tags, 'horror')
    const shelf = S.ref(shelves, 'shelf')
    const done = await right(
      db.commit(
        pipe(
          S.empty(library),
          S.add(king, { name: 'Stephen King', profile: { bio: 'Maine' } }),
          S.add(it, {
            title: 'It',
            author: king,
            reviews: [{ body: 'scary' }, { body: 'long' }],
            notes: [{ body: 'first edition' }],
            editions: [{ isbn: '0-670-81302-8' }],
            tags: [tag],
          }),
          S.add(shining, { title: 'The Shining', author: king }),
          S.add(tag, { name: 'horror' }),
          S.add(other, { name: 'Other', books: [{ title: 'Kept', notes: [{ body: 'kept note' }] }] }),
          S.add(shelf, { name: 'favourites', books: [shining] }),
        ),
      ),
    )
    const id = (r: S.Ref) => (O.toUndefined(done.resolve(r)) as { id: number }).id
    return {
      done,
      king: id(king),
      it: id(it),
      shining: id(shining),
      other: id(other),
      tag: id(tag),
      shelf: id(shelf),
    }
  }

  beforeAll(async () => {
    driver = await open()
    db = fromDriver(library, driver)
  })
  beforeEach(async () => {
    await right(db.dropAll())
    await right(fromDriver(clubsSchema, driver).dropAll())
    await right(db.createAll())
  })

  it('delete cascades through three levels, nullifies, leaves passive children to ON DELETE, and cleans associations', async () => {
    const k = await seed()
    const done = await right(db.commit(pipe(S.empty(library), S.delete(authors, k.king))))
    expect(await ids(driver, 'authors')).toEqual([k.other])
    expect(await ids(driver, 'profiles')).toEqual([]) // hasOne with delete
    expect((await ids(driver, 'books')).length).toBe(1) // It and The Shining went with King; Kept stays
    expect(await ids(driver, 'reviews')).toEqual([]) // grandchildren, deleted by the books' own rule
    expect(await ids(driver, 'editions')).toEqual([]) // the database's ON DELETE CASCADE (passiveDeletes)
    const n = (await right(driver.query('SELECT body, book_id FROM notes ORDER BY id', []))).rows
    expect(n).toEqual([
      { body: 'first edition', book_id: null }, // default rule: foreign key set to NULL
      { body: 'kept note', book_id: expect.any(Number) },
    ])
    expect((await right(driver.query('SELECT * FROM book_tags', []))).rows).toEqual([]) // association rows
    expect((await right(driver.query('SELECT * FROM shelf_books', []))).rows).toEqual([])
    expect(await ids(driver, 'tags')).toEqual([k.tag]) // the other side of a many-to-many stays
    expect(await ids(driver, 'shelves')).toEqual([k.shelf])
    // set-based: one statement per table and rule, however many children
    expect(done.plan.steps.map((s) => s.name)).toEqual([
      'collect books',
      'guard stickers.book_id',
      'nullify notes.book_id',
      'delete shelf_books',
      'delete book_tags',
      'delete reviews',
      'delete books',
      'delete profiles',
      'delete authors',
    ])
  })

  it('refuses to orphan NOT NULL children with an OrphanError naming them; nothing changes', async () => {
    const k = await seed()
    await right(db.commit(pipe(S.empty(library), S.add(S.ref(stickers), { label: 'sale', bookId: k.it }))))
    const before = await state(driver, libraryTables)
    const e = await left(db.commit(pipe(S.empty(library), S.delete(authors, k.king))))
    expect(e).toMatchObject({
      _tag: 'OrphanError',
      table: 'stickers',
      column: 'book_id',
      relation: 'books.stickers',
      count: 1,
      step: 'guard stickers.book_id',
    })
    expect(await state(driver, libraryTables)).toEqual(before)
  })

  it('deletes an orphan removed from a delete-orphan relationship, with its own cascades', async () => {
    const k = await seed()
    await right(db.commit(pipe(S.empty(library), S.remove(authors, k.king, 'books', k.it))))
    expect(await ids(driver, 'books')).not.toContain(k.it)
    expect(await ids(driver, 'reviews')).toEqual([])
    expect(await ids(driver, 'authors')).toContain(k.king)
  })

  it('nullifies a child removed from a default relationship, and checks it belonged to the parent', async () => {
    const k = await seed()
    const note = (await right(driver.query('SELECT id FROM notes WHERE book_id = $1::int4', [k.it]))).rows[0]!
      .id as number
    const before = await state(driver, libraryTables)
    const stale = await left(db.commit(pipe(S.empty(library), S.remove(books, k.shining, 'notes', note))))
    expect(stale).toMatchObject({ _tag: 'StaleRowError', table: 'notes' })
    expect(await state(driver, libraryTables)).toEqual(before)
    await right(db.commit(pipe(S.empty(library), S.remove(books, k.it, 'notes', note))))
    expect((await right(driver.query('SELECT book_id FROM notes WHERE id = $1::int4', [note]))).rows).toEqual(
      [{ book_id: null }],
    )
  })

  it('refuses to remove a child whose NOT NULL key cannot be nulled, before any SQL', async () => {
    const k = await seed()
    const e = await left(db.commit(pipe(S.empty(library), S.remove(books, k.it, 'stickers', 99))))
    expect(e).toMatchObject({ _tag: 'OrphanError', table: 'stickers', keys: ['99'], step: undefined })
  })

  it('removes from the many-to-one side: an orphan of a delete-orphan relationship is deleted', async () => {
    // books.author and authors.books view one key; authors.books has delete-orphan (SQLAlchemy
    // deletes a book whose author is set to None in that case too)
    const k = await seed()
    await right(db.commit(pipe(S.empty(library), S.remove(books, k.shining, 'author', k.king))))
    expect(await ids(driver, 'books')).not.toContain(k.shining)
    expect(await ids(driver, 'authors')).toContain(k.king)
  })

  it('links and unlinks many-to-many rows; deleting either side removes only association rows', async () => {
    const k = await seed()
    const tag2 = S.ref(tags)
    await right(
      db.commit(
        pipe(S.empty(library), S.add(tag2, { name: 'classic' }), S.link(books, k.shining, 'tags', tag2)),
      ),
    )
    expect((await right(driver.query('SELECT count(*)::int AS n FROM book_tags', []))).rows[0]!.n).toBe(2)
    await right(db.commit(pipe(S.empty(library), S.unlink(books, k.it, 'tags', k.tag))))
    const e = await left(db.commit(pipe(S.empty(library), S.unlink(books, k.it, 'tags', k.tag))))
    expect(e).toMatchObject({ _tag: 'StaleRowError', table: 'book_tags' })
    const classic = (await ids(driver, 'tags')).find((t) => t !== k.tag) as number
    await right(db.commit(pipe(S.empty(library), S.delete(tags, classic))))
    expect((await right(driver.query('SELECT count(*)::int AS n FROM book_tags', []))).rows[0]!.n).toBe(0)
    expect(await ids(driver, 'books')).toContain(k.shining)
  })

  it('deletes across a many-to-many with delete: the shelf takes its books, and their cascades', async () => {
    const k = await seed()
    await right(db.commit(pipe(S.empty(library), S.delete(shelves, k.shelf))))
    expect(await ids(driver, 'books')).not.toContain(k.shining)
    expect(await ids(driver, 'books')).toContain(k.it)
  })

  it('reaches a fixpoint on a self-referential delete cascade, deleting each row once', async () => {
    const ceo = S.ref(employees, 'ceo')
    const done = await right(
      db.commit(
        pipe(
          S.empty(library),
          S.add(ceo, {
            name: 'ceo',
            reports: [
              { name: 'vp', reports: [{ name: 'manager', reports: [{ name: 'engineer' }] }] },
              { name: 'cfo' },
            ],
          }),
          S.add(S.ref(employees), { name: 'elsewhere' }),
        ),
      ),
    )
    const ceoId = (O.toUndefined(done.resolve(ceo)) as { id: number }).id
    const deleted = await right(db.commit(pipe(S.empty(library), S.delete(employees, ceoId))))
    expect((await right(driver.query('SELECT name FROM employees', []))).rows).toEqual([
      { name: 'elsewhere' },
    ])
    expect(deleted.counts['delete employees']).toBe(5)
  })

  it('closes a cycle of delete on both sides of a many-to-many', async () => {
    const cdb = fromDriver(clubsSchema, driver)
    await right(cdb.createAll())
    const a = S.ref(people, 'a')
    const chess = S.ref(clubs, 'chess')
    const done = await right(
      cdb.commit(
        pipe(
          S.empty(clubsSchema),
          S.add(a, { name: 'a', clubs: [chess] }),
          S.add(chess, {
            name: 'chess',
            members: [{ name: 'b', clubs: [{ name: 'go', members: [{ name: 'c' }] }] }],
          }),
          S.add(S.ref(people), { name: 'loner', clubs: [{ name: 'solo' }] }),
        ),
      ),
    )
    const aId = (O.toUndefined(done.resolve(a)) as { id: number }).id
    await right(cdb.commit(pipe(S.empty(clubsSchema), S.delete(people, aId))))
    expect((await right(driver.query('SELECT name FROM people', []))).rows).toEqual([{ name: 'loner' }])
    expect((await right(driver.query('SELECT name FROM clubs', []))).rows).toEqual([{ name: 'solo' }])
    expect((await right(cdb.all(memberships))).length).toBe(1)
  })

  it('checks and bumps a version column on update and delete; a stale version changes nothing', async () => {
    const k = await seed()
    const book = O.toUndefined(await right(db.get(books, k.shining)))!
    expect(book.version).toBe(1)
    await right(db.commit(pipe(S.empty(library), S.update(books, book, { title: 'The Shining (1977)' }))))
    expect(O.toUndefined(await right(db.get(books, k.shining)))!.version).toBe(2)
    const before = await state(driver, libraryTables)
    const e = await left(db.commit(pipe(S.empty(library), S.update(books, book, { title: 'lost update' }))))
    expect(e).toMatchObject({ _tag: 'StaleRowError', table: 'books', keys: [String(k.shining)] })
    const d = await left(db.commit(pipe(S.empty(library), S.delete(books, k.shining, { version: 1 }))))
    expect(d).toMatchObject({ _tag: 'StaleRowError', table: 'books' })
    expect(await state(driver, libraryTables)).toEqual(before)
    expect(await left(db.commit(pipe(S.empty(library), S.delete(books, k.shining))))).toMatchObject({
      _tag: 'PlanError',
      reason: 'VersionRequired',
    })
    await right(db.commit(pipe(S.empty(library), S.delete(books, k.shining, { version: 2 }))))
    expect(await ids(driver, 'books')).not.toContain(k.shining)
  })

  it('refuses a second child of a one-to-one parent: in the plan, or by the unique key', async () => {
    const k = await seed()
    const a = S.ref(authors)
    const e = await left(
      db.commit(
        pipe(
          S.empty(library),
          S.add(a, { name: 'x' }),
          S.add(S.ref(profiles), { bio: '1', authorId: a }),
          S.add(S.ref(profiles), { bio: '2', authorId: a }),
        ),
      ),
    )
    expect(e).toMatchObject({ _tag: 'PlanError', reason: 'OneToOne' })
    const u = await left(
      db.commit(pipe(S.empty(library), S.add(S.ref(profiles), { bio: 'again', authorId: k.king }))),
    )
    expect(u).toMatchObject({
      _tag: 'ConstraintViolation',
      kind: 'unique',
      constraint: 'profiles_author_id_key',
    })
  })

  it('composes change-sets with concat, and reports conflicts instead of merging them', async () => {
    const k = await seed()
    const a = pipe(S.empty(library), S.add(S.ref(tags), { name: 'a' }))
    const b = pipe(S.empty(library), S.add(S.ref(tags), { name: 'b' }))
    await right(db.commit(pipe(a, S.concat(b))))
    expect((await ids(driver, 'tags')).length).toBe(3)
    const book = O.toUndefined(await right(db.get(books, k.it)))!
    const x = pipe(S.empty(library), S.update(books, book, { title: 'x' }))
    const y = pipe(S.empty(library), S.update(books, book, { title: 'y' }))
    const before = await state(driver, libraryTables)
    expect(await left(db.commit(pipe(x, S.concat(y))))).toMatchObject({
      _tag: 'ConflictError',
      table: 'books',
      field: 'title',
    })
    const del = pipe(S.empty(library), S.delete(books, book))
    expect(await left(db.commit(pipe(x, S.concat(del))))).toMatchObject({
      _tag: 'ConflictError',
      field: undefined,
    })
    expect(await state(driver, libraryTables)).toEqual(before)
    // the same value on both sides is no conflict
    await right(db.commit(pipe(x, S.concat(pipe(S.empty(library), S.update(books, book, { title: 'x' }))))))
  })

  it('runs the same plan value again after a failure, with the same result', async () => {
    const { runPlan } = await import('../../lib/db/execute.js')
    const { plan } = await import('../../lib/plan/fold.js')
    await right(db.commit(pipe(S.empty(library), S.add(S.ref(authors), { name: 'taken' }))))
    const taken = (await ids(driver, 'authors'))[0] as number
    const p = JSON.parse(
      JSON.stringify(
        O.toUndefined(
          O.fromEither(plan(pipe(S.empty(library), S.add(S.ref(authors), { id: taken, name: 'again' })))),
        ),
      ),
    )
    const first = await left(driver.transaction((tx) => runPlan(tx, library, p)))
    expect(first).toMatchObject({ _tag: 'ConstraintViolation', kind: 'unique' })
    await right(driver.query('DELETE FROM authors', []))
    const second = await right(driver.transaction((tx) => runPlan(tx, library, p)))
    expect([...second.inserted.values()]).toEqual([{ id: taken, name: 'again' }])
  })
})
