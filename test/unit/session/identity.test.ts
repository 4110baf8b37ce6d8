import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import * as S from '../../../lib/namespaces/session.js'
import { committed, type Identity } from '../../../lib/session/session.js'
import { authors, books, bookstore } from '../../fixtures/bookstore.js'
import { insertRows } from '../../support/results.js'

const entries = (pairs: ReadonlyArray<[string, Identity]>) => {
  let calls = 0
  return {
    make: () => {
      calls += 1
      return new Map(pairs)
    },
    calls: () => calls,
  }
}

describe('identity map after a commit', () => {
  const king = S.ref(authors, 'king')
  const it7 = S.ref(books, 'it')

  it('is made on first read, once, and is the same map afterwards', () => {
    const source = entries([[king.id, { table: 'authors', key: { id: 7 } }]])
    const s = committed(S.empty(bookstore), source.make)
    expect(source.calls()).toBe(0)
    expect(s.identity.get(king.id)).toEqual({ table: 'authors', key: { id: 7 } })
    expect(s.identity).toBe(s.identity)
    expect(source.calls()).toBe(1)
  })

  it('passes unmade through later operations, and the refs resolve when a plan needs them', () => {
    const source = entries([[king.id, { table: 'authors', key: { id: 7 } }]])
    const next = pipe(
      committed(S.empty(bookstore), source.make),
      S.add(it7, { title: 'It', author: king }),
      S.update(authors, king, { name: 'Stephen King' }),
    )
    const rolled = S.rollback(next)
    expect(source.calls()).toBe(0)
    const p = S.plan(next)
    expect(E.isRight(p)).toBe(true)
    if (E.isRight(p)) {
      const [insert, update] = p.right.steps
      expect(insertRows(insert)[0]!.cells).toEqual(['It', 7])
      expect(update?._tag === 'Update' && update.keyCells).toEqual([[7]])
    }
    // every session made from the commit shares the one map
    expect(rolled.identity).toBe(next.identity)
    expect(source.calls()).toBe(1)
  })

  it('keeps refs committed earlier beside those committed later (the later wins on a clash)', () => {
    const first = entries([
      [king.id, { table: 'authors', key: { id: 7 } }],
      [it7.id, { table: 'books', key: { id: 1 } }],
    ])
    const second = entries([[it7.id, { table: 'books', key: { id: 2 } }]])
    const s = committed(committed(S.empty(bookstore), first.make), second.make)
    expect([...s.identity]).toEqual([
      [king.id, { table: 'authors', key: { id: 7 } }],
      [it7.id, { table: 'books', key: { id: 2 } }],
    ])
    expect([first.calls(), second.calls()]).toEqual([1, 1])
  })

  it('takes a map as it is', () => {
    const map = new Map([[king.id, { table: 'authors', key: { id: 7 } }]])
    expect(committed(S.empty(bookstore), map).identity).toBe(map)
  })
})
