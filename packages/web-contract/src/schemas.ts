import { z } from 'zod'

/**
 * Money on the wire between the server and the web app: integer 1/10,000 rupee (STYLE.md §8),
 * signed (P&L goes negative). The browser formats it; it never does float maths on it.
 */
export const inr4 = z.number().int().refine(Number.isSafeInteger, 'amount out of range')

const qty = z.number().int()

export const EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX', 'NCDEX'] as const
export const ACTIONS = ['BUY', 'SELL'] as const
export const PRICE_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const
export const PRODUCTS = ['CNC', 'NRML', 'MIS'] as const

/** Every session route answers this envelope on success. */
export function successOf<T extends z.ZodType>(data: T) {
  return z.object({ status: z.literal('success'), data })
}

/**
 * The error envelope (OpenAlgo's `{status, message}`) with oa's `code`:
 * `session_expired` (401: log in again), `broker_not_connected` (401: go to /broker),
 * `not_available` (503: that part of the server has not landed in this build), `invalid_input`
 * (400), `reauth_required` (401), `upstream` (the broker or sandbox said no; its message).
 */
export const errorBody = z.object({
  status: z.literal('error'),
  message: z.string(),
  code: z.string().optional(),
  error: z.string().optional(),
})
export type ErrorBody = z.infer<typeof errorBody>

// ── session and identity (the identity area's routes, read by the web app) ──

export const checkSetup = z.object({ status: z.string(), needs_setup: z.boolean() })
export const csrfToken = z.object({ csrf_token: z.string() })

/** `GET /auth/session-status`: never carries the API key (W-18). */
export const sessionStatus = z.object({
  status: z.string(),
  authenticated: z.boolean(),
  logged_in: z.boolean(),
  user: z.string().optional(),
  broker: z.string().nullable().optional(),
  broker_session_expired: z.boolean().optional(),
  has_api_key: z.boolean().optional(),
  active_sessions: z.number().optional(),
})
export type SessionStatus = z.infer<typeof sessionStatus>

/** `POST /auth/login`, `/auth/login/totp`, `/setup` (JSON): the original's shapes. */
export const loginReply = z.object({
  status: z.enum(['success', 'error', 'totp_required']),
  message: z.string().optional(),
  redirect: z.string().optional(),
  csrf_token: z.string().optional(),
  error: z.string().optional(),
  totp: z.object({ secret: z.string(), uri: z.string() }).optional(),
})
export type LoginReply = z.infer<typeof loginReply>

export const apiKeyMeta = z.object({
  status: z.literal('success'),
  login_username: z.string(),
  has_api_key: z.boolean(),
  created_at: z.string().nullable(),
  order_mode: z.enum(['auto', 'semi_auto']),
})
export type ApiKeyMeta = z.infer<typeof apiKeyMeta>

export const apiKeyReveal = z.object({
  status: z.literal('success'),
  api_key: z.string(),
  message: z.string().optional(),
})

// ── `/ui/api/*`: the web app's session routes ──

/** `GET /ui/api/me`: who, which broker, the mode, and where the feed is. */
export const me = z.object({
  user: z.string(),
  broker: z.string().nullable(),
  /** the broker REDIRECT_URL names (the one `/broker` offers), null when not configured */
  configuredBroker: z.string().nullable(),
  mode: z.enum(['live', 'analyze']),
  hostServer: z.string(),
  websocketUrl: z.string(),
  version: z.string(),
  /**
   * whether order and portfolio changes are pushed on `/ui/api/events` in this build (the
   * event bus has landed); when false the web app polls the books every few seconds instead
   */
  orderEvents: z.boolean(),
})
export type Me = z.infer<typeof me>

export const funds = z.object({
  availableCashE4: inr4,
  collateralE4: inr4,
  m2mUnrealizedE4: inr4,
  m2mRealizedE4: inr4,
  utilisedDebitsE4: inr4,
})
export type Funds = z.infer<typeof funds>

export const ORDER_STATUSES = [
  'open',
  'trigger_pending',
  'complete',
  'rejected',
  'cancelled',
  'expired',
] as const

export const orderRow = z.object({
  orderId: z.string(),
  symbol: z.string(),
  exchange: z.string(),
  action: z.enum(ACTIONS),
  quantity: qty,
  filledQuantity: qty,
  priceE4: inr4,
  triggerPriceE4: inr4,
  averagePriceE4: inr4,
  priceType: z.string(),
  product: z.string(),
  /** one of {@link ORDER_STATUSES}, or the broker's own word */
  status: z.string(),
  rejectionReason: z.string(),
  /** ISO-8601 with the IST offset (W-24: the browser never parses broker formats) */
  time: z.string(),
})
export type OrderRow = z.infer<typeof orderRow>

export const orderBook = z.object({
  orders: z.array(orderRow),
  statistics: z.object({
    buyOrders: qty,
    sellOrders: qty,
    completed: qty,
    open: qty,
    rejected: qty,
  }),
})
export type OrderBook = z.infer<typeof orderBook>

export const tradeRow = z.object({
  orderId: z.string(),
  symbol: z.string(),
  exchange: z.string(),
  product: z.string(),
  action: z.enum(ACTIONS),
  quantity: qty,
  averagePriceE4: inr4,
  tradeValueE4: inr4,
  time: z.string(),
})
export type TradeRow = z.infer<typeof tradeRow>
export const tradeBook = z.object({ trades: z.array(tradeRow) })
export type TradeBook = z.infer<typeof tradeBook>

export const positionRow = z.object({
  symbol: z.string(),
  exchange: z.string(),
  product: z.string(),
  /** signed: negative is short */
  quantity: qty,
  averagePriceE4: inr4,
  ltpE4: inr4,
  pnlE4: inr4,
  /** realised today on this row (sandbox rows carry it) */
  realizedPnlE4: inr4,
})
export type PositionRow = z.infer<typeof positionRow>
export const positionBook = z.object({ positions: z.array(positionRow) })
export type PositionBook = z.infer<typeof positionBook>

export const holdingRow = z.object({
  symbol: z.string(),
  exchange: z.string(),
  product: z.string(),
  quantity: qty,
  averagePriceE4: inr4,
  ltpE4: inr4,
  pnlE4: inr4,
  /** basis points of the investment (1234 = 12.34 %) */
  pnlBps: z.number().int(),
})
export type HoldingRow = z.infer<typeof holdingRow>
export const holdings = z.object({
  holdings: z.array(holdingRow),
  statistics: z.object({
    totalHoldingValueE4: inr4,
    totalInvestmentValueE4: inr4,
    totalPnlE4: inr4,
    totalPnlBps: z.number().int(),
  }),
})
export type Holdings = z.infer<typeof holdings>

export const MASTER_CONTRACT_STATES = [
  'unknown',
  'pending',
  'downloading',
  'success',
  'error',
] as const
export const masterContract = z.object({
  status: z.enum(MASTER_CONTRACT_STATES),
  message: z.string(),
  broker: z.string().nullable(),
  totalSymbols: qty,
  /** ISO-8601, null before the first download */
  lastDownloadedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  exchanges: z.record(z.string(), qty),
  /** 0–100 while downloading */
  progressPercent: z.number().nullable(),
})
export type MasterContract = z.infer<typeof masterContract>

export const marketStatus = z.object({
  /** exchange → open now (IST calendar) */
  exchanges: z.array(z.object({ exchange: z.string(), open: z.boolean(), session: z.string() })),
  /** ISO-8601 IST of the server's clock */
  now: z.string(),
})
export type MarketStatus = z.infer<typeof marketStatus>

export const analyzerMode = z.object({ mode: z.enum(['live', 'analyze']) })
export type AnalyzerMode = z.infer<typeof analyzerMode>
export const analyzerToggleInput = z.object({ mode: z.enum(['live', 'analyze']) })

export const analyzerEntry = z.object({
  id: z.number(),
  /** ISO-8601 IST */
  time: z.string(),
  apiType: z.string(),
  source: z.string(),
  symbol: z.string().nullable(),
  exchange: z.string().nullable(),
  action: z.string().nullable(),
  quantity: z.number().nullable(),
  priceType: z.string().nullable(),
  product: z.string().nullable(),
  orderId: z.string().nullable(),
  ok: z.boolean(),
  issue: z.string().nullable(),
  request: z.unknown(),
  response: z.unknown(),
})
export type AnalyzerEntry = z.infer<typeof analyzerEntry>
export const analyzerLog = z.object({
  stats: z.object({
    totalRequests: qty,
    issues: qty,
    symbols: z.array(z.string()),
    sources: z.array(z.string()),
  }),
  requests: z.array(analyzerEntry),
})
export type AnalyzerLog = z.infer<typeof analyzerLog>
export const dateRangeQuery = z.object({
  /** YYYY-MM-DD IST; empty = today */
  start: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  end: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
})

export const trafficEntry = z.object({
  id: z.number(),
  time: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  durationMs: z.number(),
  clientIp: z.string(),
})
export const loginEntry = z.object({
  id: z.number(),
  time: z.string(),
  username: z.string(),
  ip: z.string(),
  status: z.string(),
  loginType: z.string(),
  broker: z.string().nullable(),
  device: z.string(),
})
export const logs = z.object({
  traffic: z.array(trafficEntry),
  logins: z.array(loginEntry),
  stats: z.object({ totalRequests: qty, errorRequests: qty, avgDurationMs: z.number() }),
})
export type Logs = z.infer<typeof logs>

/** Prices as decimal text, as the original's forms send them (STYLE.md §7: no float parsing). */
const priceText = z
  .string()
  .trim()
  .regex(/^\d+(\.\d{1,4})?$/, 'price must be a non-negative number with at most 4 decimals')

export const placeOrderInput = z.object({
  symbol: z.string().trim().min(1, 'symbol is required'),
  exchange: z.enum(EXCHANGES),
  action: z.enum(ACTIONS),
  quantity: z.number().int().positive('quantity must be greater than 0'),
  priceType: z.enum(PRICE_TYPES),
  product: z.enum(PRODUCTS),
  price: priceText.default('0'),
  triggerPrice: priceText.default('0'),
})
export type PlaceOrderInput = z.input<typeof placeOrderInput>

export const modifyOrderInput = placeOrderInput.extend({ orderId: z.string().min(1) })
export type ModifyOrderInput = z.input<typeof modifyOrderInput>
export const cancelOrderInput = z.object({ orderId: z.string().min(1) })
export const closePositionInput = z.object({
  symbol: z.string().min(1),
  exchange: z.string().min(1),
  product: z.string().min(1),
})
export type ClosePositionInput = z.infer<typeof closePositionInput>

export const actionReply = z.object({ message: z.string(), orderId: z.string().nullable() })
export type ActionReply = z.infer<typeof actionReply>

export const quotesInput = z.object({
  symbols: z.array(z.object({ exchange: z.string().min(1), symbol: z.string().min(1) })).max(200),
})
export const quotes = z.object({
  quotes: z.array(z.object({ exchange: z.string(), symbol: z.string(), ltpE4: inr4 })),
})
export type Quotes = z.infer<typeof quotes>

export const feedTokenReply = z.object({
  token: z.string(),
  expiresAtMs: z.number(),
  websocketUrl: z.string(),
})
export type FeedTokenReply = z.infer<typeof feedTokenReply>

export const totpStatus = z.object({
  enabled: z.boolean(),
  requiredForLogin: z.boolean(),
  requiredForPasswordReset: z.boolean(),
})
export type TotpStatus = z.infer<typeof totpStatus>
/** Reveal the TOTP secret to enrol an authenticator: password re-entry required (WS-5). */
export const totpSecretReply = z.object({ secret: z.string(), uri: z.string() })
export const totpConfigureInput = z.object({
  code: z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.'),
  enabled: z.boolean(),
  requiredForLogin: z.boolean(),
  requiredForPasswordReset: z.boolean(),
})
export type TotpConfigureInput = z.infer<typeof totpConfigureInput>
