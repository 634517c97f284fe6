import type { EnvWarning } from './types.js'

// spec: platform.md §2.8, never interactive (W-33): an outdated .env is a warning, not an exit.

/** `1.0.7` → [1, 0, 7]; undefined when a part is not an integer. */
export function parseConfigVersion(text: string): number[] | undefined {
  const parts = text.trim().split('.')
  if (parts.some((p) => !/^\d+$/.test(p.trim()))) return undefined
  return parts.map((p) => Number(p.trim()))
}

/** Tuple comparison as Python does it: element by element, a shorter prefix sorts first. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

/**
 * Compares the `.env`'s ENV_CONFIG_VERSION (undefined when absent) with `.sample.env`'s (undefined
 * when the sample has none) and says what the operator should know. Equal versions say nothing.
 */
export function checkConfigVersion(
  envVersion: string | undefined,
  sampleVersion: string | undefined,
): EnvWarning[] {
  const variable = 'ENV_CONFIG_VERSION'
  const trimmed = envVersion?.trim() ?? ''
  if (trimmed === '') {
    return [
      {
        code: 'config_version_missing',
        severity: 'warn',
        variable,
        message:
          'no version found in your .env; it may be missing newer settings: compare it with .sample.env and copy ENV_CONFIG_VERSION from there',
      },
    ]
  }
  if (sampleVersion === undefined || sampleVersion.trim() === '') return []
  const env = parseConfigVersion(trimmed)
  const sample = parseConfigVersion(sampleVersion)
  if (!env || !sample) {
    return [
      {
        code: 'config_version_unparsable',
        severity: 'warn',
        variable,
        message: `could not compare versions (.env ${JSON.stringify(trimmed)}, .sample.env ${JSON.stringify(sampleVersion.trim())}); use dotted numbers such as 1.0.7`,
      },
    ]
  }
  const order = compareVersions(env, sample)
  if (order < 0) {
    return [
      {
        code: 'config_version_outdated',
        severity: 'warn',
        variable,
        message: `your .env is version ${trimmed} but .sample.env is ${sampleVersion.trim()}: back up .env, add the variables that are new in .sample.env, then set ENV_CONFIG_VERSION = '${sampleVersion.trim()}'. Never copy .sample.env over .env: API_KEY_PEPPER and FERNET_SALT cannot be recovered (APP_KEY is safe to change)`,
      },
    ]
  }
  if (order > 0) {
    return [
      {
        code: 'config_version_newer',
        severity: 'info',
        variable,
        message: `your .env version (${trimmed}) is newer than .sample.env (${sampleVersion.trim()})`,
      },
    ]
  }
  return []
}
