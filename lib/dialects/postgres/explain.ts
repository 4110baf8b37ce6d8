/**
 * `explain`: a plan as text a person reads before running it — each step's name, its
 * statement and its parameters in order. Keys that earlier steps will generate are
 * shown as `<ref authors#1.id>`.
 *
 * @since 0.1.0
 */
import { type Cell, isRefKey, type Plan, type Step, updateRowCount } from '../../plan/step.js'
import { compileStep } from './compile-step.js'

const showCell = (c: unknown): string =>
  (c as { _tag?: string } | null)?._tag === 'Collected'
    ? `<${(c as { table: string }).table}.${(c as { field: string }).field} of the rows collected>`
    : isRefKey(c as Cell) && c !== null
      ? `<ref ${(c as { ref: string }).ref}.${(c as { field: string }).field}>`
      : c === null
        ? 'NULL'
        : typeof c === 'string'
          ? `'${c.replace(/'/g, "''")}'`
          : String(c)

const showParam = (p: unknown): string => (Array.isArray(p) ? `{${p.map(showCell).join(', ')}}` : showCell(p))

const rows = (n: number): string => ` (${n} row${n === 1 ? '' : 's'})`

const rowCount = (s: Step): string => {
  switch (s._tag) {
    case 'Insert':
      return rows(s.refs.length)
    case 'Update':
      return rows(updateRowCount(s))
    case 'Delete':
      return s.expect.rows.length === 0 ? '' : ` (${s.expect.rows.length} named)`
    case 'Collect':
      return s.loop === undefined ? '' : ` (repeated with ${s.loop} until nothing new is found)`
    default:
      return ''
  }
}

/**
 * Renders a plan, one numbered step per paragraph.
 * Shape: `explain(plan)` → `string`. Deterministic: the same plan gives the same text.
 * Units: steps are numbered from 1; `$n` are the statement's 1-based parameters.
 * Source: Ecto.Multi `to_list`; DESIGN.md ("a plain value: printable").
 * @example
 * pipe(S.plan(changes), E.map(S.explain))
 * @category destructors
 * @since 0.1.0
 */
export const explain = (plan: Plan): string =>
  plan.steps.length === 0
    ? '(empty plan: nothing to do)'
    : plan.steps
        .map((s, i) => {
          const c = compileStep(s)
          const n = rowCount(s)
          const params = c.params.map((p, j) => `     $${j + 1} = ${showParam(p)}`)
          return [`${i + 1}. ${s.name}${n}`, `     ${c.text}`, ...params].join('\n')
        })
        .join('\n')
