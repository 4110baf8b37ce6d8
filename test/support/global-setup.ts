/**
 * vitest global setup: runs once per `vitest run`, before any test file.
 *
 * - PGlite: makes (or reuses, per PGlite version) a template tarball, so that each test
 *   file starts its in-memory database in well under a second instead of running initdb
 *   in WebAssembly (several seconds and ~0.8 GB each).
 * - PostgreSQL: `DATABASE_URL` when it is a postgres:// URL; otherwise a throwaway
 *   server (scripts/pg-throwaway.sh) when PostgreSQL's binaries are installed, stopped
 *   and deleted at the end; otherwise none, with a notice, and tests run on PGlite only.
 *
 * Test files read both through `inject` (see `databases.ts`).
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rename, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import type { TestProject } from 'vitest/node'
import { maskPassword } from '../../lib/drivers/open.js'
import { writePgliteTemplate } from '../../lib/drivers/pglite.js'
import { openPostgres } from '../../lib/drivers/postgres-js.js'
import './context.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const script = join(root, 'scripts/pg-throwaway.sh')

const log = (message: string): void => {
  process.stderr.write(`[origami test setup] ${message}\n`)
}

/** The template tarball for this PGlite version, made once and kept in node_modules/.cache. */
const pgliteTemplate = async (): Promise<string> => {
  const manifest = join(root, 'node_modules/@electric-sql/pglite/package.json')
  const version = (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version
  const dir = join(root, 'node_modules/.cache/origami-test')
  const path = join(dir, `pglite-${version}-template.tar.gz`)
  const exists = await stat(path).then(
    (s) => s.size > 0,
    () => false,
  )
  if (exists) return path
  await mkdir(dir, { recursive: true })
  const partial = `${path}.${process.pid}.partial`
  const started = performance.now()
  const written = await writePgliteTemplate(partial)()
  if (E.isLeft(written)) throw new Error(`cannot make the PGlite template: ${written.left.message}`)
  await rename(partial, path) // atomic: a concurrent run sees the whole file or none
  log(`PGlite template made in ${Math.round(performance.now() - started)} ms: ${path}`)
  return path
}

/** A usable PostgreSQL and how to get rid of it. */
interface Postgres {
  readonly adminUrl: string | null
  readonly stop: () => Promise<void>
}

const none: Postgres = { adminUrl: null, stop: async () => {} }

const checkServer = async (url: string): Promise<void> => {
  const opened = await openPostgres(url, { max: 1 })()
  if (E.isLeft(opened)) throw new Error(`DATABASE_URL ${maskPassword(url)}: ${opened.left.message}`)
  await opened.right.close()()
}

const postgres = async (): Promise<Postgres> => {
  const fromEnv = process.env.DATABASE_URL
  if (fromEnv !== undefined && /^postgres(ql)?:\/\//i.test(fromEnv)) {
    await checkServer(fromEnv)
    return { adminUrl: fromEnv, stop: async () => {} }
  }
  if (fromEnv !== undefined && fromEnv !== '') log(`DATABASE_URL is not a postgres:// URL; ignoring it here`)
  const found = await run(script, ['bindir']).then(
    () => true,
    () => false,
  )
  if (!found) {
    log(
      'NOTICE: no DATABASE_URL and no PostgreSQL server binaries (initdb): database tests run on PGlite ONLY. ' +
        'Install the postgresql package or set DATABASE_URL to test on PostgreSQL too.',
    )
    return none
  }
  const dir = await mkdtemp(join(tmpdir(), 'origami-pg-'))
  const stop = async (): Promise<void> => {
    await run(script, ['stop', dir])
  }
  const started = performance.now()
  try {
    const { stdout } = await run(script, ['start', dir])
    const adminUrl = stdout.trim()
    log(`throwaway PostgreSQL started in ${Math.round(performance.now() - started)} ms: ${adminUrl}`)
    return { adminUrl, stop }
  } catch (e) {
    await stop().catch(() => {})
    throw e
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [template, server] = await Promise.allSettled([pgliteTemplate(), postgres()])
  if (template.status === 'rejected' || server.status === 'rejected') {
    // Leave nothing running when half of the setup failed.
    if (server.status === 'fulfilled') await server.value.stop()
    throw template.status === 'rejected' ? template.reason : (server as PromiseRejectedResult).reason
  }
  project.provide('pgliteTemplate', template.value)
  project.provide('postgresAdminUrl', server.value.adminUrl)
  log(
    server.value.adminUrl === null
      ? 'integration tests run on: pglite only'
      : `integration tests run on: pglite, postgres (${maskPassword(server.value.adminUrl)})`,
  )
  return server.value.stop
}
