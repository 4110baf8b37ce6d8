/**
 * The migrations folder on disk: listing, loading and writing revision files, and
 * loading TypeScript modules (revisions, the config, the schema, the seed) through tsx,
 * so that a project needs no build step for any of them.
 *
 * @since 0.1.0
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type MigrationError, migrationError } from './errors.js'
import { type Revision, validateRevision } from './revision.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Loads a module by absolute path and returns its namespace object. Injected so that
 * tests (and other hosts) can load modules their own way.
 * @category models
 * @since 0.1.0
 */
export type ModuleLoader = (absolutePath: string) => Promise<Readonly<Record<string, unknown>>>

/** Revision file names: digits, `_`, anything, a script extension. */
const revisionFile = /^\d+_[^/\\]*\.(ts|mts|js|mjs)$/

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Loads a module through tsx's `tsImport`, fresh on every call (an edited file is read
 * again), so `.ts` files load on Node 20 without a build.
 * Shape: `ModuleLoader`. Errors: the promise rejects with the module's own error
 * (syntax error, a throw at load time); callers turn that into a `MigrationError`.
 * Source: tsx "tsImport()" API.
 * @category constructors
 * @since 0.1.0
 */
export const tsxLoader: ModuleLoader = async (path) => {
  const { tsImport } = await import('tsx/esm/api')
  return (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>
}

/**
 * A module's exports, unwrapping the CommonJS form tsx gives a `.ts` file outside an ESM
 * package (`{ default: { __esModule: true, default, …named } }`).
 * Shape: namespace → exports record. Errors: none.
 * @category destructors
 * @since 0.1.0
 */
export const exportsOf = (ns: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> => {
  const d = ns.default as Record<string, unknown> | undefined
  return typeof d === 'object' && d !== null && d.__esModule === true ? d : ns
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * The revision files of a folder, loaded and checked, in file-name order (the caller
 * orders them by parent with `history`). A missing folder is an `InvalidRevision` naming
 * it, with a hint to run `db init`.
 * Shape: `loadRevisions(load)(dir)` → `TaskEither<MigrationError, ReadonlyArray<Revision>>`.
 * Errors: `InvalidRevision` naming the file that cannot be read, does not load, or whose
 *   default export is not a revision.
 * @category destructors
 * @since 0.1.0
 */
export const loadRevisions =
  (load: ModuleLoader) =>
  (dir: string): TE.TaskEither<MigrationError, ReadonlyArray<Revision>> =>
    pipe(
      TE.tryCatch(
        () => readdir(dir),
        (e) =>
          migrationError({
            _tag: 'InvalidRevision',
            file: dir,
            message: `cannot read the migrations folder (${message(e)}); run \`origami db init\` first`,
          }) as MigrationError,
      ),
      TE.map((names) => names.filter((n) => revisionFile.test(n)).sort()),
      TE.chain(
        TE.traverseSeqArray((name) => {
          const file = join(dir, name)
          return pipe(
            TE.tryCatch(
              async () => {
                const text = await readFile(file, 'utf8')
                return { text, ns: await load(file) }
              },
              (e) =>
                migrationError({
                  _tag: 'InvalidRevision',
                  file,
                  message: `cannot load: ${message(e)}`,
                }) as MigrationError,
            ),
            TE.chainEitherK(({ text, ns }) => validateRevision(file, text)(exportsOf(ns).default)),
          )
        }),
      ),
    )

/**
 * Writes a new revision file, refusing to overwrite one.
 * Shape: `writeRevision(dir, id, text)` → `TaskEither<MigrationError, string>` (the path).
 * Errors: `InvalidRevision` when the file exists or cannot be written.
 * @category destructors
 * @since 0.1.0
 */
export const writeRevision = (
  dir: string,
  id: string,
  text: string,
): TE.TaskEither<MigrationError, string> => {
  const file = join(dir, `${id}.ts`)
  return TE.tryCatch(
    async () => {
      await writeFile(file, text, { flag: 'wx' })
      return file
    },
    (e) =>
      migrationError({
        _tag: 'InvalidRevision',
        file,
        message: `cannot write: ${message(e)}`,
      }) as MigrationError,
  )
}
