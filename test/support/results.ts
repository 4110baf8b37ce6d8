// Unwrapping results in tests: a Left where a Right was expected (or the reverse)
// fails the test with the value, printed so that bigints do not break JSON.
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { plan } from '../../lib/plan/fold.js'
import type { Cell, Plan, Step } from '../../lib/plan/step.js'
import type { SessionError } from '../../lib/session/errors.js'
import type { Session } from '../../lib/session/session.js'

const show = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))

export const right = async <L, A>(task: TE.TaskEither<L, A>): Promise<A> => {
  const r = await task()
  if (E.isLeft(r)) throw new Error(`expected Right, got ${show(r.left)}`)
  return r.right
}

export const left = async <L, A>(task: TE.TaskEither<L, A>): Promise<L> => {
  const r = await task()
  if (E.isRight(r)) throw new Error(`expected Left, got ${show(r.right)}`)
  return r.left
}

/** The plan of a session, or a failed test naming the error. */
export const planOf = (s: Session): Plan => {
  const p = plan(s)
  if (E.isLeft(p)) throw new Error(`expected a plan, got ${show(p.left)}`)
  return p.right
}

/** The error `plan` reports for a session, or a failed test. */
export const errorOf = (s: Session): SessionError => {
  const p = plan(s)
  if (E.isRight(p)) throw new Error('expected a plan error')
  return p.left
}

/** An insert step's rows, row by row (the step holds them column by column); none for other steps. */
export const insertRows = (step: Step | undefined): Array<{ ref: string; cells: Cell[] }> =>
  step?._tag === 'Insert'
    ? step.refs.map((ref, r) => ({ ref, cells: step.cells.map((column) => column[r]!) }))
    : []
