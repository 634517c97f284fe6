import { randomBytes } from 'node:crypto'
import type { RandomSource } from './types.js'

/**
 * The production random source (`crypto.randomBytes`). Exported so every embedder (server,
 * ws-proxy, `oa` commands) wires the same thing; tests inject a seeded source instead.
 */
export const secureRandom: RandomSource = { bytes: (length) => randomBytes(length) }
