// Process entry when running from sources (`node --import tsx src/entry.ts`), used by tests; the
// built equivalent is bin/ws-proxy.js.
import { main } from './main.js'

process.exitCode = await main()
