/**
 * The command's configuration: `origami.config.ts` in the project (or `--config FILE`),
 * naming the schema module, the migrations folder, the database URL and the seed module.
 *
 * The URL comes from, in order: `--url`, `DATABASE_URL`, the config's `url`, else a PGlite
 * directory in the project, `pglite:./.origami/pglite`. A relative PGlite path is relative
 * to the config file's folder, not to wherever the command runs.
 *
 * @since 0.1.0
 */
import { access } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type MigrationError, migrationError } from '../migrate/errors.js'
import { exportsOf, type ModuleLoader } from '../migrate/files.js'
import type { AnySchema } from '../schema/schema.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What `origami.config.ts` exports by default. Paths are relative to the config file.
 * @category models
 * @since 0.1.0
 */
export interface OrigamiConfig {
  /** The module exporting the schema value (`schema(...)`), e.g. `./src/schema.ts`. */
  readonly schema: string
  /** The export holding the schema: default `default`, else the only `Schema` export. */
  readonly export?: string
  /** The revision folder (default `./migrations`). */
  readonly migrations?: string
  /** The database URL; `DATABASE_URL` and `--url` override it. */
  readonly url?: string
  /** A module whose default export seeds the database: `(db) => Promise | TaskEither`. */
  readonly seed?: string
  /** Units: milliseconds to wait for the migration lock (default 30 000). */
  readonly lockTimeoutMs?: number
}

/**
 * The configuration with every path absolute and the URL chosen.
 * @category models
 * @since 0.1.0
 */
export interface ResolvedConfig {
  readonly file: string
  readonly root: string
  readonly schemaModule: string
  readonly schemaExport: string | undefined
  readonly migrations: string
  readonly url: string
  /** Where the URL came from, for messages. */
  readonly urlSource: '--url' | 'DATABASE_URL' | 'config' | 'default'
  readonly seed: string | undefined
  readonly lockTimeoutMs: number
}

/** The file names looked for, in order. @category models @since 0.1.0 */
export const configNames = [
  'origami.config.ts',
  'origami.config.mts',
  'origami.config.js',
  'origami.config.mjs',
]

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const usage = (message: string): MigrationError => migrationError({ _tag: 'Usage', message })

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  )

/**
 * Finds the config file: `explicit` (relative to `cwd`) or the first of `configNames` in `cwd`.
 * Shape: `findConfig(cwd, explicit?)` → `TaskEither<MigrationError, string>`.
 * Errors: `Usage` when there is none (with a hint to run `origami db init`).
 * @category destructors
 * @since 0.1.0
 */
export const findConfig = (
  cwd: string,
  explicit: string | undefined,
): TE.TaskEither<MigrationError, string> =>
  pipe(
    TE.fromTask(async () => {
      const candidates =
        explicit !== undefined ? [resolve(cwd, explicit)] : configNames.map((n) => join(cwd, n))
      for (const c of candidates) if (await exists(c)) return c
      return undefined
    }),
    TE.chain((found) =>
      found !== undefined
        ? TE.right(found)
        : TE.left(
            usage(
              explicit !== undefined
                ? `config file ${explicit} not found`
                : `no origami.config.ts in ${cwd}: run \`origami db init\` to create one (or pass --config FILE)`,
            ),
          ),
    ),
  )

/** A PGlite URL with a relative path made absolute against `root`. */
const anchor = (url: string, root: string): string => {
  const m = /^pglite:(\.{1,2}\/[^?]*)(\?.*)?$/.exec(url)
  return m === null ? url : `pglite:${resolve(root, m[1]!)}${m[2] ?? ''}`
}

/**
 * Loads and resolves the config file.
 * Shape: `loadConfig(load, { file, env, url })` → `TaskEither<MigrationError, ResolvedConfig>`.
 * Errors: `Usage` when the file does not load or its default export has no `schema`.
 * @category destructors
 * @since 0.1.0
 */
export const loadConfig = (
  load: ModuleLoader,
  options: {
    readonly file: string
    readonly env: Readonly<Record<string, string | undefined>>
    readonly url?: string
  },
): TE.TaskEither<MigrationError, ResolvedConfig> =>
  pipe(
    TE.tryCatch(
      () => load(options.file),
      (e) => usage(`cannot load ${options.file}: ${e instanceof Error ? e.message : String(e)}`),
    ),
    TE.chainEitherK((ns) => {
      const c = exportsOf(ns).default as Partial<OrigamiConfig> | undefined
      if (typeof c !== 'object' || c === null || typeof c.schema !== 'string')
        return E.left(
          usage(`${options.file}: the default export must be an object with a "schema" module path`),
        )
      const root = dirname(options.file)
      const abs = (p: string) => (isAbsolute(p) ? p : resolve(root, p))
      const envUrl = options.env.DATABASE_URL
      const [url, urlSource]: [string, ResolvedConfig['urlSource']] =
        options.url !== undefined && options.url !== ''
          ? [options.url, '--url']
          : envUrl !== undefined && envUrl !== ''
            ? [envUrl, 'DATABASE_URL']
            : typeof c.url === 'string' && c.url !== ''
              ? [c.url, 'config']
              : ['pglite:./.origami/pglite', 'default']
      return E.right(
        Object.freeze({
          file: options.file,
          root,
          schemaModule: abs(c.schema),
          schemaExport: c.export,
          migrations: abs(c.migrations ?? './migrations'),
          url: anchor(url, root),
          urlSource,
          seed: c.seed === undefined ? undefined : abs(c.seed),
          lockTimeoutMs: typeof c.lockTimeoutMs === 'number' ? c.lockTimeoutMs : 30_000,
        }),
      )
    }),
  )

const isSchema = (v: unknown): v is AnySchema =>
  typeof v === 'object' && v !== null && (v as { _tag?: unknown })._tag === 'Schema'

/**
 * Loads the schema value the config names.
 * Shape: `loadSchema(load)(config)` → `TaskEither<MigrationError, AnySchema>`.
 * Errors: `Usage` when the module does not load, or holds no schema (or several, with
 *   no `export` in the config to choose).
 * @category destructors
 * @since 0.1.0
 */
export const loadSchema =
  (load: ModuleLoader) =>
  (c: ResolvedConfig): TE.TaskEither<MigrationError, AnySchema> =>
    pipe(
      TE.tryCatch(
        () => load(c.schemaModule),
        (e) =>
          usage(
            `cannot load the schema module ${c.schemaModule}: ${e instanceof Error ? e.message : String(e)}`,
          ),
      ),
      TE.chainEitherK((ns) => {
        const mod = exportsOf(ns)
        if (c.schemaExport !== undefined) {
          const v = mod[c.schemaExport]
          return isSchema(v)
            ? E.right(v)
            : E.left(
                usage(`${c.schemaModule}: export "${c.schemaExport}" is not a schema value (schema({...}))`),
              )
        }
        if (isSchema(mod.default)) return E.right(mod.default)
        const found = Object.entries(mod).filter(([, v]) => isSchema(v))
        if (found.length === 1) return E.right(found[0]![1] as AnySchema)
        return E.left(
          usage(
            found.length === 0
              ? `${c.schemaModule} exports no schema value: export one (export const db = schema({...}))`
              : `${c.schemaModule} exports several schemas (${found.map(([k]) => k).join(', ')}): name one with "export" in origami.config.ts`,
          ),
        )
      }),
    )
