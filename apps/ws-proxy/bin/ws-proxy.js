#!/usr/bin/env node
// The WebSocket proxy on its own (normally started and supervised by `oa start`).
import { existsSync } from 'node:fs'

const entry = new URL('../dist/main.js', import.meta.url)
if (!existsSync(entry)) {
  console.error('ws-proxy: apps/ws-proxy is not built yet. Run `pnpm build` first.')
  process.exit(1)
}
const { main } = await import(entry.href)
process.exitCode = await main()
