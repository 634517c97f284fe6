import { z } from 'zod'
import { EXCHANGES, exchangeSchema, intervalSchema } from './enums.js'
import type { Exchange, Interval } from './enums.js'

/** How a trader logs in (brokers.md §1.7); `none` is for offline brokers such as the simulator. */
export const AUTH_KINDS = [
  'oauth-redirect',
  'oauth-consent',
  'credentials-totp',
  'api-secret',
  'none',
] as const
/** One of {@link AUTH_KINDS}. */
export type AuthKind = (typeof AUTH_KINDS)[number]

const positiveInt = z.number().int().positive()

/** Request budgets of one broker account; every present limit is enforced at once. */
export const rateLimitSchema = z.object({
  perSecond: positiveInt.optional(),
  perMinute: positiveInt.optional(),
  perDay: positiveInt.optional(),
})
/** Request budgets of one broker account. */
export type RateLimit = z.infer<typeof rateLimitSchema>

/**
 * How `BROKER_API_KEY` is composed (brokers.md §3.8): named parts joined by a literal separator
 * (`client_id:::api_key`). `example` must parse, so the loader can self-test the format.
 */
export const apiKeyFormatSchema = z
  .object({
    parts: z.array(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/)).min(1),
    separator: z.string().min(1).default(':::'),
    example: z.string().min(1),
  })
  .refine((f) => f.example.split(f.separator).length === f.parts.length, {
    message: 'apiKeyFormat.example must have exactly one value per part',
  })
/** How `BROKER_API_KEY` is composed. */
export type ApiKeyFormat = z.infer<typeof apiKeyFormatSchema>

/** Streaming limits of the broker (streaming.md §1.9, §2.4, §2.5). */
export const streamingLimitsSchema = z.object({
  maxSymbolsPerConnection: positiveInt,
  maxConnections: positiveInt,
  subscribeBatchSize: positiveInt,
  /** depth levels available per exchange; exchanges not listed get `[5]` */
  depthLevels: z.partialRecord(exchangeSchema, z.array(positiveInt).min(1)).default({}),
  /** reconnect backoff (full jitter between 0 and min(cap, base × 2^attempt)) */
  reconnect: z
    .object({
      baseMs: positiveInt.default(2_000),
      capMs: positiveInt.default(60_000),
      maxAttempts: positiveInt.default(10),
      /** a session that stays up this long resets the attempt counter */
      healthyResetMs: positiveInt.default(60_000),
    })
    .prefault({}),
  /** no frame for this long while subscribed ⇒ the socket is presumed dead and replaced */
  stallTimeoutMs: positiveInt.default(90_000),
})
/** Streaming limits of the broker. */
export type StreamingLimits = z.infer<typeof streamingLimitsSchema>

/**
 * The static, JSON-serializable description of a broker package (brokers.md §1.1, §1.7). The
 * loader rejects a package whose manifest fails this schema.
 */
export const brokerManifestSchema = z
  .object({
    /** lowercase, no spaces: `zerodha`, `simulator` */
    id: z.string().regex(/^[a-z][a-z0-9]*$/, 'id must be lowercase letters and digits'),
    displayName: z.string().min(1),
    /** package version, semver */
    version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'version must be semver'),
    brokerType: z.enum(['IN_stock', 'crypto']),
    supportedExchanges: z.array(exchangeSchema).min(1),
    leverageConfig: z.boolean(),
    apiKeyFormat: apiKeyFormatSchema,
    auth: z.enum(AUTH_KINDS),
    /**
     * Named base URLs the broker talks to (`api`, `login`, `ws`, `master`…). Hosts may override
     * each one; tests point them all at the mock server.
     */
    endpoints: z.record(z.string(), z.url()),
    rateLimits: rateLimitSchema
      .extend({ byCategory: z.record(z.string(), rateLimitSchema).optional() })
      .default({}),
    /** the advertised history intervals (`/intervals`) */
    intervals: z.array(intervalSchema),
    /** longest range one history request may span, in days, per interval; absent ⇒ one request */
    historyChunkDays: z.partialRecord(intervalSchema, positiveInt).default({}),
    /** refuse history requests estimated to exceed this many candles (memory bound) */
    historyMaxCandles: positiveInt.default(300_000),
    /** instruments per batched quote request */
    quoteBatchSize: positiveInt,
    streaming: streamingLimitsSchema.optional(),
  })
  .superRefine((m, ctx) => {
    for (const key of Object.keys(m.historyChunkDays)) {
      if (!m.intervals.includes(key as Interval)) {
        ctx.addIssue({
          code: 'custom',
          path: ['historyChunkDays', key],
          message: `historyChunkDays has ${key}, which is not an advertised interval`,
        })
      }
    }
    if (new Set(m.supportedExchanges).size !== m.supportedExchanges.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['supportedExchanges'],
        message: 'supportedExchanges lists an exchange twice',
      })
    }
  })

/** The manifest as a broker author writes it (defaults not yet applied). */
export type BrokerManifestInput = z.input<typeof brokerManifestSchema>
/** The validated manifest, defaults applied. */
export type BrokerManifest = z.output<typeof brokerManifestSchema>

/** OA exchanges, re-exported for manifest authors who build `supportedExchanges` lists. */
export const ALL_EXCHANGES: readonly Exchange[] = EXCHANGES
