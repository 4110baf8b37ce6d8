/**
 * What the examples share: unwrapping a `TaskEither` at the edge of a script (print the
 * typed error and exit), and printing a step.
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'

/** Runs a task; on Left prints the error and exits with status 1. */
export const run = async <L, A>(task: TE.TaskEither<L, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) {
    console.error('failed:', result.left)
    process.exit(1)
  }
  return result.right
}

/** Runs a task that is expected to fail, and returns its error. */
export const failing = async <L, A>(task: TE.TaskEither<L, A>): Promise<L> => {
  const result = await task()
  if (E.isRight(result)) {
    console.error('expected an error, got', result.right)
    process.exit(1)
  }
  return result.left
}

/** Prints a heading for one step of the walk-through. */
export const step = (title: string, flask?: string): void => {
  console.log(`\n== ${title}${flask === undefined ? '' : `   (Flask-SQLAlchemy: ${flask})`}`)
}

/** Indents a block of text for printing under a step. */
export const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n')

/** The database URL the examples use: DATABASE_URL when set, else in-memory PGlite. */
export const databaseUrl = (): string | undefined => process.env.DATABASE_URL || undefined
