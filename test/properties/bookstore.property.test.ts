// The example of docs/properties.md: the bookstore's relationship configuration checked
// against the reference model with `checkCascades`, on each database.
import { describe, expect, it } from 'vitest'
import { bookstore } from '../../examples/bookstore-schema.js'
import { budgetFromEnv, checkCascades } from '../../properties/index.js'
import { databases } from '../support/databases.js'

describe.each(databases())('bookstore cascades on $name', ({ url }) => {
  it('agree with the model', async () => {
    const report = await checkCascades(bookstore, { url, numRuns: budgetFromEnv(40).numRuns })
    expect(report.runs).toBeGreaterThan(0)
  }, 120_000)
})
