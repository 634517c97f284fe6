/**
 * The API area's mount: its `/api/v1` endpoints (market calendar, chart, notifications, GTT,
 * Greeks, and the options endpoints once the market-core and orders services are wired), the
 * OpenAPI document and docs page, and the request-log session routes.
 */
import type { DatabaseHandle, LatencyDatabase, LogsDatabase, MainDatabase } from '@oa/db'
import type { Hono } from 'hono'
import type { Clock } from '../clock.js'
import type { IdentityServices } from '../identity/identity.js'
import { apiDeps } from '../identity/mount.js'
import type { Logger } from '../logger.js'
import type { SecurityServices } from '../security/security.js'
import { createAccountMode } from '../services/account-mode.js'
import { createChartPreferences } from '../services/chart-preferences.js'
import { createMarketCalendar } from '../services/market-calendar.js'
import {
  createOptionQuotes,
  type OptionSymbolResolver,
  type QuoteService,
} from '../services/option-quotes.js'
import { docsRoutes } from './docs-routes.js'
import { mountEndpoints, type EndpointDefinition } from './endpoint.js'
import { chartEndpoints } from './endpoints/chart.js'
import { greeksEndpoints } from './endpoints/greeks.js'
import { gttEndpoints } from './endpoints/gtt.js'
import { marketCalendarEndpoints } from './endpoints/market-calendar.js'
import { notifyEndpoints } from './endpoints/notify.js'
import { optionDataEndpoints } from './endpoints/options.js'
import { optionsOrderEndpoints } from './endpoints/options-orders.js'
import type { OrderPlacer, PositionBookSource } from '../services/options-orders.js'
import { createOptionChainService } from '../services/option-chain.js'
import type { SymbolCache } from '@oa/symbol-cache'
import { logRoutes } from './log-routes.js'
import type { RequestLog } from './request-log.js'
import { instrumentRegistry, type BrokerLookupSource } from './trace.js'

export interface ApiAreaDeps {
  readonly clock: Clock
  readonly logger: Logger
  readonly identity: IdentityServices
  readonly security: SecurityServices
  readonly main: DatabaseHandle<MainDatabase>
  readonly logs: DatabaseHandle<LogsDatabase>
  readonly latency?: DatabaseHandle<LatencyDatabase> | undefined
  readonly requestLog?: RequestLog | undefined
  /**
   * The market core's services (context `market`), read structurally: quotes, the option-symbol
   * resolver and the symbol cache. The options endpoints mount only when they are present.
   */
  readonly market?:
    | {
        readonly marketData: QuoteService
        readonly optionSymbol: OptionSymbolResolver
        readonly symbols: { readonly cache: SymbolCache }
        readonly brokers?: BrokerLookupSource
      }
    | undefined
  /**
   * The orders area (context `trading`), read structurally: its order and account services.
   * `/optionsorder`, `/optionsmultiorder` and `/pnl/symbols` mount when it and `market` exist.
   */
  readonly trading?:
    { readonly orders: OrderPlacer; readonly account: PositionBookSource } | undefined
  /** the version the OpenAPI document states */
  readonly version?: string
}

/** The endpoints of this area, built over its services. */
export function apiAreaEndpoints(deps: ApiAreaDeps): EndpointDefinition[] {
  const mode = createAccountMode(deps.main)
  const defs: EndpointDefinition[] = [
    ...marketCalendarEndpoints(createMarketCalendar({ main: deps.main, clock: deps.clock })),
    ...chartEndpoints(createChartPreferences({ main: deps.main, clock: deps.clock })),
    ...notifyEndpoints(),
    ...gttEndpoints(mode),
  ]
  const market = deps.market
  if (market) {
    // broker calls of every area's services are timed into the request's latency trace
    if (market.brokers) instrumentRegistry(market.brokers)
    const ports = { quotes: market.marketData, optionSymbol: market.optionSymbol }
    defs.push(...greeksEndpoints({ quotes: createOptionQuotes(ports), clock: deps.clock }))
    const chain = createOptionChainService({
      cache: market.symbols.cache,
      quotes: market.marketData,
      clock: deps.clock,
    })
    defs.push(...optionDataEndpoints({ ...ports, chain }))
    if (deps.trading)
      defs.push(
        ...optionsOrderEndpoints({
          optionSymbol: market.optionSymbol,
          orders: deps.trading.orders,
          account: deps.trading.account,
          isAnalyze: () => mode.isAnalyze(),
        }),
      )
  }
  return defs
}

/** Mounts the area on `app` (call after every other area mounted its endpoints). */
export function mountApiArea(app: Hono, deps: ApiAreaDeps): void {
  mountEndpoints(app, apiAreaEndpoints(deps), {
    ...apiDeps(deps),
    now: () => deps.clock.now(),
  })
  app.route(
    '/',
    docsRoutes(app, {
      title: 'oa — OpenAlgo-compatible REST API',
      version: deps.version ?? '1.0.0',
      description:
        'The `/api/v1` REST API of oa, a drop-in replacement for OpenAlgo: the official SDK, TradingView/Chartink alerts, Amibroker and Excel work unchanged. Every numeric field also accepts a numeric string. The API key travels in the JSON body (`apikey`), or as `X-API-KEY`.',
      serverUrl: '/',
    }),
  )
  if (deps.latency && deps.requestLog)
    app.route(
      '/',
      logRoutes({
        identity: deps.identity,
        logs: deps.logs,
        latency: deps.latency,
        requestLog: deps.requestLog,
        clock: deps.clock,
      }),
    )
}
