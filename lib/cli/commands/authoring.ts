/**
 * `db init`, `db migrate` and `db check`: setting a project up, writing revisions from the
 * schema value, and checking in CI that nothing drifted.
 *
 * @since 0.1.0
 */
import { access, mkdir, readdir, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { compare } from '../../migrate/compare.js'
import { migrationError } from '../../migrate/errors.js'
import { writeRevision } from '../../migrate/files.js'
import { generate } from '../../migrate/generate.js'
import { describe, destroys } from '../../migrate/operation.js'
import { readState } from '../../migrate/runner.js'
import { configNames } from '../config.js'
import {
  type Ctx,
  configOf,
  databaseLabel,
  lineOf,
  type Outcome,
  schemaOf,
  withDatabase,
} from '../context.js'

const configTemplate = (
  schema: string,
  migrations: string,
): string => `// origami's configuration (\`npx origami db --help\` lists the commands).
// Paths are relative to this file.
export default {
  // the module that exports your schema value: export const db = schema({ ... })
  schema: ${JSON.stringify(schema)},
  // where \`origami db migrate\` writes revision files
  migrations: ${JSON.stringify(migrations)},
  // the database; DATABASE_URL (or --url) overrides it. With neither, a PGlite database
  // in ./.origami/pglite is used.
  // url: 'postgres://postgres@localhost:5432/app',
  // a module whose default export fills the database: export default (db) => db.commit(...)
  // seed: './seed.ts',
}
`

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  )

/**
 * `db init`: writes `origami.config.ts` (unless one exists) and creates the migrations
 * folder. Touches no database. Errors: `Usage` when the folder already holds revisions.
 * @category destructors
 * @since 0.1.0
 */
export const init =
  (ctx: Ctx, o: { readonly schema?: string; readonly migrations?: string }): Outcome =>
  async () => {
    const cwd = ctx.io.cwd
    const existing = (
      await Promise.all(configNames.map(async (n) => ((await exists(join(cwd, n))) ? n : undefined)))
    ).find((n) => n !== undefined)
    const migrations = o.migrations ?? './migrations'
    const dir = resolve(cwd, migrations)
    const files = await readdir(dir).then(
      (f) => f.filter((n) => /^\d+_.*\.(ts|mts|js|mjs)$/.test(n)),
      () => [] as string[],
    )
    if (files.length > 0)
      return E.left(
        migrationError({
          _tag: 'Usage',
          message: `${relative(cwd, dir) || dir} already holds revisions: the project is initialised`,
        }),
      )
    await mkdir(dir, { recursive: true })
    if (existing === undefined)
      await writeFile(join(cwd, 'origami.config.ts'), configTemplate(o.schema ?? './schema.ts', migrations))
    ctx.out.line(
      existing === undefined
        ? `created origami.config.ts (schema: ${o.schema ?? './schema.ts'})`
        : `kept ${existing}`,
    )
    ctx.out.line(`created ${relative(cwd, dir) || dir}/`)
    ctx.out.line(`next: declare your tables, then \`origami db migrate -m "first revision"\``)
    ctx.out.result({ ok: true, config: existing ?? 'origami.config.ts', migrations: dir })
    return E.right(0)
  }

/**
 * `db migrate -m MSG`: writes the next revision from the difference between the schema
 * value and the database (which must be at head). Writes nothing when nothing changed.
 * @category destructors
 * @since 0.1.0
 */
export const migrateCommand = (
  ctx: Ctx,
  o: { readonly message: string; readonly allowDestructive: ReadonlyArray<string>; readonly empty?: boolean },
): Outcome =>
  pipe(
    configOf(ctx),
    TE.bindTo('config'),
    TE.bind('schema', ({ config }) => schemaOf(ctx, config)),
    TE.bind('line', ({ config }) => lineOf(ctx, config)),
    TE.chain(({ config, schema, line }) => {
      ctx.out.line(`comparing the schema value with ${databaseLabel(config)}`)
      return pipe(
        withDatabase(
          config,
          generate({
            schema,
            line,
            message: o.message,
            allowDestructive: o.allowDestructive,
            empty: o.empty,
            now: ctx.io.now(),
          }),
        ),
        TE.chain((g) => {
          for (const w of g.diff.warnings) ctx.out.warn(w)
          for (const h of g.diff.hints) ctx.out.warn(`hint: ${h}`)
          if (g._tag === 'NoChanges') {
            ctx.out.line('no changes in the schema: no revision written')
            ctx.out.result({ ok: true, written: null, operations: [] })
            return TE.right(0)
          }
          return pipe(
            writeRevision(config.migrations, g.revision.id, g.text),
            TE.map((file) => {
              for (const op of g.revision.upgrade) {
                const lost = destroys(op)
                ctx.out.line(
                  `  ${lost.length > 0 ? ctx.out.paint.red('! ') : '+ '}${describe(op)}${lost.length > 0 ? ctx.out.paint.red(' (destructive)') : ''}`,
                )
              }
              ctx.out.line(
                `wrote ${relative(ctx.io.cwd, file)} (${g.revision.upgrade.length} operations); review it, then \`origami db upgrade\``,
              )
              ctx.out.result({
                ok: true,
                written: file,
                id: g.revision.id,
                parent: g.revision.parent,
                operations: g.revision.upgrade,
                hints: g.diff.hints,
                warnings: g.diff.warnings,
              })
              return 0
            }),
          )
        }),
      )
    }),
  )

/**
 * `db check`: exit 1 when the database is not at head, an applied file changed, or the
 * schema value and the database differ; 0 when all agree. For CI.
 * @category destructors
 * @since 0.1.0
 */
export const check = (ctx: Ctx): Outcome =>
  pipe(
    configOf(ctx),
    TE.bindTo('config'),
    TE.bind('schema', ({ config }) => schemaOf(ctx, config)),
    TE.bind('line', ({ config }) => lineOf(ctx, config)),
    TE.chain(({ config, schema, line }) =>
      withDatabase(config, (driver) =>
        pipe(
          readState(line)(driver),
          TE.bindTo('state'),
          TE.bind('diff', () => compare(schema)(driver)),
        ),
      ),
    ),
    TE.map(({ state, diff }) => {
      const pending = state.line.slice(state.current + 1).map((r) => r.id)
      const problems = [
        ...state.edited.map((id) => `applied revision ${id} was edited since it was applied`),
        ...state.missing.map((id) => `applied revision ${id} has no file`),
        ...(pending.length > 0
          ? [`pending revisions: ${pending.join(', ')} (run \`origami db upgrade\`)`]
          : []),
        ...(diff.operations.length > 0
          ? [
              `the schema value and the database differ (${diff.operations.length} operations; \`origami db migrate\` would write them):`,
              ...diff.operations.map((op) => `  ${describe(op)}`),
            ]
          : []),
      ]
      const current = state.current < 0 ? 'base' : state.line[state.current]!.id
      if (problems.length === 0)
        ctx.out.line(
          `${ctx.out.paint.green('ok')}: the database is at ${current} and matches the schema value`,
        )
      else for (const p of problems) ctx.out.line(p.startsWith('  ') ? p : `${ctx.out.paint.red('✗')} ${p}`)
      for (const h of diff.hints) ctx.out.warn(`hint: ${h}`)
      ctx.out.result({
        ok: problems.length === 0,
        current,
        pending,
        edited: state.edited,
        missing: state.missing,
        operations: diff.operations,
        hints: diff.hints,
      })
      return problems.length === 0 ? 0 : 1
    }),
  )
