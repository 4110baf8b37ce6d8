import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { compileStep } from '../../../lib/dialects/postgres/compile-step.js'
import { explain } from '../../../lib/dialects/postgres/explain.js'
import { belongsTo, hasMany, hasOne, integer, schema, serial, table } from '../../../lib/index.js'
import * as S from '../../../lib/namespaces/session.js'
import { plan } from '../../../lib/plan/fold.js'
import type { Plan } from '../../../lib/plan/step.js'
import {
  authors,
  books,
  clubsSchema,
  employees,
  library,
  people,
  shelves,
  tags,
} from '../../fixtures/library.js'
import { errorOf, planOf } from '../../support/results.js'

const sqlOf = (p: Plan) => p.steps.map((s) => [s.name, compileStep(s).text])

describe('delete cascades, as plans', () => {
  it('deletes an author: reads the books it cascades to, guards, nullifies, then deletes children first', () => {
    expect(sqlOf(planOf(pipe(S.empty(library), S.delete(authors, 1))))).toEqual([
      ['collect books', 'SELECT t."id" FROM "books" AS t WHERE t."author_id" = ANY($1::int4[])'],
      [
        'guard stickers.book_id',
        'SELECT t."id", count(*) OVER () AS orphans FROM "stickers" AS t WHERE t."book_id" = ANY($1::int4[]) ORDER BY t."id" LIMIT 20',
      ],
      [
        'nullify notes.book_id',
        'UPDATE "notes" AS t SET "book_id" = NULL WHERE t."book_id" = ANY($1::int4[])',
      ],
      ['delete shelf_books', 'DELETE FROM "shelf_books" AS t WHERE t."book_id" = ANY($1::int4[])'],
      ['delete book_tags', 'DELETE FROM "book_tags" AS t WHERE t."book_id" = ANY($1::int4[])'],
      ['delete reviews', 'DELETE FROM "reviews" AS t WHERE t."book_id" = ANY($1::int4[])'],
      ['delete books', 'DELETE FROM "books" AS t WHERE t."id" = ANY($1::int4[])'],
      ['delete profiles', 'DELETE FROM "profiles" AS t WHERE t."author_id" = ANY($1::int4[])'],
      ['delete authors', 'DELETE FROM "authors" AS t WHERE t."id" = ANY($1::int4[]) RETURNING t."id"'],
    ])
  })

  it('names the rows a step finds at run time in explain, and never loads children', () => {
    const text = explain(planOf(pipe(S.empty(library), S.delete(authors, 1))))
    expect(text).toContain('$1 = {1}')
    expect(text).toContain('$1 = <books.id of the rows collected>')
  })

  it('leaves passive children alone: no step touches editions', () => {
    const p = planOf(pipe(S.empty(library), S.delete(authors, 1)))
    expect(p.steps.some((s) => s.table === 'editions')).toBe(false)
  })

  it('deletes a leaf cascade by its foreign key, without reading it first', () => {
    const p = planOf(pipe(S.empty(library), S.delete(tags, 3)))
    expect(sqlOf(p)).toEqual([
      ['delete book_tags', 'DELETE FROM "book_tags" AS t WHERE t."tag_id" = ANY($1::int4[])'],
      ['delete tags', 'DELETE FROM "tags" AS t WHERE t."id" = ANY($1::int4[]) RETURNING t."id"'],
    ])
  })

  it('reaches the far side of a many-to-many with delete through the association table', () => {
    const p = planOf(pipe(S.empty(library), S.delete(shelves, 2)))
    const collect = p.steps.find((s) => s.name === 'collect books')!
    expect(compileStep(collect).text).toBe(
      'SELECT t."id" FROM "books" AS t WHERE t."id" IN (SELECT v1."book_id" FROM "shelf_books" AS v1 WHERE v1."shelf_id" = ANY($1::int4[]))',
    )
  })

  it('marks the collects of a cycle as one loop', () => {
    const self = planOf(pipe(S.empty(library), S.delete(employees, 1)))
    expect(self.steps.map((s) => (s._tag === 'Collect' ? [s.name, s.loop] : s.name))).toEqual([
      ['collect employees', 'loop employees'],
      'delete employees',
    ])
    const both = planOf(pipe(S.empty(clubsSchema), S.delete(people, 1)))
    expect(both.steps.filter((s) => s._tag === 'Collect').map((s) => s._tag === 'Collect' && s.loop)).toEqual(
      ['loop clubs+people', 'loop clubs+people'],
    )
  })

  it('checks named rows up front only where something else could delete them first', () => {
    const parents = table('parents', { id: serial().primaryKey() })
    const kids = table('kids', {
      id: serial().primaryKey(),
      parentId: integer('parent_id').references(() => parents.id, { onDelete: 'cascade' }),
    })
    const s = schema(
      { parents, kids },
      { parents: { kids: hasMany('kids', { foreignKey: 'parentId', passiveDeletes: true }) } },
    )
    // the database's ON DELETE CASCADE may take kid 5 with parent 1 before kid 5's own delete
    const both = planOf(pipe(S.empty(s), S.delete(parents, 1), S.delete(kids, 5)))
    expect(both.steps.map((x) => x.name)).toEqual(['check kids', 'delete kids', 'delete parents'])
    expect(both.steps.find((x) => x.name === 'delete kids')).toMatchObject({ checked: true })
    // alone, a named row not deleted is stale at once
    const alone = planOf(pipe(S.empty(s), S.delete(kids, 5)))
    expect(alone.steps.map((x) => x.name)).toEqual(['delete kids'])
    expect(alone.steps[0]).toMatchObject({ checked: false })
  })

  it('checks a version on delete when the caller gives one, and requires it', () => {
    const p = planOf(pipe(S.empty(library), S.delete(books, 4, { version: 3 })))
    expect(compileStep(p.steps.find((s) => s.name === 'delete books')!)).toMatchObject({
      text: 'DELETE FROM "books" AS t WHERE (t."id", t."version") IN (SELECT * FROM unnest($1::int4[], $2::int4[])) RETURNING t."id"',
      params: [[4], [3]],
    })
    expect(errorOf(pipe(S.empty(library), S.delete(books, 4)))).toMatchObject({ reason: 'VersionRequired' })
  })

  it('bumps a version on update and makes it a condition', () => {
    const p = planOf(pipe(S.empty(library), S.update(books, 4, { title: 'x' }, { version: 3 })))
    expect(compileStep(p.steps[0]!)).toEqual({
      text: 'UPDATE "books" AS t SET "title" = u.c1, "version" = t."version" + 1 FROM unnest($1::int4[], $2::int4[], $3::text[]) AS u(k1, k2, c1) WHERE t."id" = u.k1 AND t."version" = u.k2 RETURNING t."id"',
      params: [[4], [3], ['x']],
    })
  })
})

describe('remove, link and unlink, as plans', () => {
  it('deletes a delete-orphan child only if it still belongs to the parent', () => {
    const p = planOf(pipe(S.empty(library), S.remove(authors, 1, 'books', 7)))
    expect(compileStep(p.steps.find((s) => s.name === 'delete books')!).text).toBe(
      'DELETE FROM "books" AS t WHERE (t."id", t."author_id") IN (SELECT * FROM unnest($1::int4[], $2::int4[])) RETURNING t."id"',
    )
  })

  it('nulls the key of a row removed from its many-to-one side when no delete-orphan views it', () => {
    const owners = table('owners', { id: serial().primaryKey() })
    const pets = table('pets', {
      id: serial().primaryKey(),
      ownerId: integer('owner_id').references(() => owners.id),
    })
    const s = schema({ owners, pets }, { pets: { owner: belongsTo('owners', { foreignKey: 'ownerId' }) } })
    const p = planOf(pipe(S.empty(s), S.remove(pets, 5, 'owner', 2)))
    expect(compileStep(p.steps[0]!)).toEqual({
      text: 'UPDATE "pets" AS t SET "owner_id" = u.c1 FROM unnest($1::int4[], $2::int4[], $3::int4[]) AS u(k1, k2, c1) WHERE t."id" = u.k1 AND t."owner_id" = u.k2 RETURNING t."id"',
      params: [[5], [2], [null]],
    })
  })

  it('refuses to orphan a NOT NULL child in the plan, naming it', () => {
    expect(errorOf(pipe(S.empty(library), S.remove(books, 1, 'stickers', 5)))).toMatchObject({
      _tag: 'OrphanError',
      table: 'stickers',
      column: 'book_id',
      relation: 'books.stickers',
      keys: ['5'],
    })
  })

  it('cancels a pending link that is unlinked, and refuses relations that do not exist', () => {
    const t = S.ref(tags)
    expect(
      planOf(
        pipe(
          S.empty(library),
          S.add(t, { name: 'x' }),
          S.link(books, 1, 'tags', t),
          S.unlink(books, 1, 'tags', t),
        ),
      ).steps.map((s) => s.name),
    ).toEqual(['insert tags'])
    expect(errorOf(pipe(S.empty(library), S.link(books, 1, 'nope', 2)))).toMatchObject({
      reason: 'UnknownTable',
    })
    expect(errorOf(pipe(S.empty(library), S.link(authors, 1, 'books', 2)))).toMatchObject({
      reason: 'InvalidRelationValue',
    })
  })

  it('removes a pending child by cancelling its insert', () => {
    const a = S.ref(authors, 'a')
    const s = pipe(S.empty(library), S.add(a, { name: 'a', books: [{ title: 'x' }] }))
    const p = planOf(
      pipe(
        s,
        S.remove(authors, a, 'books', { _tag: 'Ref', table: 'books', id: 'authors#a.books[0]' } as never),
      ),
    )
    expect(p.steps.map((x) => x.name)).toEqual(['insert authors'])
  })
})

describe('concat: a monoid, conflicts reported', () => {
  const x = pipe(S.empty(library), S.update(books, 1, { title: 'x' }, { version: 1 }))
  const y = pipe(S.empty(library), S.update(books, 1, { title: 'y' }, { version: 1 }))
  const z = pipe(S.empty(library), S.add(S.ref(tags, 'z'), { name: 'z' }))
  const M = S.getMonoid(library)

  it('has empty as identity and is associative', () => {
    expect(M.concat(M.empty, z)).toEqual(z)
    expect(M.concat(z, M.empty)).toEqual(z)
    expect(M.concat(M.concat(x, z), z)).toEqual(M.concat(x, M.concat(z, z)))
  })

  it('reports two values for one field, and delete against update', () => {
    expect(errorOf(pipe(x, S.concat(y)))).toMatchObject({
      _tag: 'ConflictError',
      field: 'title',
      table: 'books',
    })
    expect(
      errorOf(pipe(x, S.concat(pipe(S.empty(library), S.delete(books, 1, { version: 1 }))))),
    ).toMatchObject({
      _tag: 'ConflictError',
      field: undefined,
    })
    expect(E.isRight(plan(pipe(x, S.concat(x))))).toBe(true)
  })

  it('keeps sequential changes inside one change-set a plain sequence', () => {
    const seq = pipe(x, S.update(books, 1, { title: 'y' }, { version: 1 }))
    const p = planOf(seq)
    expect(p.steps[0]!._tag === 'Update' && p.steps[0]!.cells).toEqual([['y']])
  })
})

describe('schema checks for relationships', () => {
  it('rejects a relationship value that is not a relationship, naming it', () => {
    expect(() => schema({ authors }, { authors: { books: undefined as never } })).toThrow(
      /authors.books: .*not a relationship/,
    )
  })

  it('requires a unique foreign key for hasOne', () => {
    const a = table('a', { id: serial().primaryKey() })
    const b = table('b', { id: serial().primaryKey(), aId: integer().references(() => a.id) })
    expect(() => schema({ a, b }, { a: { b: hasOne('b', { foreignKey: 'aId' }) } })).toThrow(
      /hasOne needs b.aId to be unique/,
    )
  })

  it('reaches NOT NULL children of the default rule only through the guard', () => {
    expect(
      planOf(pipe(S.empty(library), S.delete(authors, 1)))
        .steps.filter((s) => s.table === 'stickers')
        .map((s) => s._tag),
    ).toEqual(['Guard'])
  })
})
