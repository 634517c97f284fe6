// Writes docs/environment.md from the env schema: `pnpm --filter @oa/env-check gen:docs`.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { renderEnvReference } from '../src/reference.js'

const target = fileURLToPath(new URL('../../../docs/environment.md', import.meta.url))
writeFileSync(target, renderEnvReference())
process.stdout.write(`wrote ${target}\n`)
