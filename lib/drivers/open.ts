/**
 * Choosing and opening a driver from a database URL (DESIGN.md § Databases):
 *
 * | URL | opens |
 * |---|---|
 * | none, `''`, `pglite:`, `pglite:memory` | PGlite in memory |
 * | `pglite:./dir`, `pglite:../dir`, `pglite:/abs/dir` | PGlite on disk (directory created when missing) |
 * | `postgres://…`, `postgresql://…` | postgres.js, checked with `select 1` |
 *
 * A PGlite URL may end in `?template=PATH` (URL-encoded), a tarball written by
 * `writePgliteTemplate` to start a new database from instead of running initdb.
 *
 * @since 0.1.0
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Driver } from './driver.js'
import { openPglite } from './pglite.js'
import { openPostgres, type PostgresOptions } from './postgres-js.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A database that could not be opened: an unsupported or malformed URL, or a server or
 * directory that did not answer. The URL's password is masked.
 * @category errors
 */
export interface ConnectionError {
  readonly _tag: 'ConnectionError'
  /** The URL as given, with any password replaced by `***`. */
  readonly url: string
  readonly message: string
}

/** What a database URL names. @category models */
export type DatabaseTarget =
  | { readonly _tag: 'PgliteMemory'; readonly template: string | undefined }
  | { readonly _tag: 'PgliteDirectory'; readonly dataDir: string; readonly template: string | undefined }
  | { readonly _tag: 'Postgres'; readonly url: string }

/** Options for the driver a URL picks. @category models */
export type OpenOptions = PostgresOptions

// -------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------

/**
 * Masks the password of a URL: `postgres://u:secret@h/db` → `postgres://u:***@h/db`,
 * and a `password=` query parameter likewise.
 * @category destructors
 * @since 0.1.0
 */
export const maskPassword = (url: string): string =>
  url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^@/?#]*@/i, '$1***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***')

/**
 * Builds a `ConnectionError` (the password in `url` is masked here).
 * @category constructors
 * @since 0.1.0
 */
export const connectionError = (url: string, message: string): ConnectionError =>
  Object.freeze({ _tag: 'ConnectionError', url: maskPassword(url), message })

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

const pgliteUsage = 'expected pglite:, pglite:memory, pglite:./dir, pglite:../dir or pglite:/abs/dir'

const parsePglite = (url: string, rest: string): E.Either<ConnectionError, DatabaseTarget> => {
  const q = rest.indexOf('?')
  const path = q === -1 ? rest : rest.slice(0, q)
  const query = new URLSearchParams(q === -1 ? '' : rest.slice(q + 1))
  const unknown = [...query.keys()].filter((k) => k !== 'template')
  if (unknown.length > 0)
    return E.left(connectionError(url, `unknown PGlite URL parameter: ${unknown.join(', ')}`))
  const template = query.get('template') ?? undefined
  if (template === '') return E.left(connectionError(url, 'empty template path'))
  if (path === '' || path === 'memory') return E.right({ _tag: 'PgliteMemory', template })
  if (path.startsWith('/') || path.startsWith('./') || path.startsWith('../'))
    return E.right({ _tag: 'PgliteDirectory', dataDir: resolve(path), template })
  return E.left(connectionError(url, `not a PGlite location: ${pgliteUsage}`))
}

/**
 * Reads a database URL without opening anything (see the module comment for the forms).
 * Shape: `string | undefined` → `Either<ConnectionError, DatabaseTarget>`; relative
 * PGlite directories are resolved against the current directory.
 * Errors: `ConnectionError` for any other scheme, a PGlite location that is neither
 * `memory` nor a path starting with `/`, `./` or `../`, or an unknown `?` parameter.
 * Source: DESIGN.md § Databases; PostgreSQL "Connection URIs".
 * @category destructors
 * @since 0.1.0
 */
export const parseDatabaseUrl = (url: string | undefined): E.Either<ConnectionError, DatabaseTarget> => {
  if (url === undefined || url === '') return E.right({ _tag: 'PgliteMemory', template: undefined })
  if (url.startsWith('pglite:')) return parsePglite(url, url.slice('pglite:'.length))
  if (/^postgres(ql)?:\/\//i.test(url)) return E.right({ _tag: 'Postgres', url })
  return E.left(
    connectionError(
      url,
      `unsupported database URL: expected postgres://, postgresql:// or pglite: (${pgliteUsage})`,
    ),
  )
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const makeDirectory = (url: string, dir: string): TE.TaskEither<ConnectionError, void> =>
  TE.tryCatch(
    async () => {
      await mkdir(dir, { recursive: true })
    },
    (e) => connectionError(url, `cannot create ${dir}: ${e instanceof Error ? e.message : String(e)}`),
  )

/**
 * Opens the database a URL names: PGlite in memory when there is no URL, PGlite on disk
 * for `pglite:<path>` (creating the directory), postgres.js for `postgres://` and
 * `postgresql://` (its connection checked at once).
 * Shape: `(url, { max })` → `TaskEither<ConnectionError, Driver>`. Units: `max` counts
 * pool connections, postgres.js only (default 10).
 * Errors: `ConnectionError` (password masked) for an unsupported URL, a directory that
 * cannot be created, a template that cannot be loaded, or a server that refuses or
 * cannot be reached; its message is the driver's.
 * Source: DESIGN.md § Databases.
 * @example
 * const db = await openDriver(process.env.DATABASE_URL)()
 * @category constructors
 * @since 0.1.0
 */
export const openDriver = (
  url: string | undefined,
  options: OpenOptions = {},
): TE.TaskEither<ConnectionError, Driver> => {
  const shown = url ?? ''
  const failed = (e: { readonly message: string }): ConnectionError => connectionError(shown, e.message)
  return pipe(
    TE.fromEither(parseDatabaseUrl(url)),
    TE.chain((target): TE.TaskEither<ConnectionError, Driver> => {
      switch (target._tag) {
        case 'PgliteMemory':
          return pipe(openPglite({ template: target.template }), TE.mapLeft(failed))
        case 'PgliteDirectory':
          return pipe(
            makeDirectory(shown, target.dataDir),
            TE.chain(() =>
              pipe(openPglite({ dataDir: target.dataDir, template: target.template }), TE.mapLeft(failed)),
            ),
          )
        case 'Postgres':
          return pipe(openPostgres(target.url, options), TE.mapLeft(failed))
      }
    }),
  )
}
