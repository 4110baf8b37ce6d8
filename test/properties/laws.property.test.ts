// Pure properties of change-sets over random schemas (no database): plan purity, the
// monoid laws of concat (on plans, and so on outcomes: equal plans run the same), and
// rollback. Budget: ORIGAMI_PROPERTY_RUNS (default below).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { session as S } from '../../lib/index.js'
import { budgetFromEnv, parameters, randomScenario, toSession } from '../../properties/index.js'

const budget = parameters(budgetFromEnv(150, 2))

describe('change-set laws', () => {
  it('plan purity: plan(s) twice gives equal plans, and explain is deterministic', () => {
    fc.assert(
      fc.property(randomScenario(), (sc) => {
        const s = toSession(sc.schema, sc.changes)
        const a = S.plan(s)
        const b = S.plan(s)
        expect(b).toStrictEqual(a)
        if (a._tag === 'Right' && b._tag === 'Right') expect(S.explain(b.right)).toBe(S.explain(a.right))
      }),
      budget,
    )
  })

  it('concat has empty as identity on both sides', () => {
    fc.assert(
      fc.property(randomScenario(), (sc) => {
        const s = toSession(sc.schema, sc.changes)
        const e = S.empty(sc.schema)
        expect(S.plan(S.concat(s)(e))).toStrictEqual(S.plan(s))
        expect(S.plan(S.concat(e)(s))).toStrictEqual(S.plan(s))
      }),
      budget,
    )
  })

  it('concat is associative', () => {
    fc.assert(
      fc.property(randomScenario({ maxParts: 3 }), (sc) => {
        const [x, y, z] = [0, 1, 2].map((i) =>
          toSession(sc.schema, { discarded: null, parts: [sc.changes.parts[i] ?? []] }),
        ) as [S.Session, S.Session, S.Session]
        const left = S.concat(z)(S.concat(y)(x))
        const right = S.concat(S.concat(z)(y))(x)
        expect(S.plan(right)).toStrictEqual(S.plan(left))
        const m = S.getMonoid(sc.schema)
        expect(S.plan(m.concat(m.concat(x, y), z))).toStrictEqual(S.plan(m.concat(x, m.concat(y, z))))
      }),
      budget,
    )
  })

  it('rollback: rollback(s) plans nothing, whatever s held (errors included)', () => {
    fc.assert(
      fc.property(randomScenario(), (sc) => {
        const p = S.plan(S.rollback(toSession(sc.schema, sc.changes)))
        expect(p._tag === 'Right' && p.right.steps.length).toBe(0)
      }),
      budget,
    )
  })
})
