/**
 * The bench harness: `npm run bench [-- ID…]`. Starts a throwaway PostgreSQL (or uses
 * DATABASE_URL), seeds it, runs each workload in a fresh Node process (its contenders
 * round-robin in that process), and writes bench/results.json and bench/RESULTS.md
 * with medians and ratios to the best raw postgres.js baseline of the same run. See
 * bench/README.md.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, platform, release, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { seed } from './seed.js'
import type { BenchEnv, Workload } from './workload.js'
import { workloads } from './workloads/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const requireBench = createRequire(join(here, 'package.json'))

/** One result row of results.json. */
interface Entry {
  readonly workload: string
  readonly title: string
  readonly contender: string
  readonly raw: boolean
  readonly median_ms: number
  readonly ops_per_s: number
  readonly ratio_to_raw: number
  readonly rounds: number
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const affinity = (): string => {
  try {
    return execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' })
      .split(':')
      .pop()!
      .trim()
  } catch {
    return 'unknown (no taskset)'
  }
}

const startServer = (): { url: string; stop: () => void } => {
  const envUrl = process.env.DATABASE_URL
  if (envUrl !== undefined && envUrl !== '') return { url: envUrl, stop: () => {} }
  const script = join(root, 'scripts/pg-throwaway.sh')
  const dir = mkdtempSync('/tmp/origami-bench-pg.')
  rmdirSync(dir)
  const url = execFileSync(script, ['start', dir], { encoding: 'utf8' }).trim()
  return { url, stop: () => execFileSync(script, ['stop', dir]) }
}

const runWorkload = async (w: Workload, env: BenchEnv): Promise<Entry[]> => {
  const contenders = await w.setup(env)
  const samples = contenders.map(() => [] as number[])
  for (const c of contenders) {
    for (let i = 0; i < w.warmup; i++) {
      await c.before?.()
      await c.run()
    }
  }
  for (let round = 0; round < w.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + round) % contenders.length // rotate who goes first
      const c = contenders[i]!
      await c.before?.()
      const t0 = performance.now()
      await c.run()
      samples[i]!.push(performance.now() - t0)
    }
  }
  for (const c of contenders) await c.close?.()
  const medians = samples.map(median)
  const rawBest = Math.min(...medians.filter((_, i) => contenders[i]!.raw === true))
  return contenders.map((c, i) => ({
    workload: w.id,
    title: w.title,
    contender: c.name,
    raw: c.raw === true,
    median_ms: Number(medians[i]!.toFixed(3)),
    ops_per_s: Math.round((w.opsPerRun / medians[i]!) * 1000),
    ratio_to_raw: Number((medians[i]! / rawBest).toFixed(3)),
    rounds: w.rounds,
  }))
}

const markdown = (machine: Record<string, string>, entries: ReadonlyArray<Entry>): string => {
  const lines = [
    '# origami benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Ratios are contender',
    'median / best raw postgres.js median of the same run and workload (lower is better).',
    '',
    '## Machine',
    '',
    ...Object.entries(machine).map(([k, v]) => `- ${k}: ${v}`),
    '',
  ]
  for (const id of [...new Set(entries.map((e) => e.workload))]) {
    const rows = entries.filter((e) => e.workload === id)
    lines.push(
      `## ${rows[0]!.title}`,
      '',
      '| contender | median (ms) | ops/s | ratio to raw |',
      '|---|---:|---:|---:|',
    )
    for (const e of [...rows].sort((a, b) => a.median_ms - b.median_ms)) {
      lines.push(
        `| ${e.contender}${e.raw ? ' (raw)' : ''} | ${e.median_ms} | ${e.ops_per_s} | ${e.ratio_to_raw.toFixed(2)} |`,
      )
    }
    lines.push('', `${rows[0]!.rounds} rounds, medians.`, '')
  }
  return `${lines.join('\n')}\n`
}

const marker = '@@origami-bench-entries '

/**
 * Runs one workload in a fresh Node process (same flags, same affinity) and returns its
 * entries: a workload starts with no JIT state or old-generation heap left by the ones
 * before it. Contenders of one workload still share that process, round-robin.
 */
const inChild = (id: string, url: string): Promise<Entry[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), id], {
      env: { ...process.env, ORIGAMI_BENCH_CHILD_URL: url },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (d: string) => {
      out += d
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const at = out.lastIndexOf(marker)
      if (code !== 0 || at === -1) reject(new Error(`bench: ${id} exited with ${code} and no results`))
      else resolve(JSON.parse(out.slice(at + marker.length)) as Entry[])
    })
  })

/** The child's side of `inChild`: run the one workload named, print its entries as JSON. */
const child = async (url: string) => {
  const w = workloads.find((x) => x.id === process.argv[2])
  if (w === undefined) throw new Error(`bench: no workload ${process.argv[2]}`)
  const env: BenchEnv = { url, peer: (name) => import(requireBench.resolve(name)) }
  const entries = await runWorkload(w, env)
  // after a marker: anything a peer printed on stdout comes before it
  process.stdout.write(`\n${marker}${JSON.stringify(entries)}\n`)
}

const main = async () => {
  const only = process.argv.slice(2)
  const selected = workloads.filter((w) => only.length === 0 || only.some((o) => w.id.startsWith(o)))
  if (selected.length === 0) throw new Error(`no workload matches ${only.join(', ')}`)
  const server = startServer()
  const admin = postgres(server.url, { max: 1, onnotice: () => {} })
  const database = `origami_bench_${process.pid}`
  try {
    const version = String((await admin`select version()`)[0]?.version)
    await admin.unsafe(`create database "${database}"`)
    const u = new URL(server.url)
    u.pathname = `/${database}`
    const url = u.toString()
    await seed(url)
    const machine: Record<string, string> = {
      cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
      memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
      os: `${platform()} ${release()}`,
      node: process.version,
      postgres: String(version).split(',')[0]!,
      'cpu affinity (taskset)': affinity(),
      server: process.env.DATABASE_URL
        ? 'DATABASE_URL'
        : 'throwaway (scripts/pg-throwaway.sh, fsync off), same affinity',
      date: new Date().toISOString(),
    }
    const entries: Entry[] = []
    for (const w of selected) {
      process.stderr.write(`bench: ${w.title}…\n`)
      const got = await inChild(w.id, url)
      for (const e of got)
        process.stderr.write(`  ${e.contender}: ${e.median_ms} ms, ${e.ratio_to_raw.toFixed(2)}x\n`)
      entries.push(...got)
    }
    const file = join(here, 'results.json')
    let previous: Entry[] = []
    try {
      previous = JSON.parse(readFileSync(file, 'utf8')).results ?? []
    } catch {}
    const ran = new Set(selected.map((w) => w.id))
    const merged = [...previous.filter((e) => !ran.has(e.workload)), ...entries]
    const order = workloads.map((w) => w.id)
    merged.sort((a, b) => order.indexOf(a.workload) - order.indexOf(b.workload))
    writeFileSync(file, `${JSON.stringify({ machine, results: merged }, null, 2)}\n`)
    writeFileSync(join(here, 'RESULTS.md'), markdown(machine, merged))
  } finally {
    await admin.unsafe(`drop database if exists "${database}" with (force)`).catch(() => {})
    await admin.end()
    server.stop()
  }
}

const childUrl = process.env.ORIGAMI_BENCH_CHILD_URL
await (childUrl === undefined ? main() : child(childUrl))
