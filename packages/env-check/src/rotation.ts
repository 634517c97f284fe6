// First-run replacement of public secrets (spec: platform.md §2.9 and §2.10) as a pure planner:
// it reads `.env` text and says which edits to make. The database questions are injected (this
// package does not depend on SQLite): whether a user exists, and for FERNET_SALT case D/E whether
// stored ciphertext still decrypts with the legacy static salt.
import { randomBytes } from 'node:crypto'
import {
  COMPROMISED_API_KEY_PEPPERS,
  COMPROMISED_APP_KEYS,
  FERNET_SALT_BYTES,
  MIN_FERNET_SALT_HEX,
  MIN_SECRET_LENGTH,
  PLACEHOLDER_FERNET_SALT,
  SECRET_BYTES,
} from './constants.js'
import { parseDotenv } from './dotenv.js'
import { isPlacedAfter, type EnvEdit } from './env-edits.js'
import type { EnvProblem, EnvWarning } from './types.js'

/** What the stored ciphertext says about the legacy salt (FERNET_SALT cases D and E). */
export type LegacyCiphertextState =
  /** no encrypted rows (or no database) */
  | 'none'
  /** at least one sampled row decrypts with the legacy static salt */
  | 'decrypts'
  /** rows exist and none decrypts: a per-install salt was used and has been lost */
  | 'undecryptable'

export interface PlanSecretRotationInput {
  /** the current `.env` text */
  readonly envText: string
  /**
   * Whether the main database already holds a user (then the pepper is kept: replacing it would
   * make every stored password hash and token unreadable). A function is called only when a
   * public APP_KEY or pepper is found, so the common case does no I/O.
   */
  readonly isDatabasePopulated: boolean | (() => boolean)
  /**
   * Samples up to 20 stored ciphertexts and tries the legacy salt (case D vs E). Without it a
   * missing FERNET_SALT on a populated database is left alone (legacy salt, warning).
   */
  readonly probeLegacyCiphertext?: () => LegacyCiphertextState
  /** `bytes` random bytes as hex; default node:crypto */
  readonly randomHex?: (bytes: number) => string
}

/** Which FERNET_SALT case of §2.10 applied. */
export type FernetSaltCase =
  /** valid and next to API_KEY_PEPPER: nothing to do */
  | 'A'
  /** valid but elsewhere: moved next to the pepper, value kept */
  | 'B'
  /** placeholder next to the pepper: replaced by a new salt */
  | 'C'
  /** absent, invalid, or a misplaced placeholder, and legacy ciphertext decrypts (or none): new salt inserted */
  | 'D'
  /** absent and stored ciphertext does not decrypt with the legacy salt: refuse */
  | 'E'
  /** the pepper is missing or too short: salt handling waits until it is fixed */
  | 'skipped'
  /** case D/E could not be decided without a ciphertext probe: left alone */
  | 'undecided'

export type GeneratedSecret = 'APP_KEY' | 'API_KEY_PEPPER' | 'FERNET_SALT'

export interface SecretRotationPlan {
  /** edits for `.env`, in order; empty when nothing needs to change */
  readonly edits: readonly EnvEdit[]
  /** the secrets that received fresh random values */
  readonly generated: readonly GeneratedSecret[]
  readonly fernetCase: FernetSaltCase
  /**
   * true when the app must re-encrypt stored secrets from the legacy salt to the new FERNET_SALT
   * after writing `.env` (cases C and D on an existing database)
   */
  readonly migrateFernetFromLegacySalt: boolean
  /** what was done or left undone, for the operator */
  readonly notices: readonly EnvWarning[]
  /** case E: startup must stop (the lost salt has to be restored first) */
  readonly blocked: EnvProblem | null
}

const defaultRandomHex = (bytes: number): string => randomBytes(bytes).toString('hex')

function isValidSalt(value: string): boolean {
  return value.length >= MIN_FERNET_SALT_HEX && /^[0-9a-fA-F]+$/.test(value)
}

/**
 * Decides which public or missing secrets to replace in `.env` text (platform.md §2.9, §2.10):
 * a placeholder or leaked APP_KEY is always replaced; a public API_KEY_PEPPER only while no user
 * exists; FERNET_SALT per cases A–E. Pure apart from the injected callbacks and randomness.
 */
export function planSecretRotation(input: PlanSecretRotationInput): SecretRotationPlan {
  const hex = input.randomHex ?? defaultRandomHex
  const vars = parseDotenv(input.envText)
  const edits: EnvEdit[] = []
  const generated: GeneratedSecret[] = []
  const notices: EnvWarning[] = []

  let populatedCache: boolean | undefined
  const populated = (): boolean => {
    populatedCache ??=
      typeof input.isDatabasePopulated === 'function'
        ? input.isDatabasePopulated()
        : input.isDatabasePopulated
    return populatedCache
  }

  // §2.9: APP_KEY and the pepper
  const appKey = vars.get('APP_KEY')
  let pepper = vars.get('API_KEY_PEPPER')
  const appKeyCompromised = appKey !== undefined && COMPROMISED_APP_KEYS.has(appKey)
  const pepperCompromised = pepper !== undefined && COMPROMISED_API_KEY_PEPPERS.has(pepper)
  let pepperRotated = false
  if (appKeyCompromised) {
    edits.push({ op: 'set', variable: 'APP_KEY', value: hex(SECRET_BYTES) })
    generated.push('APP_KEY')
  }
  if (pepperCompromised && !populated()) {
    pepper = hex(SECRET_BYTES)
    edits.push({ op: 'set', variable: 'API_KEY_PEPPER', value: pepper })
    generated.push('API_KEY_PEPPER')
    pepperRotated = true
  }
  if (generated.length > 0) {
    notices.push(
      appKeyCompromised && !pepperRotated && populated()
        ? {
            code: 'secret_rotated',
            severity: 'warn',
            variable: 'APP_KEY',
            message:
              'was the public sample value and has been replaced with a fresh random one; browsers must log in again',
          }
        : {
            code: 'secret_rotated',
            severity: 'info',
            variable: null,
            message: `generated fresh ${generated.join(' and ')} in place of the public sample value${generated.length === 1 ? '' : 's'}`,
          },
    )
  }

  // §2.10: FERNET_SALT, only with a usable pepper
  const fernet = planFernetSalt(input, pepper, pepperRotated, populated, hex)
  edits.push(...fernet.edits)
  if (fernet.generated) generated.push('FERNET_SALT')
  notices.push(...fernet.notices)

  return {
    edits,
    generated,
    fernetCase: fernet.case,
    migrateFernetFromLegacySalt: fernet.migrate,
    notices,
    blocked: fernet.blocked,
  }
}

interface FernetPlan {
  readonly case: FernetSaltCase
  readonly edits: EnvEdit[]
  readonly generated: boolean
  readonly migrate: boolean
  readonly notices: EnvWarning[]
  readonly blocked: EnvProblem | null
}

function planFernetSalt(
  input: PlanSecretRotationInput,
  pepper: string | undefined,
  pepperRotated: boolean,
  populated: () => boolean,
  hex: (bytes: number) => string,
): FernetPlan {
  const none = (c: FernetSaltCase, notices: EnvWarning[] = []): FernetPlan => ({
    case: c,
    edits: [],
    generated: false,
    migrate: false,
    notices,
    blocked: null,
  })
  if (pepper === undefined || pepper.length < MIN_SECRET_LENGTH) return none('skipped')

  const text = input.envText
  const current = parseDotenv(text).get('FERNET_SALT')?.trim()
  const adjacent = isPlacedAfter(text, 'FERNET_SALT', 'API_KEY_PEPPER')
  const valid = current !== undefined && isValidSalt(current)

  if (valid && adjacent) return none('A')
  if (valid) {
    return {
      case: 'B',
      edits: [
        { op: 'place_after', variable: 'FERNET_SALT', value: current, after: 'API_KEY_PEPPER' },
      ],
      generated: false,
      migrate: false,
      notices: [
        {
          code: 'fernet_salt_written',
          severity: 'info',
          variable: 'FERNET_SALT',
          message: 'moved to the line after API_KEY_PEPPER (value kept)',
        },
      ],
      blocked: null,
    }
  }

  const fresh = (c: 'C' | 'D', edit: EnvEdit): FernetPlan => ({
    case: c,
    edits: [edit],
    generated: true,
    migrate: !pepperRotated,
    notices: [
      {
        code: 'fernet_salt_written',
        severity: 'info',
        variable: 'FERNET_SALT',
        message: pepperRotated
          ? 'generated a per-install salt'
          : 'generated a per-install salt; secrets stored under the legacy static salt must now be re-encrypted',
      },
    ],
    blocked: null,
  })

  if (current === PLACEHOLDER_FERNET_SALT && adjacent) {
    return fresh('C', { op: 'set', variable: 'FERNET_SALT', value: hex(FERNET_SALT_BYTES) })
  }

  // Cases D / E: a new salt is only safe if nothing was encrypted under a salt we have lost.
  let state: LegacyCiphertextState
  if (pepperRotated) state = 'none'
  else if (input.probeLegacyCiphertext) state = input.probeLegacyCiphertext()
  else if (!populated()) state = 'none'
  else {
    return none('undecided', [
      {
        code: 'fernet_salt_undecided',
        severity: 'warn',
        variable: 'FERNET_SALT',
        message:
          'is missing and the database has users, so no salt was generated without first checking the stored ciphertext; the legacy static salt stays in use',
      },
    ])
  }
  if (state === 'undecryptable') {
    return {
      ...none('E'),
      blocked: {
        code: 'fernet_salt_lost',
        variable: 'FERNET_SALT',
        found: current === undefined ? '(missing)' : '(not a usable salt)',
        message:
          'is missing from .env, but the stored ciphertext does not decrypt with the legacy static salt either: the salt was rotated before and its value is lost (a new one would invalidate every stored broker token, API key and TOTP secret again)',
        fix: "Restore the previous FERNET_SALT = '<hex>' line from your .env backup, or accept the loss: clear the encrypted columns (auth, api_keys, users.totp_secret, flow_workflows.api_key), re-issue the credentials and restart.",
      },
    }
  }
  return fresh('D', {
    op: 'place_after',
    variable: 'FERNET_SALT',
    value: hex(FERNET_SALT_BYTES),
    after: 'API_KEY_PEPPER',
  })
}
