#!/usr/bin/env node
// The `origami` command. Node 20 cannot run TypeScript, and the project's config, schema
// and revision files are TypeScript too, so the command runs through tsx (a runtime
// dependency): register its loader, then run lib/cli/main.ts as is — no build needed.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../lib/cli/main.ts')
const code = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  now: () => new Date(),
})
process.exitCode = code
