/**
 * `origami/properties`: the reference cascade model, the arbitraries, and property
 * suites to run on your own schema (`checkCascades`). See docs/properties.md.
 *
 * @since 0.1.0
 */
export { type ChangeSetOptions, changeSetOf, opsOf } from './arbitraries/changes.js'
export { childCascades, linkCascades, parentCascades, schemaShape } from './arbitraries/schema.js'
export { stateOf, type TableKind, tableKind } from './arbitraries/state.js'
export { canonical, columnValue, sqlValue } from './arbitraries/values.js'
export {
  type AddNode,
  type ChangeSet,
  describeChangeSet,
  describeOp,
  type Key,
  type Op,
  toSession,
} from './changes.js'
export {
  type CheckName,
  checkCommit,
  describeScenario,
  errorKind,
  PropertyFailure,
  type Scenario,
} from './checks.js'
export { deletable } from './closure.js'
export { isolated, load, readState, recycled, snapshot } from './database.js'
export { type Expected, expected, type Row, type State } from './model.js'
export { buildSchema, describeShape, type SchemaShape } from './shape.js'
export {
  type Budget,
  budgetFromEnv,
  type CascadeReport,
  type CheckCascadesOptions,
  checkCascades,
  checkOrder,
  parameters,
  randomScenario,
  scenarioOf,
} from './suites.js'
