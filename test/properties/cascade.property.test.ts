// The cascade properties over random schemas, states and change-sets, on PGlite and on
// PostgreSQL: each run commits in its own PostgreSQL schema and is checked against the
// reference model (properties/model.ts) and the other checks of properties/checks.ts.
// Budget: ORIGAMI_PROPERTY_RUNS (default below); see docs/properties.md.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import {
  budgetFromEnv,
  checkCommit,
  checkOrder,
  parameters,
  randomScenario,
  recycled,
} from '../../properties/index.js'
import { databases } from '../support/databases.js'

const budget = budgetFromEnv(100)
// generous per-test limit for long runs (npm run properties:long): about 1 s per run at most
const timeout = Math.max(600_000, budget.numRuns * 1_000)
// The whole space: the four disagreements these properties found first (RESTRICT errors,
// passiveDeletes across a many-to-many with delete, remove through a belongsTo of a
// delete-orphan child, atomicity of one-statement plans) are fixed; their minimal cases
// stay in known-bugs.property.test.ts as regression tests.
// So are the two found next (delete order inside a foreign-key cycle the cascade only
// partly reaches; the parent of a belongsTo with delete): cases 5 and 6 there.
// And case 7 (a named row removed first by the database's ON DELETE CASCADE was reported
// stale): named rows are now checked before anything is deleted.
const tolerate = { oneStatementAtomicity: true, cycleDeleteOrder: true, staleAfterCascade: true }
const space = {
  restrict: true,
  passiveManyToManyDelete: true,
  belongsToOrphanRemove: true,
  belongsToDelete: true,
}
describe.each(databases())('cascade properties on $name', ({ name, url }) => {
  const stats = { runs: 0, committed: 0, schemas: 0, ms: 0, failures: {} as Record<string, number> }
  const shapes = new Set<string>()
  // one connection (each run sets search_path to its own schema), renewed every 100 runs
  const connection = recycled(url)
  afterAll(async () => {
    await connection.close()
    process.stderr.write(`[properties] ${name}: ${JSON.stringify(stats)}\n`)
  })

  it(
    'model agreement, atomicity, FK-safe order, no orphans, no over-deletion, plan purity, rollback',
    async () => {
      await fc.assert(
        fc.asyncProperty(randomScenario(space), async (sc) => {
          const started = performance.now()
          const want = await checkCommit(await connection.driver(), sc, tolerate)
          stats.ms += Math.round(performance.now() - started)
          shapes.add(JSON.stringify(sc.shape))
          stats.schemas = shapes.size
          stats.runs += 1
          if (want._tag === 'Ok') stats.committed += 1
          else stats.failures[want.errors[0]!] = (stats.failures[want.errors[0]!] ?? 0) + 1
        }),
        parameters(budget),
      )
      expect(stats.runs).toBeGreaterThan(0)
    },
    timeout,
  )

  it(
    'order independence: change-sets on disjoint rows commit to the same state in either order',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          randomScenario({ ...space, maxOps: 2, maxParts: 2 }).filter((sc) => sc.changes.parts.length === 2),
          async (sc) => {
            const [a, b] = sc.changes.parts
            await checkOrder(
              await connection.driver(),
              sc.schema,
              sc.state,
              { discarded: null, parts: [a!] },
              { discarded: null, parts: [b!] },
            )
          },
        ),
        { ...parameters(budgetFromEnv(60, 0.5)), maxSkipsPerRun: 1000 },
      )
    },
    timeout,
  )
})
