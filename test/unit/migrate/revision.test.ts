import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { exportsOf, loadRevisions, tsxLoader } from '../../../lib/migrate/files.js'
import {
  checksum,
  history,
  type Revision,
  type RevisionData,
  resolveTarget,
  validateRevision,
} from '../../../lib/migrate/revision.js'
import { nextId, renderRevisionFile, slug } from '../../../lib/migrate/revision-file.js'
import { script, sqlRange } from '../../../lib/migrate/script.js'

const rev = (id: string, parent: string | null, extra: Partial<Revision> = {}): Revision => ({
  id,
  parent,
  message: `m ${id}`,
  upgrade: [],
  downgrade: [],
  file: `${id}.ts`,
  checksum: 'x',
  ...extra,
})
const ids = (e: E.Either<unknown, ReadonlyArray<Revision>>) =>
  E.isRight(e) ? e.right.map((r) => r.id) : e.left

describe('history', () => {
  it('orders revisions by parent, whatever the file order', () => {
    expect(ids(history([rev('0003_c', '0002_b'), rev('0001_a', null), rev('0002_b', '0001_a')]))).toEqual([
      '0001_a',
      '0002_b',
      '0003_c',
    ])
  })
  it.each([
    ['two heads', [rev('1', null), rev('2', '1'), rev('3', '1')], /both follow 1/],
    ['a missing parent', [rev('1', null), rev('2', 'nope')], /names parent nope/],
    [
      'a duplicate id',
      [rev('1', null), { ...rev('1', null), file: 'other.ts' }],
      /two revision files have the id 1/,
    ],
    ['a cycle', [rev('1', null), rev('2', '3'), rev('3', '2')], /not reachable/],
  ])('rejects %s', (_, revisions, message) => {
    const h = history(revisions)
    expect(E.isLeft(h) && h.left._tag === 'History' && message.test(h.left.message)).toBe(true)
  })
})

describe('resolveTarget', () => {
  const line = [rev('0001_init', null), rev('0002_books', '0001_init'), rev('0003_reviews', '0002_books')]
  it.each([
    ['base', 1, -1],
    ['head', 0, 2],
    ['0002_books', 0, 1],
    ['0003', 0, 2],
    ['+1', 0, 1],
    ['-1', 2, 1],
    ['-2', 1, -1],
  ])('%s from %i is %i', (target, current, expected) => {
    expect(resolveTarget(line, current)(target)).toEqual(E.right(expected))
  })
  it.each([['000'], ['nope'], ['+5'], ['-3']])('rejects %s', (target) => {
    const r = resolveTarget(line, 1)(target)
    expect(E.isLeft(r) && r.left._tag).toBe('UnknownRevision')
  })
})

describe('validateRevision', () => {
  const ok = { id: '0001_a', parent: null, message: 'a', upgrade: ['SELECT 1'], downgrade: [] }
  it('accepts plain data and records the checksum of the text', () => {
    const r = validateRevision('f.ts', 'text\r\n')(ok)
    expect(r).toEqual(E.right({ ...ok, file: 'f.ts', checksum: checksum('text\n') }))
  })
  it.each([
    [{ ...ok, id: 1 }, /"id"/],
    [{ ...ok, parent: 3 }, /"parent"/],
    [{ ...ok, upgrade: 'SELECT 1' }, /"upgrade" must be an array/],
    [{ ...ok, upgrade: [{ op: 'frobnicate' }] }, /upgrade\[0\]: unknown op "frobnicate"/],
    [{ ...ok, downgrade: [{ op: 'addColumn', table: 't' }] }, /downgrade\[0\]: addColumn needs "column"/],
    [
      { ...ok, upgrade: [{ op: 'addColumn', table: 't', column: { name: 'c' } }] },
      /column needs a name and a type/,
    ],
    [{ ...ok, allowDestructive: 'all' }, /allowDestructive/],
  ])('rejects %j', (value, message) => {
    const r = validateRevision('f.ts', '')(value)
    expect(E.isLeft(r) && r.left._tag === 'InvalidRevision' && message.test(r.left.message)).toBe(true)
  })
})

describe('revision files', () => {
  it('slugs messages and numbers ids after the highest', () => {
    expect(slug('adds Book model')).toBe('adds_book_model')
    expect(slug('Café — naïve!')).toBe('cafe_naive')
    expect(slug('!!!')).toBe('revision')
    expect(nextId([], 'first')).toBe('0001_first')
    expect(nextId(['0001_a', '0009_b', 'hand_made'], 'next one')).toBe('0010_next_one')
  })

  it('renders a file that loads back to the same revision, with destructive operations marked', async () => {
    const data: RevisionData = {
      id: '0002_drop_mail',
      parent: '0001_init',
      message: "drops users.mail, it's unused",
      allowDestructive: ['users.mail'],
      upgrade: [
        {
          op: 'dropColumn',
          table: 'users',
          column: { name: 'mail', type: 'character varying(120)', default: "'x'::character varying" },
        },
        "UPDATE users SET name = 'O''Reilly' WHERE name IS NULL",
      ],
      downgrade: [
        {
          op: 'addColumn',
          table: 'users',
          column: { name: 'mail', type: 'character varying(120)', default: "'x'::character varying" },
        },
      ],
    }
    const text = renderRevisionFile(data, { createdAt: new Date('2024-01-02T03:04:05Z'), notes: ['a hint'] })
    expect(text).toContain('// DESTRUCTIVE: drop column users.mail (users.mail: data is lost)')
    expect(text).toContain('// NOTE: a hint')
    const dir = mkdtempSync(join(tmpdir(), 'origami-rev-'))
    writeFileSync(join(dir, '0002_drop_mail.ts'), text)
    writeFileSync(join(dir, 'README.md'), 'not a revision')
    const loaded = await loadRevisions(tsxLoader)(dir)()
    expect(loaded).toEqual(
      E.right([{ ...data, file: join(dir, '0002_drop_mail.ts'), checksum: checksum(text) }]),
    )
    expect(exportsOf(await tsxLoader(join(dir, '0002_drop_mail.ts'))).default).toMatchObject({ id: data.id })
  })

  it('names the file that does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'origami-rev-'))
    writeFileSync(join(dir, '0001_bad.ts'), 'export default {')
    const r = await loadRevisions(tsxLoader)(dir)()
    expect(E.isLeft(r) && r.left._tag === 'InvalidRevision' && r.left.file.endsWith('0001_bad.ts')).toBe(true)
  })
})

describe('offline script', () => {
  const line = [
    rev('0001_a', null, {
      upgrade: ['CREATE TABLE a (id int)'],
      downgrade: [{ op: 'dropTable', table: 'a', columns: [] }],
    }),
    rev('0002_b', '0001_a', { upgrade: ['CREATE TABLE b (id int)'], downgrade: ['DROP TABLE b'] }),
  ]
  it('parses ranges: TO, FROM:TO, defaults from base (upgrade) or head (downgrade)', () => {
    expect(sqlRange('upgrade', line)(undefined)).toEqual(E.right({ from: -1, to: 1 }))
    expect(sqlRange('upgrade', line)('0001_a:head')).toEqual(E.right({ from: 0, to: 1 }))
    expect(sqlRange('downgrade', line)(undefined)).toEqual(E.right({ from: 1, to: 0 }))
    expect(sqlRange('downgrade', line)('head:base')).toEqual(E.right({ from: 1, to: -1 }))
    expect(E.isLeft(sqlRange('upgrade', line)('head:base'))).toBe(true)
  })
  it('writes one transaction per revision, with the lock and the revision table', () => {
    const up = script('upgrade', line, -1, 1)
    expect(up.match(/^BEGIN;$/gm)).toHaveLength(3)
    expect(up).toContain('CREATE TABLE IF NOT EXISTS "origami_revisions"')
    expect(up).toMatch(
      /SELECT pg_advisory_xact_lock\(\d+\);\nCREATE TABLE a \(id int\);\nINSERT INTO "origami_revisions" .*'0001_a', NULL, 'm 0001_a', 'x'\);\nCOMMIT;/,
    )
    const down = script('downgrade', line, 1, -1)
    expect(down.indexOf('DROP TABLE b;')).toBeLessThan(down.indexOf('DROP TABLE "a";'))
    expect(down).toContain('-- DESTRUCTIVE: drop table a (a)')
    expect(down).toContain(`DELETE FROM "origami_revisions" WHERE "id" = '0002_b';`)
  })
})
