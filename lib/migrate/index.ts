/**
 * Migrations, as a library: compare a schema value with a database, generate revisions,
 * and run them up or down. The `origami` command (`lib/cli`) is built on these; use
 * them directly to migrate from a program (e.g. at a service's start-up).
 *
 * @since 0.1.0
 */

export { compare, desiredCatalog, liveCatalog } from './compare.js'
export { type Diff, diff, type Renames, renamesOf } from './diff.js'
export { exitCode, type MigrationError } from './errors.js'
export { exportsOf, loadRevisions, type ModuleLoader, tsxLoader, writeRevision } from './files.js'
export { type Generated, type GenerateOptions, generate } from './generate.js'
export {
  type ColumnDef,
  describe,
  destroys,
  type ForeignKeyDef,
  type IndexDef,
  inverse,
  invert,
  isWidening,
  type Operation,
  type TableDef,
} from './operation.js'
export {
  checksum,
  history,
  type Revision,
  type RevisionData,
  resolveTarget,
  validateRevision,
} from './revision.js'
export { nextId, renderRevisionFile, slug } from './revision-file.js'
export {
  type Direction,
  migrate,
  type RevisionDone,
  type RunOptions,
  type RunReport,
  readState,
  type State,
  statementsOf,
  verify,
} from './runner.js'
export { script, sqlRange } from './script.js'
