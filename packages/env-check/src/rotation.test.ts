import { describe, expect, it, vi } from 'vitest'
import {
  PLACEHOLDER_APP_KEY,
  PLACEHOLDER_API_KEY_PEPPER,
  PLACEHOLDER_FERNET_SALT,
} from './constants.js'
import { parseDotenv } from './dotenv.js'
import { applyEditsToText, isPlacedAfter } from './env-edits.js'
import { planSecretRotation, type PlanSecretRotationInput } from './rotation.js'

const KEY = 'k'.repeat(64)
const PEPPER = 'p'.repeat(64)
const SALT = 'ab'.repeat(16)
const LEAKED_KEY = '3daa0403ce2501ee7432b75bf100048e3cf510d63d2754f952e93d88bf07ea84'
const LEAKED_PEPPER = 'a25d94718479b170c16278e321ea6c989358bf499a658fd20c90033cef8ce772'

function env(
  appKey: string,
  pepper: string,
  fernetLine: string | null = `FERNET_SALT = '${SALT}'`,
): string {
  return [
    "ENV_CONFIG_VERSION = '1.0.7'",
    `APP_KEY = '${appKey}'`,
    `API_KEY_PEPPER = '${pepper}'`,
    ...(fernetLine === null ? [] : [fernetLine]),
    "DATABASE_URL = 'sqlite:///db/openalgo.db'",
    '',
  ].join('\n')
}

/** A counting random source: every call returns a different, recognisable value. */
function counter(): (bytes: number) => string {
  let n = 0
  return (bytes) => {
    n++
    return n.toString(16).padStart(2, '0').repeat(bytes)
  }
}

function plan(input: Partial<PlanSecretRotationInput> & { envText: string }) {
  const p = planSecretRotation({ isDatabasePopulated: false, randomHex: counter(), ...input })
  return {
    ...p,
    after: parseDotenv(applyEditsToText(input.envText, p.edits)),
    text: applyEditsToText(input.envText, p.edits),
  }
}

describe('planSecretRotation: APP_KEY and API_KEY_PEPPER (§2.9)', () => {
  it('does nothing, and asks nothing about the database, when no secret is public', () => {
    const populated = vi.fn(() => true)
    const p = planSecretRotation({ envText: env(KEY, PEPPER), isDatabasePopulated: populated })
    expect(p.edits).toEqual([])
    expect(p.generated).toEqual([])
    expect(p.fernetCase).toBe('A')
    expect(populated).not.toHaveBeenCalled()
  })

  it.each([
    PLACEHOLDER_APP_KEY,
    LEAKED_KEY,
    '3daa0403ce2501ee7432b75bf100048e3cf510d63d2754f952729a991d8e2417',
  ])('always replaces a public APP_KEY (%s), even on a populated database', (value) => {
    const p = plan({ envText: env(value, PEPPER), isDatabasePopulated: true })
    expect(p.generated).toEqual(['APP_KEY'])
    expect(p.after.get('APP_KEY')).toMatch(/^[0-9a-f]{64}$/)
    expect(p.after.get('API_KEY_PEPPER')).toBe(PEPPER)
    expect(p.notices[0]).toMatchObject({
      code: 'secret_rotated',
      severity: 'warn',
      variable: 'APP_KEY',
    })
  })

  it('replaces both public values on an empty database, with distinct 64-hex values', () => {
    const p = plan({
      envText: env(PLACEHOLDER_APP_KEY, PLACEHOLDER_API_KEY_PEPPER),
      isDatabasePopulated: false,
    })
    expect(p.generated).toEqual(['APP_KEY', 'API_KEY_PEPPER'])
    const key = p.after.get('APP_KEY')
    const pepper = p.after.get('API_KEY_PEPPER')
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(pepper).toMatch(/^[0-9a-f]{64}$/)
    expect(key).not.toBe(pepper)
    expect(p.notices[0]).toMatchObject({
      severity: 'info',
      message: 'generated fresh APP_KEY and API_KEY_PEPPER in place of the public sample values',
    })
  })

  it.each([PLACEHOLDER_API_KEY_PEPPER, LEAKED_PEPPER])(
    'keeps a public pepper (%s) when a user exists: replacing it would lock them out',
    (value) => {
      const p = plan({ envText: env(PLACEHOLDER_APP_KEY, value), isDatabasePopulated: () => true })
      expect(p.generated).toEqual(['APP_KEY'])
      expect(p.after.get('API_KEY_PEPPER')).toBe(value)
    },
  )

  it('asks about the database once, lazily', () => {
    const populated = vi.fn(() => false)
    planSecretRotation({
      envText: env(PLACEHOLDER_APP_KEY, PLACEHOLDER_API_KEY_PEPPER),
      isDatabasePopulated: populated,
    })
    expect(populated).toHaveBeenCalledTimes(1)
  })
})

describe('planSecretRotation: FERNET_SALT cases (§2.10)', () => {
  it('A: leaves a valid salt on the line after the pepper alone', () => {
    expect(plan({ envText: env(KEY, PEPPER) }).fernetCase).toBe('A')
  })

  it('B: moves a valid salt next to the pepper and keeps its value', () => {
    const text = `FERNET_SALT = '${SALT}'\n${env(KEY, PEPPER, null)}`
    const p = plan({ envText: text })
    expect(p.fernetCase).toBe('B')
    expect(p.generated).toEqual([])
    expect(p.after.get('FERNET_SALT')).toBe(SALT)
    expect(isPlacedAfter(p.text, 'FERNET_SALT', 'API_KEY_PEPPER')).toBe(true)
    expect(p.text.match(/FERNET_SALT/g)).toHaveLength(1)
    expect(p.migrateFernetFromLegacySalt).toBe(false)
  })

  it('C: replaces the placeholder next to the pepper with 32 hex characters and asks for migration', () => {
    const p = plan({ envText: env(KEY, PEPPER, `FERNET_SALT = '${PLACEHOLDER_FERNET_SALT}'`) })
    expect(p.fernetCase).toBe('C')
    expect(p.generated).toEqual(['FERNET_SALT'])
    expect(p.after.get('FERNET_SALT')).toMatch(/^[0-9a-f]{32}$/)
    expect(p.migrateFernetFromLegacySalt).toBe(true)
  })

  it('C on a fresh install: all three secrets new and distinct, nothing to migrate', () => {
    const p = plan({
      envText: env(
        PLACEHOLDER_APP_KEY,
        PLACEHOLDER_API_KEY_PEPPER,
        `FERNET_SALT = '${PLACEHOLDER_FERNET_SALT}'`,
      ),
    })
    expect(p.generated).toEqual(['APP_KEY', 'API_KEY_PEPPER', 'FERNET_SALT'])
    const values = ['APP_KEY', 'API_KEY_PEPPER', 'FERNET_SALT'].map((k) => p.after.get(k))
    expect(new Set(values).size).toBe(3)
    expect(p.migrateFernetFromLegacySalt).toBe(false)
  })

  it('D: inserts a new salt after the pepper when none exists and legacy ciphertext decrypts', () => {
    const probe = vi.fn(() => 'decrypts' as const)
    const p = plan({
      envText: env(KEY, PEPPER, null),
      isDatabasePopulated: true,
      probeLegacyCiphertext: probe,
    })
    expect(p.fernetCase).toBe('D')
    expect(probe).toHaveBeenCalledOnce()
    expect(isPlacedAfter(p.text, 'FERNET_SALT', 'API_KEY_PEPPER')).toBe(true)
    expect(p.after.get('FERNET_SALT')).toMatch(/^[0-9a-f]{32}$/)
    expect(p.migrateFernetFromLegacySalt).toBe(true)
  })

  it.each([
    ['an invalid value', "FERNET_SALT = 'nothex'"],
    ['the placeholder on the wrong line', `\nFERNET_SALT = '${PLACEHOLDER_FERNET_SALT}'`],
  ])('D: replaces %s, leaving exactly one FERNET_SALT line', (_label, line) => {
    const text = `${env(KEY, PEPPER, null)}${line}\n`
    const p = plan({ envText: text, probeLegacyCiphertext: () => 'none' })
    expect(p.fernetCase).toBe('D')
    expect(p.text.match(/FERNET_SALT/g)).toHaveLength(1)
    expect(isPlacedAfter(p.text, 'FERNET_SALT', 'API_KEY_PEPPER')).toBe(true)
  })

  it('D without a probe on an empty database: nothing can be lost', () => {
    expect(plan({ envText: env(KEY, PEPPER, null), isDatabasePopulated: false }).fernetCase).toBe(
      'D',
    )
  })

  it('D without probing when the pepper was just generated: nothing is encrypted yet', () => {
    const probe = vi.fn(() => 'undecryptable' as const)
    const p = plan({
      envText: env(KEY, PLACEHOLDER_API_KEY_PEPPER, null),
      probeLegacyCiphertext: probe,
    })
    expect(p.fernetCase).toBe('D')
    expect(probe).not.toHaveBeenCalled()
  })

  it('E: refuses when stored ciphertext does not decrypt with the legacy salt', () => {
    const p = plan({
      envText: env(KEY, PEPPER, null),
      isDatabasePopulated: true,
      probeLegacyCiphertext: () => 'undecryptable',
    })
    expect(p.fernetCase).toBe('E')
    expect(p.edits).toEqual([])
    expect(p.blocked).toMatchObject({
      code: 'fernet_salt_lost',
      variable: 'FERNET_SALT',
      found: '(missing)',
    })
    expect(p.blocked?.fix).toMatch(/^Restore the previous FERNET_SALT/)
  })

  it('leaves a missing salt alone on a populated database when no probe is given', () => {
    const p = plan({ envText: env(KEY, PEPPER, null), isDatabasePopulated: true })
    expect(p.fernetCase).toBe('undecided')
    expect(p.edits).toEqual([])
    expect(p.notices[0]).toMatchObject({ code: 'fernet_salt_undecided', severity: 'warn' })
  })

  it('skips the salt while the pepper is missing or too short', () => {
    expect(plan({ envText: env(KEY, 'short', null) }).fernetCase).toBe('skipped')
    expect(plan({ envText: "APP_KEY='x'\n" }).fernetCase).toBe('skipped')
  })

  it('keeps CRLF line endings in every edit', () => {
    const text = env(PLACEHOLDER_APP_KEY, PLACEHOLDER_API_KEY_PEPPER, null).replace(/\n/g, '\r\n')
    const p = plan({ envText: text })
    expect(p.text.replace(/\r\n/g, '')).not.toContain('\n')
    expect(p.after.get('FERNET_SALT')).toMatch(/^[0-9a-f]{32}$/)
  })
})
