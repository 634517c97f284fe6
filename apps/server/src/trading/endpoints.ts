/**
 * The `/api/v1` order and account endpoints (api.md §7, §8, §11.1, §11.3): one definition each in
 * the framework of `api/endpoint.ts`, with the original's rate-limit group, error shape (Python
 * repr for order endpoints, the dict for books) and, in analyzer mode, `"mode":"analyze"` on
 * schema errors of order endpoints. Handlers only map wire names to service input, call the
 * service, and queue the analyzer log entry.
 */
import {
  defineEndpoint,
  type ApiReply,
  type ApiRequest,
  type Caller,
  type EndpointDefinition,
} from '../api/endpoint.js'
import type { AccountServices, MarginPositionInput } from '../services/account.js'
import type { AnalyzerServices } from '../services/analyzer.js'
import type { OrderInput, OrderServices } from '../services/orders.js'
import type { ServiceReply } from '../services/reply.js'
import type { AnalyzerLog } from './analyzer-log.js'
import {
  analyzerToggleInput,
  apikeyOnlyInput,
  basketOrderInput,
  inr4,
  marginInput,
  modifyOrderInput,
  openPositionInput,
  orderIdInput,
  placeOrderInput,
  smartOrderInput,
  splitOrderInput,
  strategyInput,
} from './schemas.js'

export interface TradingEndpointDeps {
  readonly orders: OrderServices
  readonly account: AccountServices
  readonly analyzer: AnalyzerServices
  readonly mode: { isOn(): boolean }
  readonly log: AnalyzerLog
  readonly clock: { now(): number }
  /** mount `/funds` too (default true); false where the market core serves it with our analyzer branch */
  readonly funds?: boolean
}

type Wire = {
  strategy?: string
  symbol: string
  exchange: string
  action: string
  quantity: number
  pricetype: OrderInput['priceType']
  product: OrderInput['product']
  price: number
  trigger_price: number
  disclosed_quantity: number
}

/** wire order fields → service input (action upper-cased as the original's services do) */
function orderInput(w: Wire, strategy: string): OrderInput {
  return {
    strategy,
    symbol: w.symbol,
    exchange: w.exchange,
    action: w.action.toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
    quantity: w.quantity,
    priceType: w.pricetype,
    product: w.product,
    price: inr4(w.price),
    triggerPrice: inr4(w.trigger_price),
    disclosedQuantity: w.disclosed_quantity,
  }
}

const orderPath = (p: string) => p
const TAG_ORDERS = ['orders']
const TAG_ACCOUNT = ['account']
const TAG_ANALYZER = ['analyzer']

export function tradingEndpoints(deps: TradingEndpointDeps): EndpointDefinition[] {
  const { orders, account, analyzer, mode, log, clock } = deps
  /** order endpoints answer schema errors with `"mode":"analyze"` in analyzer mode (api.md §4) */
  const analyzeExtra = (): Record<string, unknown> => (mode.isOn() ? { mode: 'analyze' } : {})

  /** the reply, queued for the analyzer log when the call was made in analyzer mode */
  const reply = (
    apiType: string,
    caller: Caller,
    request: unknown,
    wasAnalyze: boolean,
    r: ServiceReply,
  ): ApiReply => {
    if (wasAnalyze || mode.isOn()) {
      log.record({
        username: caller.username,
        apiType,
        request,
        response: r.body,
        atMs: clock.now(),
      })
    }
    return r
  }

  const call = async (
    apiType: string,
    caller: Caller,
    request: unknown,
    run: () => Promise<ServiceReply> | ServiceReply,
  ): Promise<ApiReply> => {
    const wasAnalyze = mode.isOn()
    return reply(apiType, caller, request, wasAnalyze, await run())
  }

  const idempotencyKey = (
    request: ApiRequest,
    fromBody: string | undefined,
  ): string | undefined => {
    if (fromBody !== undefined) return fromBody
    const header = request.header('idempotency-key')?.trim()
    return header === undefined || header === '' ? undefined : header.slice(0, 100)
  }

  return [
    defineEndpoint({
      method: 'post',
      path: orderPath('/placeorder'),
      summary: 'Place an order',
      description:
        'Places one order with the broker, or in the sandbox in analyzer mode. An optional `idempotency_key` (body) or `Idempotency-Key` header makes a retried request return the first order instead of placing another.',
      tags: TAG_ORDERS,
      rateLimit: 'order',
      errorShape: 'repr',
      auth: 'apikey',
      input: placeOrderInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }, request) =>
        call('placeorder', caller, w, () =>
          orders.placeOrder(caller, {
            ...orderInput(w, w.strategy),
            underlyingLtp:
              w.underlying_ltp === null || w.underlying_ltp <= 0
                ? undefined
                : inr4(w.underlying_ltp),
            idempotencyKey: idempotencyKey(request, w.idempotency_key),
          }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/placesmartorder',
      summary: 'Place a position-aware order',
      description:
        'Brings the net position of symbol/exchange/product to `position_size`, placing only the difference.',
      tags: TAG_ORDERS,
      rateLimit: 'smartOrder',
      errorShape: 'repr',
      auth: 'apikey',
      input: smartOrderInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('placesmartorder', caller, w, () =>
          orders.placeSmartOrder(caller, {
            ...orderInput(w, w.strategy),
            positionSize: Math.trunc(w.position_size),
          }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/basketorder',
      summary: 'Place a basket of orders',
      description:
        'Places every leg (BUY legs first); results come back in request order with an `index`.',
      tags: TAG_ORDERS,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: basketOrderInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('basketorder', caller, w, () =>
          orders.basketOrder(caller, {
            strategy: w.strategy,
            orders: w.orders.map((leg) => orderInput(leg, w.strategy)),
          }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/splitorder',
      summary: 'Split a large order',
      tags: TAG_ORDERS,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: splitOrderInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('splitorder', caller, w, () =>
          orders.splitOrder(caller, { ...orderInput(w, w.strategy), splitSize: w.splitsize }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/modifyorder',
      summary: 'Modify an open order',
      tags: TAG_ORDERS,
      rateLimit: 'order',
      errorShape: 'repr',
      auth: 'apikey',
      input: modifyOrderInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('modifyorder', caller, w, () =>
          orders.modifyOrder(caller, { ...orderInput(w, w.strategy), orderId: w.orderid }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/cancelorder',
      summary: 'Cancel an order',
      tags: TAG_ORDERS,
      rateLimit: 'order',
      errorShape: 'repr',
      auth: 'apikey',
      input: orderIdInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('cancelorder', caller, w, () =>
          orders.cancelOrder(caller, { strategy: w.strategy, orderId: w.orderid }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/cancelallorder',
      summary: 'Cancel every open order',
      description: 'Acts on the whole account; `strategy` is only a tag (W-27).',
      tags: TAG_ORDERS,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: strategyInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('cancelallorder', caller, w, () =>
          orders.cancelAllOrders(caller, { strategy: w.strategy }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/closeposition',
      summary: 'Square off every open position',
      description: 'Acts on the whole account; `strategy` is only a tag (W-27).',
      tags: TAG_ORDERS,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: strategyInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('closeposition', caller, w, () =>
          orders.closePosition(caller, { strategy: w.strategy }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/orderstatus',
      summary: 'Status of one order',
      tags: TAG_ORDERS,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: orderIdInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('orderstatus', caller, w, () =>
          orders.orderStatus(caller, { strategy: w.strategy, orderId: w.orderid }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/openposition',
      summary: 'Net quantity of one position',
      tags: TAG_ORDERS,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: openPositionInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('openposition', caller, w, () =>
          orders.openPosition(caller, {
            strategy: w.strategy,
            symbol: w.symbol,
            exchange: w.exchange,
            product: w.product,
          }),
        ),
    }),
    ...(
      [
        ['/orderbook', 'orderbook', 'Order book of the session', account.orderBook],
        ['/tradebook', 'tradebook', 'Trades of the session', account.tradeBook],
        ['/positionbook', 'positionbook', 'Positions', account.positionBook],
        ['/holdings', 'holdings', 'Holdings', account.holdings],
        ['/funds', 'funds', 'Funds and margin', account.funds],
      ] as const
    )
      .filter(([path]) => path !== '/funds' || deps.funds !== false)
      .map(([path, apiType, summary, run]) =>
        defineEndpoint({
          method: 'post',
          path,
          summary,
          tags: TAG_ACCOUNT,
          rateLimit: 'api',
          errorShape: 'object',
          auth: 'apikey',
          input: apikeyOnlyInput,
          handler: (w, { caller }) => call(apiType, caller, w, () => run(caller)),
        }),
      ),
    defineEndpoint({
      method: 'post',
      path: '/margin',
      summary: 'Margin of a basket of positions',
      tags: TAG_ACCOUNT,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: marginInput,
      schemaErrorExtra: analyzeExtra,
      handler: (w, { caller }) =>
        call('margin', caller, w, () =>
          account.margin(caller, {
            positions: w.positions.map((p): MarginPositionInput => ({
              symbol: p.symbol,
              exchange: p.exchange,
              action: p.action.toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
              quantity: p.quantity,
              product: p.product,
              priceType: p.pricetype,
              price: p.price,
              triggerPrice: p.trigger_price,
            })),
          }),
        ),
    }),
    defineEndpoint({
      method: 'post',
      path: '/analyzer',
      summary: 'Analyzer mode status',
      tags: TAG_ANALYZER,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: apikeyOnlyInput,
      handler: (w, { caller }) => call('analyzer_status', caller, w, () => analyzer.status(caller)),
    }),
    defineEndpoint({
      method: 'post',
      path: '/analyzer/toggle',
      summary: 'Switch analyzer mode',
      description:
        'Switches the installation-wide analyzer (sandbox) mode (W-28); every process follows within ~100 ms.',
      tags: TAG_ANALYZER,
      rateLimit: 'api',
      errorShape: 'repr',
      auth: 'apikey',
      input: analyzerToggleInput,
      handler: (w, { caller }) =>
        call('analyzer_toggle', caller, w, () => analyzer.toggle(caller, { mode: w.mode })),
    }),
  ]
}
