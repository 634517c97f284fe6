// Process entry when running from sources (`node --conditions=@oa/source --import tsx
// src/entry.ts start`), used by tests; the built equivalent is bin/oa.js.
import { main } from './cli.js'

process.exitCode = await main(process.argv.slice(2))
