/**
 * The workload interface of `npm run bench`. A workload is one file in
 * `bench/workloads/`, listed in `bench/workloads/index.ts`; see bench/README.md.
 */

/** What the harness gives every workload. */
export interface BenchEnv {
  /** A postgres:// URL of a database seeded by `seed.ts` (1,000 authors × 10 books). */
  readonly url: string
  /** Loads a package installed in bench/node_modules (peers are untyped: see README). */
  readonly peer: (name: string) => Promise<any>
}

/** One contender of a workload: something timed, run round-robin with the others. */
export interface Contender {
  readonly name: string
  /** A raw postgres.js baseline: ratios are to the best (lowest median) raw contender. */
  readonly raw?: boolean
  /** Untimed, before each timed run (reset or reseed state). */
  readonly before?: () => Promise<void>
  /** One timed run: does `opsPerRun` operations. */
  readonly run: () => Promise<void>
  /** Closes connections. */
  readonly close?: () => Promise<void>
}

/** A workload: an id (`W2-seq`), a title, and its contenders. */
export interface Workload {
  readonly id: string
  readonly title: string
  /** Operations one `run` performs (10,000 lookups; 1 eager load), for ops/s. */
  readonly opsPerRun: number
  /** Timed rounds; each round runs every contender once, in rotated order. */
  readonly rounds: number
  /** Untimed runs of each contender before the rounds (JIT, prepared statements, caches). */
  readonly warmup: number
  readonly setup: (env: BenchEnv) => Promise<ReadonlyArray<Contender>>
}

/** Runs `n` jobs with `concurrency` of them in flight at once. */
export const inFlight = async (
  n: number,
  concurrency: number,
  job: (i: number) => Promise<unknown>,
): Promise<void> => {
  let next = 0
  const worker = async () => {
    while (next < n) {
      const i = next++
      await job(i)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/** A deterministic order of 10,000 book ids (1..10,000), spread over the table. */
export const lookupIds: ReadonlyArray<number> = Array.from(
  { length: 10_000 },
  (_, i) => ((i * 7919) % 10_000) + 1,
)
