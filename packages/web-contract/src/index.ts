/**
 * `@oa/web-contract`: the wire contract between `apps/server`'s session routes (`/ui/api/*`)
 * and the web app. Zod schemas and their types only, so the browser bundle can import it; the
 * server validates what it sends and receives with the same schemas. The feed-token signer is a
 * separate, Node-only door: `@oa/web-contract/feed-token`.
 *
 * @example
 * ```ts
 * import { orderBook, successOf } from '@oa/web-contract'
 * const reply = successOf(orderBook).parse(await (await fetch('/ui/api/orderbook')).json())
 * console.log(reply.data.orders.length)
 * ```
 */
export {
  ACTIONS,
  EXCHANGES,
  MASTER_CONTRACT_STATES,
  ORDER_STATUSES,
  PRICE_TYPES,
  PRODUCTS,
  actionReply,
  analyzerEntry,
  analyzerLog,
  analyzerMode,
  analyzerToggleInput,
  apiKeyMeta,
  apiKeyReveal,
  cancelOrderInput,
  checkSetup,
  closePositionInput,
  csrfToken,
  dateRangeQuery,
  errorBody,
  feedTokenReply,
  funds,
  holdingRow,
  holdings,
  inr4,
  loginEntry,
  loginReply,
  logs,
  marketStatus,
  masterContract,
  me,
  modifyOrderInput,
  orderBook,
  orderRow,
  placeOrderInput,
  positionBook,
  positionRow,
  quotes,
  quotesInput,
  sessionStatus,
  successOf,
  totpConfigureInput,
  totpSecretReply,
  totpStatus,
  tradeBook,
  tradeRow,
  trafficEntry,
} from './schemas.js'
export type {
  ActionReply,
  AnalyzerEntry,
  AnalyzerLog,
  AnalyzerMode,
  ApiKeyMeta,
  ClosePositionInput,
  ErrorBody,
  FeedTokenReply,
  Funds,
  HoldingRow,
  Holdings,
  LoginReply,
  Logs,
  MarketStatus,
  MasterContract,
  Me,
  ModifyOrderInput,
  OrderBook,
  OrderRow,
  PlaceOrderInput,
  PositionBook,
  PositionRow,
  Quotes,
  SessionStatus,
  TotpConfigureInput,
  TotpStatus,
  TradeBook,
  TradeRow,
} from './schemas.js'
export { parseWebEvent, webEvent } from './events.js'
export type { WebEvent, WebEventType } from './events.js'
