// The file side of env-check: reading `.env` / `.sample.env`, creating `.env` on first run,
// applying the rotation plan with an atomic write. This package is the one place allowed to read
// files for configuration.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { replaceFileContent, type AtomicWriteIo, type WriteMethod } from './atomic-write.js'
import { checkEnv, knownVariableNames, mergeSources } from './check-env.js'
import { parseDotenv, parseDotenvDetailed } from './dotenv.js'
import { applyEditsToText, type EnvEdit } from './env-edits.js'
import { planSecretRotation, type GeneratedSecret, type LegacyCiphertextState } from './rotation.js'
import { parseSqliteUrl, resolveSqlitePath } from './storage.js'
import type { EnvCheckResult, EnvProblem, EnvWarning } from './types.js'

export interface LoadEnvOptions {
  /** directory holding `.env` and `.sample.env`; base of relative OA_DATA_DIR and LOG_DIR */
  readonly rootDir: string
  /** the real process environment; its values override the file */
  readonly processEnv: Readonly<Record<string, string | undefined>>
  /** path of the env file, default `<rootDir>/.env` */
  readonly envFile?: string
  /** path of the template, default `<rootDir>/.sample.env` */
  readonly sampleFile?: string
}

function errCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? 'unknown error'
}

type ReadOutcome = { text: string } | { missing: true } | { error: string }

function readText(path: string): ReadOutcome {
  try {
    return { text: readFileSync(path, 'utf8') }
  } catch (error) {
    return errCode(error) === 'ENOENT' ? { missing: true } : { error: errCode(error) }
  }
}

/**
 * Reads `.env` (python-dotenv syntax) and `.sample.env`, overlays the process environment (it
 * wins, including empty values) and validates everything with {@link checkEnv}. Never throws for
 * bad configuration; an unreadable `.env` is a problem too.
 */
export function loadEnv(opts: LoadEnvOptions): EnvCheckResult {
  const envFile = opts.envFile ?? join(opts.rootDir, '.env')
  const sampleFile = opts.sampleFile ?? join(opts.rootDir, '.sample.env')
  const env = readText(envFile)
  if ('error' in env) {
    return {
      ok: false,
      problems: [
        {
          code: 'env_file_unreadable',
          variable: '.env',
          found: envFile,
          message: `could not be read (${env.error})`,
          fix: 'Make it readable by the user running oa, e.g. chmod 600 .env and chown it to that user.',
        },
      ],
      warnings: [],
    }
  }
  const sample = readText(sampleFile)
  const parsed = 'text' in env ? parseDotenvDetailed(env.text) : null
  return checkEnv({
    rootDir: opts.rootDir,
    fileVars: parsed?.vars ?? null,
    fileSyntaxErrors: parsed?.errors ?? [],
    processEnv: opts.processEnv,
    sampleText: 'text' in sample ? sample.text : null,
  })
}

/** How {@link applyEnvEdits} wrote the file, or `unchanged` when the edits changed nothing. */
export type ApplyEnvEditsResult = { readonly method: WriteMethod | 'unchanged' }

/**
 * Applies edits to the `.env` at `path` and replaces it atomically (temp file mode 0600, fsync,
 * rename), preserving its line endings; falls back to an in-place write when the directory is not
 * writable or `.env` is a bind-mounted single file. Throws the write error when both fail.
 */
export function applyEnvEdits(
  path: string,
  edits: readonly EnvEdit[],
  options: { io?: AtomicWriteIo } = {},
): ApplyEnvEditsResult {
  const before = readFileSync(path, 'utf8')
  const after = applyEditsToText(before, edits)
  if (after === before) return { method: 'unchanged' }
  return { method: replaceFileContent(path, after, options.io ? { io: options.io } : {}) }
}

export interface EnsureEnvFileOptions {
  /** directory holding `.env` and `.sample.env` */
  readonly rootDir: string
  /** path of the env file, default `<rootDir>/.env` */
  readonly envFile?: string
  /** path of the template, default `<rootDir>/.sample.env` */
  readonly sampleFile?: string
  /** `bytes` random bytes as hex; default node:crypto */
  readonly randomHex?: (bytes: number) => string
  /**
   * The process environment. A new `.env` takes the value of every `.sample.env` variable set
   * here (Docker / cloud first run), except ENV_CONFIG_VERSION, which always comes from the sample.
   */
  readonly processEnv?: Readonly<Record<string, string | undefined>>
  /**
   * Whether the main database has at least one user. Default: whether its file exists (an existing
   * file counts as populated, so the pepper is kept when in doubt).
   */
  readonly isDatabasePopulated?: (mainDbPath: string) => boolean
  /** FERNET_SALT case D/E probe; see {@link planSecretRotation} */
  readonly probeLegacyCiphertext?: (context: {
    /** the resolved main database file */
    readonly mainDbPath: string
    /** API_KEY_PEPPER as configured (file, overridden by the process environment) */
    readonly pepper: string
  }) => LegacyCiphertextState
}

export interface EnsureEnvFileResult {
  readonly path: string
  /** true when `.env` did not exist and was written from `.sample.env` */
  readonly created: boolean
  /** names of the variables that received fresh random values */
  readonly generated: readonly GeneratedSecret[]
  /** sample variables whose values were taken from the process environment (first run only) */
  readonly copiedFromEnvironment: readonly string[]
  /** true when stored secrets must be re-encrypted from the legacy salt to the new FERNET_SALT */
  readonly migrateFernetFromLegacySalt: boolean
  /** what was done (or left undone) for the operator; never contains a secret */
  readonly notices: readonly EnvWarning[]
  /** reasons startup must stop: `.env` could not be written with fresh secrets, or a lost salt */
  readonly problems: readonly EnvProblem[]
}

function sampleVariableNames(sampleText: string): Set<string> {
  const names = new Set(parseDotenv(sampleText).keys())
  for (const m of sampleText.matchAll(
    /^[ \t]*#[ \t]*(?:export[ \t]+)?([A-Z][A-Z0-9_]*)[ \t]*=/gm,
  )) {
    if (m[1]) names.add(m[1])
  }
  return names
}

function mainDbPath(
  rootDir: string,
  text: string,
  processEnv: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const raw = mergeSources(parseDotenv(text), processEnv)
  const url = parseSqliteUrl(raw['DATABASE_URL'] ?? 'sqlite:///db/openalgo.db')
  if (!url.ok) return undefined
  return resolveSqlitePath(url.value, resolve(rootDir, raw['OA_DATA_DIR'] ?? 'db'))
}

/**
 * First-run setup and secret rotation (platform.md §2.9, §2.10, §9.4). When `.env` is missing it
 * is written from `.sample.env` (mode 0600) with fresh APP_KEY, API_KEY_PEPPER (32 random bytes,
 * hex) and FERNET_SALT (16 bytes, hex), taking sample variables present in `processEnv`. When it
 * exists, public secrets in it are replaced per {@link planSecretRotation}. Failures come back as
 * `problems`; it does not throw for them.
 */
export function ensureEnvFile(opts: EnsureEnvFileOptions): EnsureEnvFileResult {
  const path = opts.envFile ?? join(opts.rootDir, '.env')
  const sampleFile = opts.sampleFile ?? join(opts.rootDir, '.sample.env')
  const processEnv = opts.processEnv ?? {}
  const base = {
    path,
    created: false,
    generated: [] as GeneratedSecret[],
    copiedFromEnvironment: [] as string[],
    migrateFernetFromLegacySalt: false,
    notices: [] as EnvWarning[],
    problems: [] as EnvProblem[],
  }
  const existing = readText(path)
  if ('error' in existing) {
    return {
      ...base,
      problems: [
        {
          code: 'env_file_unreadable',
          variable: '.env',
          found: path,
          message: `could not be read (${existing.error})`,
          fix: 'Make it readable by the user running oa, e.g. chmod 600 .env and chown it to that user.',
        },
      ],
    }
  }

  // The original image ships an empty /app/.env and start.sh treats it as missing (§9.1, §9.3).
  if ('missing' in existing || existing.text.trim() === '')
    return createEnvFile(opts, path, sampleFile, processEnv, base)

  const populated = (): boolean => {
    const db = mainDbPath(opts.rootDir, existing.text, processEnv)
    if (db === undefined) return true
    return opts.isDatabasePopulated ? opts.isDatabasePopulated(db) : existsSync(db)
  }
  const probe = opts.probeLegacyCiphertext
  const plan = planSecretRotation({
    envText: existing.text,
    isDatabasePopulated: populated,
    ...(probe
      ? {
          probeLegacyCiphertext: (): LegacyCiphertextState => {
            const db = mainDbPath(opts.rootDir, existing.text, processEnv)
            if (db === undefined || !existsSync(db)) return 'none'
            const pepper =
              mergeSources(parseDotenv(existing.text), processEnv)['API_KEY_PEPPER'] ?? ''
            return probe({ mainDbPath: db, pepper })
          },
        }
      : {}),
    ...(opts.randomHex ? { randomHex: opts.randomHex } : {}),
  })
  const problems: EnvProblem[] = plan.blocked ? [plan.blocked] : []
  if (plan.edits.length === 0) return { ...base, notices: [...plan.notices], problems }

  try {
    applyEnvEdits(path, plan.edits)
  } catch (error) {
    const code = errCode(error)
    const keyRotation = plan.generated.some((g) => g !== 'FERNET_SALT')
    if (!keyRotation) {
      return {
        ...base,
        problems,
        notices: [
          {
            code: 'fernet_salt_write_failed',
            severity: 'warn',
            variable: 'FERNET_SALT',
            message: `could not be written to ${path} (${code}); continuing with the legacy static salt until .env is writable (Docker: the oa image runs as uid 10001, so chown 10001:10001 .env && chmod 600 .env)`,
          },
        ],
      }
    }
    const pepperKept = !plan.generated.includes('API_KEY_PEPPER')
    problems.push({
      code: 'env_write_failed',
      variable: '.env',
      found: `${path} (${code})`,
      message: `holds a publicly known ${plan.generated.filter((g) => g !== 'FERNET_SALT').join(' and ')} but could not be rewritten`,
      fix: pepperKept
        ? `Replace only APP_KEY by hand with the output of node -e "console.log(require('crypto').randomBytes(32).toString('hex'))" and restart; do NOT change API_KEY_PEPPER on an install with users.`
        : `This install has no users yet: replace APP_KEY and API_KEY_PEPPER by hand, each with the output of node -e "console.log(require('crypto').randomBytes(32).toString('hex'))", or make .env writable and restart.`,
    })
    return { ...base, problems }
  }
  return {
    ...base,
    generated: [...plan.generated],
    migrateFernetFromLegacySalt: plan.migrateFernetFromLegacySalt,
    notices: [...plan.notices],
    problems,
  }
}

function createEnvFile(
  opts: EnsureEnvFileOptions,
  path: string,
  sampleFile: string,
  processEnv: Readonly<Record<string, string | undefined>>,
  base: EnsureEnvFileResult,
): EnsureEnvFileResult {
  const sample = readText(sampleFile)
  if (!('text' in sample)) {
    return {
      ...base,
      problems: [
        {
          code: 'env_file_missing',
          variable: '.sample.env',
          found: 'error' in sample ? `${sampleFile} (${sample.error})` : '(missing)',
          message: 'is needed to create .env on first run but could not be read',
          fix: 'Restore it from the repository (git checkout -- .sample.env), or write .env yourself.',
        },
      ],
    }
  }

  // §9.4: the Docker/cloud path passes settings as environment variables; write them down so the
  // next start without them sees the same configuration. ENV_CONFIG_VERSION always comes from the
  // sample (the original's generator wrote a stale one, W-33).
  const listed = sampleVariableNames(sample.text)
  const known = new Set<string>(knownVariableNames())
  const copied: string[] = []
  const overlay: EnvEdit[] = []
  for (const name of listed) {
    const value = processEnv[name]
    if (value === undefined || name === 'ENV_CONFIG_VERSION' || !known.has(name)) continue
    overlay.push({ op: 'set', variable: name, value })
    copied.push(name)
  }
  const text = applyEditsToText(sample.text, overlay)
  const plan = planSecretRotation({
    envText: text,
    // a new .env has no secret worth keeping: generate all of them
    isDatabasePopulated: false,
    ...(opts.randomHex ? { randomHex: opts.randomHex } : {}),
  })
  const content = applyEditsToText(text, plan.edits)
  try {
    replaceFileContent(path, content)
  } catch (error) {
    return {
      ...base,
      problems: [
        {
          code: 'env_write_failed',
          variable: '.env',
          found: `${path} (${errCode(error)})`,
          message: 'does not exist and could not be created from .sample.env',
          fix: 'Make the directory writable by the user running oa, or copy .sample.env to .env yourself.',
        },
      ],
    }
  }

  const notices: EnvWarning[] = [
    {
      code: 'env_file_created',
      severity: 'info',
      variable: null,
      message: `no .env found: wrote ${path} from .sample.env with fresh random ${plan.generated.join(', ')}${copied.length > 0 ? ` and ${copied.length} value${copied.length === 1 ? '' : 's'} from the process environment (${copied.join(', ')})` : ''}; back this file up, it holds your secrets`,
    },
  ]
  const db = mainDbPath(opts.rootDir, content, processEnv)
  const dbInUse =
    db !== undefined && (opts.isDatabasePopulated ? opts.isDatabasePopulated(db) : existsSync(db))
  if (dbInUse) {
    notices.push({
      code: 'env_file_created',
      severity: 'warn',
      variable: 'API_KEY_PEPPER',
      message: `a new .env was written while the database ${db ?? ''} already exists: passwords and tokens stored there need the old API_KEY_PEPPER and FERNET_SALT; restore both from your .env backup if you have one`,
    })
  }
  return {
    ...base,
    created: true,
    generated: [...plan.generated],
    copiedFromEnvironment: copied,
    migrateFernetFromLegacySalt: plan.migrateFernetFromLegacySalt,
    notices,
  }
}
