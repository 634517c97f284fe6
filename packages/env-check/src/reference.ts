// The environment reference (docs/environment.md) is generated from the schema, so the table can
// never drift from what is validated (W-39).
import { envRegistry, type VarGroup, type VarMeta } from './fields.js'
import { envSchema } from './schema.js'

/** What the reference table says about one variable. */
export interface EnvVariableInfo {
  readonly name: string
  readonly group: VarGroup
  readonly required: boolean
  /** the value used when unset; null = none (required, or optional with no default) */
  readonly default: string | null
  readonly rule: string
  readonly example: string
  readonly secret: boolean
}

/** Every variable the schema knows with its metadata, in schema order. */
export function listEnvVariables(): readonly EnvVariableInfo[] {
  return Object.values(envSchema.shape).map((schema) => {
    const meta: VarMeta | undefined = envRegistry.get(schema)
    if (!meta) throw new Error('every env schema field is registered with its metadata')
    return { ...meta }
  })
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|')
}

function code(text: string | null): string {
  if (text === null) return '—'
  if (text === '') return "`''`"
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``
}

/** OpenAlgo variables oa accepts in `.env` but does not read (kept so an old `.env` still loads). */
const NOT_READ: readonly (readonly [string, string])[] = [
  ['APP_MODE, PORT', 'process topology of the Python deployment; oa has its own supervisor'],
  [
    'ZMQ_HOST, ZMQ_PORT',
    'oa has no ZeroMQ bus; the ws-proxy talks to the server over a local channel',
  ],
  ['HISTORIFY_DATABASE_URL, HISTORIFY_DATABASE_PATH', 'DuckDB historical store (not part of oa)'],
  ['WS_PROXY_STATS_FILE', 'the Python proxy wrote stats to a file'],
  [
    'BROKER_USER_ID, BROKER_PASSWORD, BROKER_TOTP_SECRET and broker-specific extras',
    'read by the broker plugins that need them, not by env-check',
  ],
  [
    'MCP_*, OPENALGO_*, TELEGRAM_*, WHATSAPP_*, SMTP_KEY_SALT, FLOW_*, HISTORIFY_*, STRATEGY_LOG_*',
    'features oa does not have (yet)',
  ],
  ['FORCE_COLOR, NO_COLOR', 'standard meanings, read by the terminal libraries themselves'],
  [
    'STRATEGY_MEMORY_LIMIT_MB, *_NUM_THREADS, SHM_SIZE, NUMBA_*, LLVMLITE_TMPDIR',
    'Python runtime tuning',
  ],
]

/** Markdown of docs/environment.md. */
export function renderEnvReference(): string {
  const lines: string[] = [
    '# Environment variables',
    '',
    '<!-- Generated from packages/env-check/src/schema.ts by',
    '     `pnpm --filter @oa/env-check gen:docs`; do not edit by hand. -->',
    '',
    "Every variable oa reads, with OpenAlgo's names, so an existing OpenAlgo `.env` works. Values",
    'come from `.env` (python-dotenv syntax), and **the real process environment overrides `.env`**',
    '(the original did the opposite; oa logs which variables were overridden). `pnpm oa check-env`',
    'prints every problem at once, one line per variable; secret values are never printed.',
    '',
    '- **Required**: must be present; an empty value counts as present, as in the original.',
    '- **Default**: used when the variable is unset, and checked by the same rule.',
    '- Booleans accept the spellings the original reads the same way. A spelling it would silently',
    '  misread (`CSRF_ENABLED=yes` is *off* there, `ORDER_UPDATES_ENABLED=no` is *on*) is a problem here.',
    '- Secrets (marked 🔒) are shown as `(hidden, N chars)` in messages.',
    '',
  ]
  const vars = listEnvVariables()
  const groups = [...new Set(vars.map((v) => v.group))]
  for (const group of groups) {
    lines.push(`## ${group}`, '', '| Variable | Required | Default | Rule |', '|---|---|---|---|')
    for (const v of vars.filter((x) => x.group === group)) {
      lines.push(
        `| \`${v.name}\`${v.secret ? ' 🔒' : ''} | ${v.required ? 'yes' : ''} | ${cell(code(v.default))} | ${cell(v.rule)} |`,
      )
    }
    lines.push('')
  }
  lines.push(
    '## OpenAlgo variables oa does not read',
    '',
    'They may stay in `.env`; oa ignores them.',
    '',
    '| Variables | Why |',
    '|---|---|',
    ...NOT_READ.map(([names, why]) => `| ${cell(names)} | ${cell(why)} |`),
    '',
  )
  return lines.join('\n')
}
