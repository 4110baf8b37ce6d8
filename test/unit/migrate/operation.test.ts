import { describe, expect, it } from 'vitest'
import { renderOperation } from '../../../lib/dialects/postgres/alter.js'
import {
  describe as describeOp,
  destroys,
  invert,
  isWidening,
  type Operation,
} from '../../../lib/migrate/operation.js'

const sql = (o: Operation) => renderOperation(o).map((c) => c.text)

describe('isWidening', () => {
  it.each([
    ['integer', 'bigint', true],
    ['bigint', 'integer', false],
    ['smallint', 'numeric', true],
    ['real', 'double precision', true],
    ['double precision', 'real', false],
    ['character varying(10)', 'character varying(20)', true],
    ['character varying(20)', 'character varying(10)', false],
    ['character varying(20)', 'text', true],
    ['text', 'character varying(20)', false],
    ['numeric(10,2)', 'numeric(12,2)', true],
    ['numeric(10,2)', 'numeric(10,3)', false],
    ['numeric(10,2)', 'numeric', true],
    ['text', 'integer', false],
  ])('%s → %s is widening: %s', (from, to, expected) => {
    expect(isWidening(from, to)).toBe(expected)
  })
})

describe('destroys', () => {
  it('names dropped tables and columns, narrowed types and declared SQL, nothing else', () => {
    const ops: ReadonlyArray<Operation> = [
      { op: 'dropTable', table: 'books', columns: [] },
      { op: 'dropColumn', table: 'users', column: { name: 'email', type: 'text' } },
      { op: 'alterColumnType', table: 'users', column: 'age', from: 'bigint', to: 'integer' },
      { op: 'alterColumnType', table: 'users', column: 'id', from: 'integer', to: 'bigint' },
      { op: 'sql', sql: 'DELETE FROM logs', destructive: ['logs'] },
      { op: 'dropIndex', table: 'books', name: 'i', columns: ['a'] },
      'UPDATE users SET age = 1',
    ]
    expect(ops.flatMap(destroys)).toEqual(['books', 'users.email', 'users.age', 'logs'])
  })
})

describe('invert', () => {
  const reversible: ReadonlyArray<Operation> = [
    { op: 'createTable', table: 't', columns: [{ name: 'id', type: 'serial', notNull: true }] },
    { op: 'renameTable', from: 'a', to: 'b' },
    { op: 'addColumn', table: 't', column: { name: 'c', type: 'text' } },
    { op: 'renameColumn', table: 't', from: 'a', to: 'b' },
    { op: 'alterColumnType', table: 't', column: 'c', from: 'integer', to: 'bigint' },
    { op: 'dropNotNull', table: 't', column: 'c' },
    { op: 'setDefault', table: 't', column: 'c', default: '1', previous: '2' },
    { op: 'setDefault', table: 't', column: 'c', default: '1' },
    { op: 'addUnique', table: 't', name: 'u', columns: ['c'] },
    { op: 'addForeignKey', table: 't', name: 'f', columns: ['c'], targetTable: 'p', targetColumns: ['id'] },
    { op: 'createIndex', table: 't', name: 'i', columns: ['c'], unique: true },
    { op: 'addCheck', table: 't', name: 'k', expression: 'c > 0' },
    { op: 'addPrimaryKey', table: 't', name: 'pk', columns: ['c'] },
  ]
  it.each(reversible.map((o) => [describeOp(o), o] as const))('inverts twice to itself: %s', (_, o) => {
    expect(invert(invert(o)!)).toEqual(o)
  })
  it('has no inverse for raw SQL', () => {
    expect(invert('UPDATE t SET c = 1')).toBeUndefined()
    expect(invert({ op: 'sql', sql: 'SELECT 1' })).toBeUndefined()
  })
})

describe('renderOperation', () => {
  it('renders each operation with quoted identifiers', () => {
    expect(
      sql({
        op: 'createTable',
        table: 'books',
        columns: [
          { name: 'id', type: 'serial', notNull: true },
          { name: 'title', type: 'character varying(50)', notNull: true, default: "'untitled'" },
          { name: 'author_id', type: 'integer' },
        ],
        primaryKey: { name: 'books_pkey', columns: ['id'] },
        uniques: [{ name: 'books_title_key', columns: ['title'] }],
        checks: [{ name: 'books_title_check', expression: 'length(title) > 0' }],
        foreignKeys: [
          {
            name: 'books_author_id_fkey',
            columns: ['author_id'],
            targetTable: 'authors',
            targetColumns: ['id'],
            onDelete: 'set null',
          },
        ],
      }),
    ).toEqual([
      [
        'CREATE TABLE "books" (',
        '  "id" serial NOT NULL,',
        `  "title" character varying(50) NOT NULL DEFAULT 'untitled',`,
        '  "author_id" integer,',
        '  CONSTRAINT "books_pkey" PRIMARY KEY ("id"),',
        '  CONSTRAINT "books_title_key" UNIQUE ("title"),',
        '  CONSTRAINT "books_title_check" CHECK (length(title) > 0),',
        '  CONSTRAINT "books_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "authors" ("id") ON DELETE SET NULL',
        ')',
      ].join('\n'),
    ])
    expect(sql({ op: 'setNotNull', table: 'users', column: 'name', backfill: true })).toEqual([
      'UPDATE "users" SET "name" = DEFAULT WHERE "name" IS NULL',
      'ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL',
    ])
    expect(
      sql({ op: 'alterColumnType', table: 'users', column: 'age', from: 'integer', to: 'bigint' }),
    ).toEqual(['ALTER TABLE "users" ALTER COLUMN "age" TYPE bigint USING "age"::bigint'])
    expect(sql({ op: 'renameTable', from: 'persons', to: 'people' })).toEqual([
      'ALTER TABLE "persons" RENAME TO "people"',
    ])
    expect(sql({ op: 'dropTable', table: 'we"ird', columns: [] })).toEqual(['DROP TABLE "we""ird"'])
    expect(sql({ op: 'createIndex', table: 't', name: 'i', columns: ['a', 'b'], unique: true })).toEqual([
      'CREATE UNIQUE INDEX "i" ON "t" ("a", "b")',
    ])
    expect(sql({ op: 'dropDefault', table: 't', column: 'c', previous: '1' })).toEqual([
      'ALTER TABLE "t" ALTER COLUMN "c" DROP DEFAULT',
    ])
    expect(sql('UPDATE t SET c = 1')).toEqual(['UPDATE t SET c = 1'])
  })
  it('rejects an unknown op', () => {
    expect(() => renderOperation({ op: 'explode' } as unknown as Operation)).toThrow(
      /unknown migration operation/,
    )
  })
})
