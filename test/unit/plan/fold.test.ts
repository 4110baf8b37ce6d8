import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { compileStep } from '../../../lib/dialects/postgres/compile-step.js'
import { explain } from '../../../lib/dialects/postgres/explain.js'
import * as S from '../../../lib/namespaces/session.js'
import { rowsOf } from '../../../lib/plan/step.js'
import type { ColumnRef } from '../../../lib/schema/column.js'
import { integer, serial, text, uuid, varchar } from '../../../lib/schema/column.js'
import { schema } from '../../../lib/schema/schema.js'
import { table } from '../../../lib/schema/table.js'
import { authors, books, bookstore, items, orderItems, orders } from '../../fixtures/bookstore.js'
import { errorOf, insertRows, planOf } from '../../support/results.js'

describe('plan: inserts', () => {
  const king = S.ref(authors, 'king')
  const crichton = S.ref(authors, 'crichton')
  const seeded = pipe(
    S.empty(bookstore),
    S.add(king, { name: 'Stephen King' }),
    S.add(S.ref(books, 'it'), { title: 'It', author: king }),
    S.add(crichton, {
      name: 'Michael Crichton',
      books: [{ title: 'Jurassic Park' }, { title: 'Andromeda Strain' }],
    }),
  )

  it('inserts parents first, one statement per table, children keyed by their parent refs', () => {
    const p = planOf(seeded)
    expect(p.steps.map((s) => s.name)).toEqual(['insert authors', 'insert books'])
    const [a, b] = p.steps
    expect(a).toMatchObject({
      _tag: 'Insert',
      match: 'sequence',
      refs: ['authors#king', 'authors#crichton'],
      cells: [['Stephen King', 'Michael Crichton']],
    })
    expect(insertRows(b).map((r) => [r.ref, ...r.cells])).toEqual([
      ['books#it', 'It', { _tag: 'RefKey', ref: 'authors#king', table: 'authors', field: 'id' }],
      [
        'authors#crichton.books[0]',
        'Jurassic Park',
        { _tag: 'RefKey', ref: 'authors#crichton', table: 'authors', field: 'id' },
      ],
      [
        'authors#crichton.books[1]',
        'Andromeda Strain',
        { _tag: 'RefKey', ref: 'authors#crichton', table: 'authors', field: 'id' },
      ],
    ])
  })

  it('compiles each insert to one unnest statement whose text does not depend on the row count', () => {
    const [a, b] = planOf(seeded).steps
    expect(compileStep(a!)).toEqual({
      text: 'INSERT INTO "authors" ("name") SELECT u.c1 FROM unnest($1::text[]) WITH ORDINALITY AS u(c1, ord) ORDER BY u.ord RETURNING "id"',
      params: [['Stephen King', 'Michael Crichton']],
    })
    expect(compileStep(b!).text).toBe(
      'INSERT INTO "books" ("title", "author_id") SELECT u.c1, u.c2 FROM unnest($1::text[], $2::int4[]) WITH ORDINALITY AS u(c1, c2, ord) ORDER BY u.ord RETURNING "id"',
    )
    const one = planOf(pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'A' })))
    expect(compileStep(one.steps[0]!).text).toBe(compileStep(a!).text)
  })

  it('is deterministic and a plain JSON value', () => {
    expect(planOf(seeded)).toEqual(planOf(seeded))
    expect(JSON.parse(JSON.stringify(planOf(seeded)))).toEqual(planOf(seeded))
    expect(explain(planOf(seeded))).toBe(explain(planOf(seeded)))
  })

  it('explains every step with its statement and parameters in order', () => {
    expect(explain(planOf(seeded))).toBe(
      [
        '1. insert authors (2 rows)',
        '     INSERT INTO "authors" ("name") SELECT u.c1 FROM unnest($1::text[]) WITH ORDINALITY AS u(c1, ord) ORDER BY u.ord RETURNING "id"',
        "     $1 = {'Stephen King', 'Michael Crichton'}",
        '2. insert books (3 rows)',
        '     INSERT INTO "books" ("title", "author_id") SELECT u.c1, u.c2 FROM unnest($1::text[], $2::int4[]) WITH ORDINALITY AS u(c1, c2, ord) ORDER BY u.ord RETURNING "id"',
        "     $1 = {'It', 'Jurassic Park', 'Andromeda Strain'}",
        '     $2 = {<ref authors#king.id>, <ref authors#crichton.id>, <ref authors#crichton.id>}',
      ].join('\n'),
    )
    expect(explain(planOf(S.empty(bookstore)))).toBe('(empty plan: nothing to do)')
  })

  it('splits rows that give different defaulted columns into separate statements', () => {
    const p = planOf(
      pipe(S.empty(bookstore), S.add(S.ref(orders), {}), S.add(S.ref(orders), { placedAt: new Date(0) })),
    )
    expect(p.steps.map((s) => [s.name, s._tag === 'Insert' && s.columns.map((c) => c.field)])).toEqual([
      ['insert orders', []],
      ['insert orders #2', ['placedAt']],
    ])
    expect(compileStep(p.steps[0]!).text).toBe(
      'INSERT INTO "orders" DEFAULT VALUES RETURNING "id", "placed_at"',
    )
  })

  it('adds many-to-many children with their association rows', () => {
    const order = S.ref(orders, 'o')
    const p = planOf(pipe(S.empty(bookstore), S.add(order, { items: [{ name: 'pen' }, { name: 'ink' }] })))
    expect(p.steps.map((s) => s.name)).toEqual(['insert orders', 'insert items', 'insert order_items'])
    const link = p.steps[2]!
    expect(link._tag === 'Insert' && link.match).toBe('key')
  })

  it('inserts rows of a self-referencing table in levels, parents first', () => {
    const employees = table('employees', {
      id: serial().primaryKey(),
      name: text().notNull(),
      managerId: integer().references((): ColumnRef => employees.id),
    })
    const s = schema({ employees })
    const boss = S.ref(employees, 'boss')
    const p = planOf(
      pipe(
        S.empty(s),
        S.add(S.ref(employees, 'e'), { name: 'e', managerId: boss }),
        S.add(boss, { name: 'boss' }),
      ),
    )
    expect(p.steps.map((x) => x._tag === 'Insert' && x.refs)).toEqual([['employees#boss'], ['employees#e']])
  })

  it('breaks a cycle through a nullable key with a post-update (SQLAlchemy post_update)', () => {
    const users = table('users', {
      id: serial().primaryKey(),
      favoritePostId: integer('favorite_post_id').references((): ColumnRef => posts.id),
    })
    const posts = table('posts', {
      id: serial().primaryKey(),
      userId: integer('user_id')
        .notNull()
        .references((): ColumnRef => users.id),
    })
    const s = schema({ users, posts })
    const u = S.ref(users, 'u')
    const post = S.ref(posts, 'p')
    const p = planOf(pipe(S.empty(s), S.add(u, { favoritePostId: post }), S.add(post, { userId: u })))
    expect(p.steps.map((x) => x.name)).toEqual([
      'insert users',
      'insert posts',
      'post-update users.favorite_post_id',
    ])
    const insertUsers = p.steps[0]!
    expect(insertRows(insertUsers)[0]!.cells).toEqual([null])
  })

  it('refuses a cycle through NOT NULL keys with a clear error', () => {
    const a = table('a', {
      id: serial().primaryKey(),
      bId: integer()
        .notNull()
        .references((): ColumnRef => b.id),
    })
    const b = table('b', {
      id: serial().primaryKey(),
      aId: integer()
        .notNull()
        .references((): ColumnRef => a.id),
    })
    const s = schema({ a, b })
    const ra = S.ref(a, 'a')
    const rb = S.ref(b, 'b')
    expect(errorOf(pipe(S.empty(s), S.add(ra, { bId: rb }), S.add(rb, { aId: ra })))).toMatchObject({
      _tag: 'PlanError',
      reason: 'Cycle',
    })
  })

  it('inserts a row with a generated non-sequence key alone, matched one by one', () => {
    const tokens = table('tokens', { id: uuid().primaryKey().defaultRandom(), label: varchar(10).notNull() })
    const s = schema({ tokens })
    const p = planOf(
      pipe(S.empty(s), S.add(S.ref(tokens), { label: 'a' }), S.add(S.ref(tokens), { label: 'b' })),
    )
    expect(p.steps.map((x) => x._tag === 'Insert' && [x.match, x.refs.length])).toEqual([
      ['single', 1],
      ['single', 1],
    ])
  })
})

describe('plan: updates and deletes', () => {
  it('merges an update of a pending row into its insert', () => {
    const r = S.ref(books)
    const p = planOf(
      pipe(S.empty(bookstore), S.add(r, { title: 'Draft' }), S.update(books, r, { title: 'Final' })),
    )
    expect(p.steps).toHaveLength(1)
    expect(insertRows(p.steps[0])[0]!.cells[0]).toBe('Final')
  })

  it('cancels the insert of a pending row that is deleted', () => {
    const r = S.ref(books)
    expect(planOf(pipe(S.empty(bookstore), S.add(r, { title: 'x' }), S.delete(books, r))).steps).toEqual([])
  })

  it('batches updates per set of columns and sorts rows by key', () => {
    const p = planOf(
      pipe(
        S.empty(bookstore),
        S.update(books, 3, { title: 'c' }),
        S.update(books, 1, { title: 'a' }),
        S.update(books, 2, { authorId: null }),
        S.update(books, 1, { title: 'a2' }),
      ),
    )
    expect(
      p.steps.map((s) => s._tag === 'Update' && [s.name, s.columns.map((c) => c.field), s.keyCells, s.cells]),
    ).toEqual([
      // column by column: the keys 1 and 3, their titles a2 and c
      ['update books', ['title'], [[1, 3]], [['a2', 'c']]],
      ['update books #2', ['authorId'], [[2]], [[null]]],
    ])
    expect(compileStep(p.steps[0]!).text).toBe(
      'UPDATE "books" AS t SET "title" = u.c1 FROM unnest($1::int4[], $2::text[]) AS u(k1, c1) WHERE t."id" = u.k1',
    )
    // the key is the only condition: no RETURNING, the row count tells whether all matched
    expect(p.steps.map((s) => s._tag === 'Update' && s.returning)).toEqual([[], []])
  })

  it('deletes children before parents, one statement per table, keys sorted', () => {
    const p = planOf(pipe(S.empty(bookstore), S.delete(authors, 2), S.delete(books, 9), S.delete(books, 4)))
    expect(p.steps.map((s) => s.name)).toEqual(['delete books', 'delete authors'])
    // books go first: named ones, and (the bookstore cascades 'all') those of the deleted author
    expect(compileStep(p.steps[0]!)).toEqual({
      text: 'DELETE FROM "books" AS t WHERE (t."id" = ANY($1::int4[]) OR t."author_id" = ANY($2::int4[])) RETURNING t."id"',
      params: [[4, 9], [2]],
    })
  })

  it('deletes by composite key through unnest', () => {
    const p = planOf(pipe(S.empty(bookstore), S.delete(orderItems, { orderId: 1, itemId: 2 })))
    expect(compileStep(p.steps[0]!)).toEqual({
      text: 'DELETE FROM "order_items" AS t WHERE (t."order_id", t."item_id") IN (SELECT * FROM unnest($1::int4[], $2::int4[])) RETURNING t."order_id", t."item_id"',
      params: [[1], [2]],
    })
  })

  it('lets a delete win over updates of the same row', () => {
    const p = planOf(pipe(S.empty(bookstore), S.update(books, 1, { title: 'x' }), S.delete(books, 1)))
    expect(p.steps.map((s) => s.name)).toEqual(['delete books'])
  })

  it('uses keys of rows committed earlier through the identity map', () => {
    const r = S.ref(authors, 'known')
    const s = { ...S.empty(bookstore), identity: new Map([[r.id, { table: 'authors', key: { id: 7 } }]]) }
    const p = planOf(
      pipe(s, S.add(S.ref(books), { title: 'x', author: r }), S.update(authors, r, { name: 'y' })),
    )
    expect(
      p.steps.map((x) =>
        x._tag === 'Insert' ? insertRows(x)[0]!.cells : x._tag === 'Update' ? rowsOf(x.keyCells)[0] : [],
      ),
    ).toEqual([['x', 7], [7]])
  })
})

describe('plan: errors, before any SQL', () => {
  it('reports bad input recorded by add and update', () => {
    expect(errorOf(pipe(S.empty(bookstore), S.add(S.ref(books), { title: 'x'.repeat(51) })))).toMatchObject({
      _tag: 'DecodeError',
      errors: [{ field: 'title' }],
    })
    expect(errorOf(pipe(S.empty(bookstore), S.update(books, 1, { title: null as never })))).toMatchObject({
      _tag: 'DecodeError',
    })
    expect(errorOf(pipe(S.empty(bookstore), S.update(books, 'one' as never, { title: 'x' })))).toMatchObject({
      _tag: 'DecodeError',
      errors: [{ field: 'id' }],
    })
  })

  it('reports refs used but never added, and refs added twice', () => {
    const ghost = S.ref(authors)
    expect(
      errorOf(pipe(S.empty(bookstore), S.add(S.ref(books), { title: 'x', author: ghost }))),
    ).toMatchObject({
      reason: 'UnresolvedRef',
    })
    expect(errorOf(pipe(S.empty(bookstore), S.update(books, S.ref(books), { title: 'x' })))).toMatchObject({
      reason: 'UnresolvedRef',
    })
    const twice = S.ref(authors)
    expect(
      errorOf(pipe(S.empty(bookstore), S.add(twice, { name: 'a' }), S.add(twice, { name: 'b' }))),
    ).toMatchObject({
      reason: 'DuplicateRef',
    })
  })

  it('reports relationship values of the wrong shape and refs of the wrong table', () => {
    expect(
      errorOf(pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'a', books: { title: 'x' } }))),
    ).toMatchObject({
      reason: 'InvalidRelationValue',
    })
    expect(
      errorOf(pipe(S.empty(bookstore), S.add(S.ref(books), { title: 'x', author: S.ref(items) }))),
    ).toMatchObject({
      reason: 'InvalidRelationValue',
    })
    expect(
      errorOf(
        pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'a', books: [{ title: 'x', authorId: 3 }] })),
      ),
    ).toMatchObject({ reason: 'InvalidRelationValue' })
    // a ref given as a child must be a row of the relationship's target table, on either kind
    expect(
      errorOf(pipe(S.empty(bookstore), S.add(S.ref(authors), { name: 'a', books: [S.ref(items)] }))),
    ).toMatchObject({
      reason: 'InvalidRelationValue',
      message: 'authors.books: a ref of items cannot stand for a row of books',
    })
    expect(
      errorOf(pipe(S.empty(bookstore), S.add(S.ref(orders), { items: [S.ref(authors, 'a')] }))),
    ).toMatchObject({
      reason: 'InvalidRelationValue',
      message: 'orders.items: a ref of authors cannot stand for a row of items',
    })
  })

  it('keeps an operation all-or-nothing: a bad nested child adds nothing', () => {
    const s = pipe(
      S.empty(bookstore),
      S.add(S.ref(authors), { name: 'a', books: [{ title: 'ok' }, { title: 'x'.repeat(51) }] }),
    )
    expect(s.changes).toEqual([])
    expect(s.errors).toHaveLength(1)
    expect(S.rollback(s)).toMatchObject({ changes: [], errors: [] })
  })
})
