#!/usr/bin/env node
// The `oa` command. Runs the built server (dist/); `pnpm install` builds it, `pnpm build` rebuilds.
import { existsSync } from 'node:fs'

const entry = new URL('../dist/cli.js', import.meta.url)
if (!existsSync(entry)) {
  console.error('oa: apps/server is not built yet. Run `pnpm build` (or `pnpm install`) first.')
  process.exit(1)
}
const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))
