/**
 * The property suites: fast-check runs of `checkCommit` over random schemas (for
 * origami's own tests) or over one schema (a user's, through `checkCascades`), with
 * budgets from the environment.
 *
 * @since 0.1.0
 */
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { type AnySchema, type Driver, fromDriver } from '../lib/index.js'
import { type ChangeSetOptions, changeSetOf } from './arbitraries/changes.js'
import { type ShapeOptions, schemaShape } from './arbitraries/schema.js'
import { stateOf } from './arbitraries/state.js'
import { type AddNode, type ChangeSet, toSession } from './changes.js'
import { checkCommit, describeScenario, PropertyFailure, type Scenario } from './checks.js'
import { rowId } from './closure.js'
import { isolated, load, recycled, snapshot, truncate } from './database.js'
import { expected, type State } from './model.js'
import { buildSchema } from './shape.js'

// -------------------------------------------------------------------------------------
// budgets
// -------------------------------------------------------------------------------------

/** How long and how hard a suite runs. @category models */
export interface Budget {
  /** Runs (scenarios) per property. */
  readonly numRuns: number
  /** Seed, to replay a failure (fast-check prints it). */
  readonly seed?: number
  /** Path, with `seed`, to replay the shrunk failure directly. */
  readonly path?: string
  /** Stop after this long and fail (a run cut short never counts as a pass). Units: ms. */
  readonly timeLimitMs?: number
}

/**
 * A budget from the environment: `ORIGAMI_PROPERTY_RUNS` (runs, scaled by `scale` per
 * suite), `ORIGAMI_PROPERTY_SEED`, `ORIGAMI_PROPERTY_PATH`, `ORIGAMI_PROPERTY_TIME_MS`.
 * Shape: `budgetFromEnv(defaultRuns, scale?)` → `Budget`.
 * @category constructors
 * @since 0.1.0
 */
export const budgetFromEnv = (defaultRuns: number, scale = 1): Budget => {
  const env = process.env
  const runs = env.ORIGAMI_PROPERTY_RUNS === undefined ? defaultRuns : Number(env.ORIGAMI_PROPERTY_RUNS)
  return {
    numRuns: Math.max(1, Math.round(runs * scale)),
    ...(env.ORIGAMI_PROPERTY_SEED === undefined ? {} : { seed: Number(env.ORIGAMI_PROPERTY_SEED) }),
    ...(env.ORIGAMI_PROPERTY_PATH === undefined ? {} : { path: env.ORIGAMI_PROPERTY_PATH }),
    ...(env.ORIGAMI_PROPERTY_TIME_MS === undefined
      ? {}
      : { timeLimitMs: Number(env.ORIGAMI_PROPERTY_TIME_MS) }),
  }
}

/** fast-check parameters for a budget: time limits fail the run (`failOnInterrupt`). */
export const parameters = <A>(b: Budget): fc.Parameters<A> => ({
  numRuns: b.numRuns,
  ...(b.seed === undefined ? {} : { seed: b.seed }),
  ...(b.path === undefined ? {} : { path: b.path }),
  ...(b.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: b.timeLimitMs, failOnInterrupt: true }),
  endOnFailure: false,
})

// -------------------------------------------------------------------------------------
// scenarios
// -------------------------------------------------------------------------------------

const printable = (sc: Scenario): Scenario =>
  Object.defineProperty({ ...sc }, fc.toStringMethod, {
    value: () => `\n${describeScenario(sc)}\n`,
    enumerable: false,
  })

/**
 * Scenarios over one schema: a valid state and a change-set over it.
 * @category constructors
 * @since 0.1.0
 */
export const scenarioOf = (
  schema: AnySchema,
  options: ChangeSetOptions & { readonly maxRows?: number } = {},
) =>
  stateOf(schema, options).chain((state) =>
    changeSetOf(schema, state, options).map((changes) =>
      printable({ shape: undefined, schema, state, changes }),
    ),
  )

/**
 * Scenarios over random schemas (`schemaShape`).
 * @category constructors
 * @since 0.1.0
 */
export const randomScenario = (
  options: ChangeSetOptions & ShapeOptions & { readonly maxRows?: number } = {},
): fc.Arbitrary<Scenario> =>
  schemaShape(options).chain((shape) => {
    const schema = buildSchema(shape)
    return stateOf(schema, options).chain((state) =>
      changeSetOf(schema, state, options).map((changes) => printable({ shape, schema, state, changes })),
    )
  })

// -------------------------------------------------------------------------------------
// order independence
// -------------------------------------------------------------------------------------

/** Rows an (already valid) change-set names or changes, by the model: what "disjoint" compares. */
const footprint = (schema: AnySchema, state: State, cs: ChangeSet): Set<string> | undefined => {
  const want = expected(schema, state, cs)
  if (want._tag !== 'Ok') return undefined
  const out = new Set<string>()
  const ids = (s: State) =>
    new Map(
      Object.entries(s).flatMap(([t, rows]) =>
        rows.map(
          (r) =>
            [rowId(schema, t, r), JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? `${v}` : v))] as const,
        ),
      ),
    )
  const a = ids(state)
  const b = ids(want.state)
  for (const [id, v] of a) if (b.get(id) !== v) out.add(id)
  for (const id of b.keys()) if (!a.has(id)) out.add(id)
  const refers = (table: string, values: Readonly<Record<string, unknown>>) => {
    for (const fk of schema.foreignKeys.filter((k) => k.table === table && values[k.field] != null))
      out.add(rowId(schema, fk.target, { [fk.targetField]: values[fk.field] }))
  }
  const walk = (n: AddNode) => {
    refers(n.table, n.values)
    for (const g of n.nested) for (const c of g.rows) walk(c)
  }
  for (const o of cs.parts.flat()) {
    if (o.op === 'add') walk(o.row)
    else out.add(rowId(schema, o.table, o.key))
    if (o.op === 'update') refers(o.table, o.patch)
    if (o.op === 'remove' || o.op === 'link' || o.op === 'unlink')
      out.add(rowId(schema, schema.relations[o.table]![o.relation]!.target, o.child))
  }
  return out
}

/**
 * Order independence: two change-sets that touch disjoint rows give the same database
 * committed in either order. Scenarios whose change-sets overlap, or fail alone, are
 * skipped (`fc.pre`).
 * @category destructors
 * @since 0.1.0
 */
export const checkOrder = (driver: Driver, schema: AnySchema, state: State, a: ChangeSet, b: ChangeSet) => {
  const fa = footprint(schema, state, a)
  const fb = footprint(schema, state, b)
  fc.pre(fa !== undefined && fb !== undefined && [...fa].every((x) => !fb.has(x)))
  return isolated(driver, async () => {
    const db = fromDriver(schema, driver)
    const both = async (x: ChangeSet, y: ChangeSet) => {
      await load(driver, schema, state)
      const r1 = await db.commit(toSession(schema, x))()
      const r2 = await db.commit(toSession(schema, y))()
      const snap = await snapshot(driver, schema)
      await truncate(driver, schema)
      return { ok: [E.isRight(r1), E.isRight(r2)], snap }
    }
    const ab = await both(a, b)
    const ba = await both(b, a)
    if (!isDeepStrictEqual(ab.snap, ba.snap) || ab.ok[0] !== ba.ok[1] || ab.ok[1] !== ba.ok[0]) {
      throw new PropertyFailure(
        'order independence',
        `a then b and b then a differ\n${describeScenario({ shape: undefined, schema, state, changes: a })}\nand b:\n${describeScenario({ shape: undefined, schema, state, changes: b })}\na;b ${JSON.stringify(ab)}\nb;a ${JSON.stringify(ba)}`,
      )
    }
  })
}

// -------------------------------------------------------------------------------------
// the suite for users
// -------------------------------------------------------------------------------------

/** Options of `checkCascades`. @category models */
export interface CheckCascadesOptions extends Partial<Budget>, ChangeSetOptions {
  /**
   * Where to run: a driver with ONE connection (`openDriver(url, { max: 1 })`), or a
   * URL the suite opens (and closes) itself; default: PGlite in memory.
   */
  readonly driver?: Driver
  readonly url?: string
  /** Rows per table in the generated states (default at most 4). */
  readonly maxRows?: number
}

/** What a run of `checkCascades` did. @category models */
export interface CascadeReport {
  readonly runs: number
  /** Runs whose change-set committed; the rest failed as the model predicted. */
  readonly committed: number
  /** Failed runs by error kind (`StaleRowError`, `ConstraintViolation:unique`, …). */
  readonly failures: Readonly<Record<string, number>>
}

/**
 * Checks a schema's relationship configuration against the reference model on a real
 * database: random valid states of `schema`, random change-sets over them, each
 * committed in its own PostgreSQL schema and compared with the model (and the other
 * checks of `checkCommit`).
 *
 * Shape: `checkCascades(schema, { driver | url, numRuns, seed?, timeLimitMs?, … })` →
 * `Promise<CascadeReport>`; rejects with fast-check's report (seed, path, the shrunk
 * scenario and the failed check with the plan) when a property fails.
 * Units: `numRuns` scenarios (default 100); `timeLimitMs` milliseconds.
 * Errors: rejects with `TypeError` for a table the suites cannot fill (see `stateOf`).
 * @example
 * it('bookstore cascades agree with the model', () => checkCascades(bookstore, { numRuns: 50 }), 60_000)
 * @category destructors
 * @since 0.1.0
 */
export const checkCascades = async (
  schema: AnySchema,
  options: CheckCascadesOptions = {},
): Promise<CascadeReport> => {
  const own = options.driver === undefined ? recycled(options.url) : undefined
  const failures: Record<string, number> = {}
  let runs = 0
  let committed = 0
  try {
    await fc.assert(
      fc.asyncProperty(scenarioOf(schema, options), async (sc) => {
        const want = await checkCommit(options.driver ?? (await own!.driver()), sc)
        runs += 1
        if (want._tag === 'Ok') committed += 1
        else for (const e of want.errors.slice(0, 1)) failures[e] = (failures[e] ?? 0) + 1
      }),
      parameters({ numRuns: options.numRuns ?? 100, ...options }),
    )
  } finally {
    await own?.close()
  }
  return { runs, committed, failures }
}
