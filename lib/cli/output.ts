/**
 * What the command prints: plain lines for people (colour only on a terminal, and never
 * when `NO_COLOR` is set), or one JSON document for scripts (`--json`). Errors are
 * printed with everything needed to act: for a failed statement, the statement, its
 * SQLSTATE, PostgreSQL's detail and hint.
 *
 * @since 0.1.0
 */
import type { MigrationError } from '../migrate/errors.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The command's surroundings, injected so that it runs in-process in tests.
 * @category models
 * @since 0.1.0
 */
export interface Io {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** Whether stdout is a terminal (colours are used only then). */
  readonly isTTY: boolean
  readonly now: () => Date
}

/**
 * A printer bound to an `Io` and the `--json` flag.
 * @category models
 * @since 0.1.0
 */
export interface Out {
  readonly json: boolean
  /** A line for people (nothing in JSON mode). */
  readonly line: (text: string) => void
  /** A warning line on stderr (also in JSON mode: stdout stays one document). */
  readonly warn: (text: string) => void
  /** The JSON document (JSON mode only). */
  readonly result: (value: unknown) => void
  readonly paint: Paint
}

/** Colour functions: identity when colours are off. @category models @since 0.1.0 */
export interface Paint {
  readonly bold: (s: string) => string
  readonly dim: (s: string) => string
  readonly green: (s: string) => string
  readonly yellow: (s: string) => string
  readonly red: (s: string) => string
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Whether to colour: a terminal, and `NO_COLOR` unset or empty (no-color.org).
 * @category constructors
 * @since 0.1.0
 */
export const useColour = (io: Io): boolean =>
  io.isTTY && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '')

const sgr = (on: boolean, code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s)

/**
 * A printer for `io`.
 * Shape: `output(io, json)` → `Out`. Errors: none.
 * @category constructors
 * @since 0.1.0
 */
export const output = (io: Io, json: boolean): Out => {
  const on = !json && useColour(io)
  const paint: Paint = {
    bold: sgr(on, 1),
    dim: sgr(on, 2),
    green: sgr(on, 32),
    yellow: sgr(on, 33),
    red: sgr(on, 31),
  }
  return {
    json,
    line: (t) => {
      if (!json) io.stdout(`${t}\n`)
    },
    warn: (t) => io.stderr(`${paint.yellow('warning:')} ${t}\n`),
    result: (v) => {
      if (json)
        io.stdout(
          `${JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Date ? x.toISOString() : x), 2)}\n`,
        )
    },
    paint,
  }
}

// -------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------

/**
 * Milliseconds as people read them: `8 ms`, `1.2 s`.
 * Units: input in milliseconds. Errors: none.
 * @category destructors
 * @since 0.1.0
 */
export const ms = (n: number): string =>
  n < 1000 ? `${Math.max(0, Math.round(n))} ms` : `${(n / 1000).toFixed(1)} s`

/**
 * The lines that explain an error to a person.
 * Shape: `MigrationError` → `ReadonlyArray<string>`. Errors: none.
 * @category destructors
 * @since 0.1.0
 */
export const explainError = (e: MigrationError): ReadonlyArray<string> => {
  switch (e._tag) {
    case 'RevisionFailed':
      return [
        `${e.direction} of revision ${e.revision} failed; it was rolled back (revision table included).`,
        `  statement: ${e.statement.replaceAll('\n', '\n             ')}`,
        `  SQLSTATE:  ${e.cause.code ?? '(none)'}`,
        `  error:     ${e.cause.message}`,
        ...(e.cause.detail ? [`  detail:    ${e.cause.detail}`] : []),
        ...(e.cause.hint ? [`  hint:      ${e.cause.hint}`] : []),
      ]
    case 'DriverError':
      return [
        `database error: ${e.message}`,
        ...(e.code ? [`  SQLSTATE:  ${e.code}`] : []),
        ...(e.statement ? [`  statement: ${e.statement}`] : []),
        ...(e.detail ? [`  detail:    ${e.detail}`] : []),
        ...(e.hint ? [`  hint:      ${e.hint}`] : []),
      ]
    case 'ConnectionError':
      return [`cannot connect to ${e.url}: ${e.message}`]
    case 'InvalidRevision':
      return [`${e.file}: ${e.message}`]
    default:
      return e.message.split('\n')
  }
}

/**
 * An error as JSON for `--json`: its fields, with the driver cause flattened.
 * @category destructors
 * @since 0.1.0
 */
export const errorJson = (e: MigrationError): Readonly<Record<string, unknown>> =>
  e._tag === 'RevisionFailed'
    ? {
        ...e,
        cause: undefined,
        sqlstate: e.cause.code,
        error: e.cause.message,
        detail: e.cause.detail,
        hint: e.cause.hint,
      }
    : { ...e }
