import { hash, parseOptions, verify, type Options } from '@node-rs/argon2'
import { createSemaphore } from './semaphore.js'
import type { RandomSource } from './types.js'

/**
 * The original's Argon2 parameters (argon2-cffi 23.1 `PasswordHasher()` defaults, spec
 * platform.md §5.3): Argon2id v19, 64 MiB, 3 passes, 4 lanes, 32-byte hash, 16-byte salt.
 * `@node-rs/argon2`'s own defaults differ, so they are always passed explicitly.
 */
export const ARGON2_PARAMS = {
  // Algorithm.Argon2id; the package's enum is an ambient const enum, unusable under isolatedModules
  algorithm: 2,
  version: 1, // Version.V0x13 (19)
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 4,
  outputLen: 32,
} as const satisfies Options

const SALT_BYTES = 16

/** Counters for tests, benchmarks and the health page. */
export interface HasherStats {
  /** Argon2 verifications started since creation */
  readonly verifies: number
  /** Argon2 hashes computed since creation */
  readonly hashes: number
  /** Argon2 computations running now */
  readonly active: number
  /** Argon2 computations waiting for a slot */
  readonly waiting: number
}

/**
 * Argon2id hashing of secrets (passwords, API keys) with the pepper appended by plain string
 * concatenation, `secret + pepper`, as the original does, so existing hashes keep verifying.
 * At most `maxConcurrent` computations run at once (each holds 64 MiB): the rest queue.
 */
export interface SecretHasher {
  /** a PHC string `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>` */
  hash(secret: string): Promise<string>
  /** false for a mismatch or a malformed PHC string; never throws for those */
  verify(phc: string, secret: string): Promise<boolean>
  /** true when `phc` was made with other parameters than {@link ARGON2_PARAMS} (rehash on login) */
  needsRehash(phc: string): boolean
  readonly stats: HasherStats
}

export interface SecretHasherOptions {
  readonly pepper: string
  readonly random: RandomSource
  /** Argon2 computations allowed at once, default 2 (memory: 64 MiB each) */
  readonly maxConcurrent?: number
}

export function createSecretHasher(options: SecretHasherOptions): SecretHasher {
  const gate = createSemaphore(options.maxConcurrent ?? 2)
  let verifies = 0
  let hashes = 0
  return {
    get stats() {
      return { verifies, hashes, active: gate.active, waiting: gate.waiting }
    },
    hash(secret) {
      hashes++
      const salt = options.random.bytes(SALT_BYTES)
      return gate.run(() => hash(secret + options.pepper, { ...ARGON2_PARAMS, salt }))
    },
    async verify(phc, secret) {
      if (!phc.startsWith('$argon2')) return false
      verifies++
      try {
        return await gate.run(() => verify(phc, secret + options.pepper))
      } catch {
        return false // malformed PHC string
      }
    },
    needsRehash(phc) {
      try {
        const p = parseOptions(phc)
        return (
          p.algorithm !== ARGON2_PARAMS.algorithm ||
          p.memoryCost !== ARGON2_PARAMS.memoryCost ||
          p.timeCost !== ARGON2_PARAMS.timeCost ||
          p.parallelism !== ARGON2_PARAMS.parallelism ||
          p.outputLen !== ARGON2_PARAMS.outputLen
        )
      } catch {
        return true
      }
    },
  }
}
