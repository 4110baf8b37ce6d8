/**
 * `db upgrade`, `db downgrade` (both with `--sql`), `db current` and `db history`.
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type Direction, migrate, type RevisionDone, readState } from '../../migrate/runner.js'
import { script, sqlRange } from '../../migrate/script.js'
import { type Ctx, configOf, databaseLabel, lineOf, type Outcome, withDatabase } from '../context.js'
import { ms } from '../output.js'

/**
 * Options of `db upgrade` and `db downgrade`.
 * @category models
 * @since 0.1.0
 */
export interface RunCommandOptions {
  readonly sql?: boolean
  readonly allowDestructive: ReadonlyArray<string>
  /** Units: milliseconds. */
  readonly lockTimeout?: number
}

/**
 * `db upgrade [REV]` / `db downgrade [REV]`: runs revisions (one line per revision, with
 * its time), or with `--sql` prints the script and runs nothing (no connection).
 * @category destructors
 * @since 0.1.0
 */
export const run = (
  ctx: Ctx,
  direction: Direction,
  target: string | undefined,
  o: RunCommandOptions,
): Outcome =>
  pipe(
    configOf(ctx),
    TE.bindTo('config'),
    TE.bind('line', ({ config }) => lineOf(ctx, config)),
    TE.chain(({ config, line }) => {
      if (o.sql === true)
        return pipe(
          TE.fromEither(sqlRange(direction, line)(target)),
          TE.map(({ from, to }) => {
            const text = script(direction, line, from, to)
            if (ctx.out.json) ctx.out.result({ ok: true, direction, sql: text })
            else ctx.io.stdout(text)
            return 0
          }),
        )
      const goal = target ?? (direction === 'upgrade' ? 'head' : '-1')
      const started = performance.now()
      ctx.out.line(`${direction} ${databaseLabel(config)} to ${goal}`)
      const onRevision = (d: RevisionDone) =>
        ctx.out.line(
          d.outcome === 'applied'
            ? `  ${ctx.out.paint.green(direction === 'upgrade' ? '↑' : '↓')} ${d.id}  ${ctx.out.paint.dim(d.message)}  ${ms(d.durationMs)}`
            : `  = ${d.id}  ${ctx.out.paint.dim('already done by another runner')}`,
        )
      return pipe(
        withDatabase(
          config,
          migrate(direction, line, goal, {
            allowDestructive: o.allowDestructive,
            lockTimeoutMs: o.lockTimeout ?? config.lockTimeoutMs,
            onRevision,
          }),
        ),
        TE.map((report) => {
          const total = performance.now() - started
          const applied = report.revisions.filter((r) => r.outcome === 'applied').length
          const at = report.to ?? 'base'
          const head = line.length === 0 ? 'base' : line[line.length - 1]!.id
          ctx.out.line(
            report.revisions.length === 0
              ? `nothing to do: the database is at ${at}${at === head ? ' (head)' : ''}`
              : `done: ${applied} revision${applied === 1 ? '' : 's'} in ${ms(total)}; the database is at ${at}${at === head ? ' (head)' : ''}`,
          )
          ctx.out.result({ ok: true, ...report, durationMs: Math.round(total) })
          return 0
        }),
      )
    }),
  )

/** The revision line and what the configured database has applied of it. */
const stateOf = (ctx: Ctx) =>
  pipe(
    configOf(ctx),
    TE.bindTo('config'),
    TE.bind('line', ({ config }) => lineOf(ctx, config)),
    TE.chain(({ config, line }) => withDatabase(config, (d) => readState(line)(d))),
  )

/**
 * `db current`: the revision the database is at (and whether it is head). Warns about
 * applied files that were edited or removed.
 * @category destructors
 * @since 0.1.0
 */
export const current = (ctx: Ctx): Outcome =>
  pipe(
    stateOf(ctx),
    TE.map((s) => {
      const id = s.current < 0 ? null : s.line[s.current]!.id
      const isHead = s.current === s.line.length - 1
      const pending = s.line.slice(s.current + 1).map((r) => r.id)
      for (const e of s.edited) ctx.out.warn(`applied revision ${e} was edited since it was applied`)
      for (const m of s.missing) ctx.out.warn(`applied revision ${m} has no file in the migrations folder`)
      ctx.out.line(
        `${id ?? 'base'}${isHead ? ' (head)' : ` (${pending.length} pending: ${pending.join(', ')})`}`,
      )
      ctx.out.result({ ok: true, current: id, head: isHead, pending, edited: s.edited, missing: s.missing })
      return 0
    }),
  )

/**
 * `db history`: every revision, newest first, marking what is applied and when.
 * @category destructors
 * @since 0.1.0
 */
export const historyCommand = (ctx: Ctx): Outcome =>
  pipe(
    stateOf(ctx),
    TE.map((s) => {
      const rows = [...s.line].reverse().map((r) => {
        const a = s.applied.find((x) => x.id === r.id)
        return {
          id: r.id,
          parent: r.parent,
          message: r.message,
          file: r.file,
          applied: a !== undefined,
          appliedAt: a?.appliedAt ?? null,
          durationMs: a?.durationMs ?? null,
          edited: s.edited.includes(r.id),
        }
      })
      if (rows.length === 0)
        ctx.out.line('no revisions yet: `origami db migrate -m MESSAGE` writes the first')
      for (const [i, r] of rows.entries()) {
        const marks = [
          i === 0 ? 'head' : undefined,
          s.current >= 0 && s.line[s.current]!.id === r.id ? 'current' : undefined,
          r.edited ? 'EDITED' : undefined,
        ].filter((m) => m !== undefined)
        const when = r.appliedAt
          ? ctx.out.paint.dim(`applied ${r.appliedAt.toISOString()} in ${ms(r.durationMs ?? 0)}`)
          : ctx.out.paint.yellow('pending')
        ctx.out.line(
          `${r.parent ?? '<base>'} -> ${ctx.out.paint.bold(r.id)}${marks.length ? ` (${marks.join(', ')})` : ''}, ${r.message}  ${when}`,
        )
      }
      ctx.out.result({ ok: true, revisions: rows, missing: s.missing })
      return 0
    }),
  )
