import { describe, expect, it } from 'vitest'
import type { Catalog, CatalogColumn, CatalogTable } from '../../../lib/dialects/postgres/catalog.js'
import { integer, schema, serial, table, varchar } from '../../../lib/index.js'
import { diff, renamesOf } from '../../../lib/migrate/diff.js'
import { destroys, inverse, type Operation } from '../../../lib/migrate/operation.js'

const col = (name: string, type = 'integer', extra: Partial<CatalogColumn> = {}): CatalogColumn => ({
  name,
  type,
  nullable: true,
  default: undefined,
  serial: false,
  ...extra,
})
const tbl = (
  name: string,
  columns: ReadonlyArray<CatalogColumn>,
  extra: Partial<CatalogTable> = {},
): CatalogTable => ({
  name,
  columns,
  primaryKey: undefined,
  uniques: [],
  foreignKeys: [],
  indexes: [],
  checks: [],
  ...extra,
})
const cat = (...tables: ReadonlyArray<CatalogTable>): Catalog => ({ schema: 'public', tables })
const ops = (d: { operations: ReadonlyArray<Operation> }) =>
  d.operations.map((o) => (typeof o === 'string' ? o : `${o.op}${'table' in o ? ` ${o.table}` : ''}`))

const authors = tbl(
  'authors',
  [col('id', 'integer', { nullable: false, serial: true }), col('name', 'text')],
  {
    primaryKey: { name: 'authors_pkey', columns: ['id'] },
  },
)
const books = tbl('books', [col('id', 'integer', { nullable: false, serial: true }), col('author_id')], {
  primaryKey: { name: 'books_pkey', columns: ['id'] },
  foreignKeys: [
    {
      name: 'books_author_id_fkey',
      columns: ['author_id'],
      targetTable: 'authors',
      targetColumns: ['id'],
      onDelete: 'cascade',
      onUpdate: 'no action',
    },
  ],
  indexes: [
    { name: 'books_author_id_idx', columns: ['author_id'], unique: false, plain: true, definition: '' },
  ],
})

describe('diff', () => {
  it('finds nothing between equal catalogs', () => {
    expect(diff(cat(authors, books))(cat(authors, books)).operations).toEqual([])
  })

  it('creates parents before children, with the foreign key inline and the index after', () => {
    const d = diff(cat(books, authors))(cat())
    expect(ops(d)).toEqual(['createTable authors', 'createTable books', 'createIndex books'])
    const create = d.operations[1] as Extract<Operation, { op: 'createTable' }>
    expect(create.foreignKeys?.[0]).toMatchObject({ targetTable: 'authors', onDelete: 'cascade' })
    expect(create.columns[0]).toEqual({ name: 'id', type: 'serial', notNull: true })
  })

  it('drops children before parents, their foreign keys and indexes first, and marks the drops destructive', () => {
    const d = diff(cat())(cat(authors, books))
    expect(ops(d)).toEqual([
      'dropForeignKey books',
      'dropIndex books',
      'dropTable books',
      'dropTable authors',
    ])
    expect(d.operations.flatMap(destroys)).toEqual(['books', 'authors'])
  })

  it('adds a foreign key of a cycle after both tables exist', () => {
    const a = tbl('a', [col('id'), col('b_id')], {
      foreignKeys: [
        {
          name: 'a_b',
          columns: ['b_id'],
          targetTable: 'b',
          targetColumns: ['id'],
          onDelete: 'no action',
          onUpdate: 'no action',
        },
      ],
    })
    const b = tbl('b', [col('id'), col('a_id')], {
      foreignKeys: [
        {
          name: 'b_a',
          columns: ['a_id'],
          targetTable: 'a',
          targetColumns: ['id'],
          onDelete: 'no action',
          onUpdate: 'no action',
        },
      ],
    })
    // b first (a needs it), a with its key to b inline, then b's key to a once a exists
    expect(ops(diff(cat(a, b))(cat()))).toEqual(['createTable b', 'createTable a', 'addForeignKey b'])
  })

  it('alters type, default and nullability in that order, backfilling NULLs when a default exists', () => {
    const live = cat(tbl('t', [col('n', 'integer'), col('s', 'character varying(10)')]))
    const want = cat(
      tbl('t', [
        col('n', 'bigint'),
        col('s', 'character varying(5)', { nullable: false, default: "'x'::character varying" }),
      ]),
    )
    const d = diff(want)(live)
    expect(d.operations).toEqual([
      { op: 'alterColumnType', table: 't', column: 'n', from: 'integer', to: 'bigint' },
      {
        op: 'alterColumnType',
        table: 't',
        column: 's',
        from: 'character varying(10)',
        to: 'character varying(5)',
      },
      { op: 'setDefault', table: 't', column: 's', default: "'x'::character varying" },
      { op: 'setNotNull', table: 't', column: 's', backfill: true },
    ])
    expect(d.operations.flatMap(destroys)).toEqual(['t.s'])
  })

  it('turns a declared column rename into RENAME and keeps everything attached to it', () => {
    const live = cat(
      tbl('users', [col('id'), col('mail', 'text')], {
        uniques: [{ name: 'users_mail_key', columns: ['mail'] }],
      }),
    )
    const want = cat(
      tbl('users', [col('id'), col('email', 'text')], {
        uniques: [{ name: 'users_email_key', columns: ['email'] }],
      }),
    )
    expect(diff(want, { tables: {}, columns: { users: { email: 'mail' } } })(live).operations).toEqual([
      { op: 'renameColumn', table: 'users', from: 'mail', to: 'email' },
    ])
  })

  it('reports an undeclared rename as a drop and an add, with a hint naming the declaration', () => {
    const live = cat(tbl('users', [col('id'), col('mail', 'text')]))
    const want = cat(tbl('users', [col('id'), col('email', 'text')]))
    const d = diff(want)(live)
    expect(ops(d)).toEqual(['addColumn users', 'dropColumn users'])
    expect(d.hints).toEqual([expect.stringContaining(".renamedFrom('mail')")])
    expect(d.operations.flatMap(destroys)).toEqual(['users.mail'])
  })

  it('renames a table and follows the foreign keys that point at it', () => {
    const writers = { ...authors, name: 'writers' }
    const books2 = { ...books, foreignKeys: [{ ...books.foreignKeys[0]!, targetTable: 'writers' }] }
    const d = diff(cat(writers, books2), { tables: { writers: 'authors' }, columns: {} })(cat(authors, books))
    expect(d.operations).toEqual([{ op: 'renameTable', from: 'authors', to: 'writers' }])
    const hinted = diff(cat(writers, books2))(cat(authors, books))
    expect(hinted.hints).toEqual([expect.stringContaining("renamedFrom: 'authors'")])
  })

  it('matches constraints by what they do, not by name, and replaces a changed foreign key', () => {
    const renamedOnly = { ...books, foreignKeys: [{ ...books.foreignKeys[0]!, name: 'other_name' }] }
    expect(diff(cat(authors, renamedOnly))(cat(authors, books)).operations).toEqual([])
    const setNull = { ...books, foreignKeys: [{ ...books.foreignKeys[0]!, onDelete: 'set null' as const }] }
    expect(ops(diff(cat(authors, setNull))(cat(authors, books)))).toEqual([
      'dropForeignKey books',
      'addForeignKey books',
    ])
  })

  it('warns about a NOT NULL column added without a default, and about serial changes it cannot write', () => {
    const d = diff(
      cat(tbl('t', [col('id', 'integer', { serial: true }), col('n', 'integer', { nullable: false })])),
    )(cat(tbl('t', [col('id')])))
    expect(d.warnings).toEqual([
      expect.stringContaining('t.n is added NOT NULL'),
      expect.stringContaining('t.id changes to serial'),
    ])
  })

  it('has an exact inverse: the downgrade undoes each operation in reverse order', () => {
    const live = cat(authors)
    const want = cat({ ...authors, columns: [...authors.columns, col('email', 'text')] }, books)
    const up = diff(want)(live).operations
    const down = inverse(up)
    expect(ops({ operations: down })).toEqual(['dropIndex books', 'dropColumn authors', 'dropTable books'])
    expect(down.flatMap(destroys)).toEqual(['authors.email', 'books'])
    expect(inverse(down)).toEqual(up)
  })
})

describe('renamesOf', () => {
  it('reads renamedFrom from tables and columns, in SQL names', () => {
    const people = table(
      'people',
      { id: serial().primaryKey(), fullName: varchar(50).renamedFrom('name'), age: integer() },
      { renamedFrom: 'persons' },
    )
    expect(renamesOf(schema({ people }, {}))).toEqual({
      tables: { people: 'persons' },
      columns: { people: { full_name: 'name' } },
    })
  })
})
