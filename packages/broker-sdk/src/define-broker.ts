import type {
  Broker,
  BrokerContext,
  BrokerDefinition,
  BrokerDriver,
  BrokerPlugin,
  CancelAllOutcome,
  ParsedApiKey,
} from './contract.js'
import { WORKING_ORDER_STATUSES } from './enums.js'
import { BrokerError, isBrokerError } from './errors.js'
import { fetchHistory } from './history.js'
import { createKeyedMutex } from './keyed-mutex.js'
import { brokerManifestSchema } from './manifest.js'
import type { ApiKeyFormat, BrokerManifest, BrokerManifestInput } from './manifest.js'
import { ZERO_INR4 } from './money.js'
import { fetchQuotes } from './quotes.js'
import { defaultRedactor } from './redact.js'
import { err, ok } from './result.js'
import type { Result } from './result.js'
import { decideSmartOrder, netPosition, smartOrderKey } from './smart-order.js'
import { computeHoldingStats, computeOrderStats } from './stats.js'
import type { Logger } from './deps.js'

/**
 * Validates a manifest and applies its defaults.
 *
 * @throws Error listing every problem when the manifest is invalid (a packaging bug, caught by
 * the broker's own tests and by the loader at startup).
 */
export function parseManifest(input: unknown): BrokerManifest {
  const parsed = brokerManifestSchema.safeParse(input)
  if (!parsed.success) {
    const id =
      typeof input === 'object' && input !== null ? String((input as { id?: unknown }).id) : '?'
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new Error(`invalid broker manifest "${id}": ${issues.join('; ')}`)
  }
  return Object.freeze(parsed.data)
}

/**
 * Splits a compound `BROKER_API_KEY` by a manifest's {@link ApiKeyFormat} (`client_id:::api_key`).
 * Answers `invalid_input` naming the expected shape when the part count is wrong or a part is empty.
 */
export function parseApiKeyWithFormat(format: ApiKeyFormat, raw: string): Result<ParsedApiKey> {
  const values = raw.trim().split(format.separator)
  if (values.length !== format.parts.length || values.some((v) => v.trim() === '')) {
    return err(
      new BrokerError(
        'invalid_input',
        `BROKER_API_KEY must look like ${format.parts.join(format.separator)} (${format.parts.length} part${format.parts.length === 1 ? '' : 's'} separated by "${format.separator}")`,
      ),
    )
  }
  const out: Record<string, string> = {}
  format.parts.forEach((name, i) => {
    out[name] = (values[i] ?? '').trim()
  })
  return ok(Object.freeze(out))
}

/**
 * Defines a broker package: validates the manifest once, and returns the plugin the host
 * registers. The SDK adds smart orders, quote batching, history chunking, statistics, cancel-all
 * and close-all defaults around the author's driver, and converts anything the driver throws into
 * an `unknown` {@link BrokerError} (logged at `error`) so nothing throws across the boundary.
 *
 * @example
 * ```ts
 * export const acme = defineBroker({
 *   manifest: { id: 'acme', displayName: 'Acme', version: '0.1.0', brokerType: 'IN_stock',
 *     supportedExchanges: ['NSE'], leverageConfig: false, auth: 'oauth-redirect',
 *     apiKeyFormat: { parts: ['apiKey'], example: 'k1' }, endpoints: { api: 'https://api.acme.in' },
 *     intervals: ['1m', 'D'], historyChunkDays: { '1m': 60 }, quoteBatchSize: 50 },
 *   createBroker: (ctx) => createAcmeDriver(ctx),
 * })
 * ```
 * @throws Error when the manifest is invalid.
 */
export function defineBroker(definition: BrokerDefinition): BrokerPlugin {
  const manifest = parseManifest(definition.manifest satisfies BrokerManifestInput)
  const parseApiKey =
    definition.parseApiKey ?? ((raw: string) => parseApiKeyWithFormat(manifest.apiKeyFormat, raw))
  return Object.freeze({
    manifest,
    parseApiKey,
    createDriver: (ctx: BrokerContext) => definition.createBroker(ctx),
    createBroker: (ctx: BrokerContext) =>
      composeBroker(manifest, definition.createBroker(ctx), ctx),
  })
}

/**
 * Builds the host-facing {@link Broker} around a driver. Exported for the test kit, which composes
 * instrumented drivers; broker packages use {@link defineBroker}.
 */
export function composeBroker(
  manifest: BrokerManifest,
  driver: BrokerDriver,
  ctx: BrokerContext,
): Broker {
  const logger = ctx.logger.child({ broker: manifest.id })
  const guard = guardWith(logger)
  const smartLocks = createKeyedMutex()

  const place = guard(
    'place order',
    async (req: Parameters<BrokerDriver['orders']['place']>[0]) => {
      const result = await driver.orders.place(req)
      // spec: brokers.md §1.5 — success is a broker order id, never an HTTP 200 alone
      if (result.ok && result.value.orderId.trim() === '') {
        return err(new BrokerError('rejected', 'the broker answered without an order id'))
      }
      if (result.ok) {
        logger.info(
          {
            orderId: result.value.orderId,
            symbol: req.symbol,
            exchange: req.exchange,
            action: req.action,
            quantity: req.quantity,
          },
          'order placed',
        )
      } else {
        logger.warn(
          { symbol: req.symbol, exchange: req.exchange, code: result.error.code },
          'order refused',
        )
      }
      return result
    },
  )

  const orderBookRows = guard('order book', () => driver.books.orderBook())
  const positions = guard('positions', () => driver.books.positions())
  const cancel = guard('cancel order', (orderId: string) => driver.orders.cancel(orderId))

  const defaultCancelAll = async (): Promise<Result<CancelAllOutcome>> => {
    const book = await orderBookRows()
    if (!book.ok) return book
    const outcome: CancelAllOutcome = { cancelled: [], failed: [] }
    for (const row of book.value) {
      if (!WORKING_ORDER_STATUSES.has(row.status)) continue
      const result = await cancel(row.orderId)
      if (result.ok) outcome.cancelled.push(row.orderId)
      else outcome.failed.push({ orderId: row.orderId, reason: result.error.message })
    }
    return ok(outcome)
  }

  const defaultCloseAll = async (): Promise<
    Result<{ message: string; closed: number; failed: number }>
  > => {
    const book = await positions()
    if (!book.ok) return book
    let closed = 0
    let failed = 0
    for (const row of book.value) {
      if (row.quantity === 0) continue
      const result = await place({
        strategy: 'closeposition',
        symbol: row.symbol,
        exchange: row.exchange,
        product: row.product,
        action: row.quantity > 0 ? 'SELL' : 'BUY',
        quantity: Math.abs(row.quantity),
        priceType: 'MARKET',
        price: ZERO_INR4,
        triggerPrice: ZERO_INR4,
        disclosedQuantity: 0,
      })
      if (result.ok) closed += 1
      else failed += 1
    }
    if (failed > 0 && closed === 0) {
      return err(
        new BrokerError('rejected', `Failed to close ${failed} position${failed === 1 ? '' : 's'}`),
      )
    }
    const message =
      closed === 0
        ? 'No open positions to close'
        : failed === 0
          ? 'All Open Positions Squared Off'
          : `Closed ${closed} positions (Failed to close ${failed} positions)`
    return ok({ message, closed, failed })
  }

  const cancelAllImpl = driver.orders.cancelAll?.bind(driver.orders)
  const closeAllImpl = driver.orders.closeAllPositions?.bind(driver.orders)
  const quotesBatch = driver.marketData.quotesBatch?.bind(driver.marketData)
  const margin = driver.margin

  const broker: Broker = {
    id: manifest.id,
    manifest,
    auth: {
      loginUrl: (redirectUri, state) => driver.auth.loginUrl(redirectUri, state),
      completeLogin: guard('login', (input) => driver.auth.completeLogin(input)),
      validateSession: guard('validate session', (session) => driver.auth.validateSession(session)),
    },
    orders: {
      place,
      placeSmart: guard('smart order', (req) =>
        smartLocks.run(smartOrderKey(req), async () => {
          const book = await positions()
          if (!book.ok) return book
          const current = netPosition(book.value, req)
          const decision = decideSmartOrder(req, current)
          logger.info(
            {
              symbol: req.symbol,
              exchange: req.exchange,
              product: req.product,
              current,
              target: req.positionSize,
              decision: decision.kind,
            },
            'smart order decided',
          )
          if (decision.kind === 'none') return ok({ message: decision.message })
          const placed = await place({
            ...req,
            action: decision.action,
            quantity: decision.quantity,
          })
          if (!placed.ok) return placed
          return ok({
            orderId: placed.value.orderId,
            message: 'Order placed',
            placed: { action: decision.action, quantity: decision.quantity },
          })
        }),
      ),
      modify: guard('modify order', (req) => driver.orders.modify(req)),
      cancel,
      cancelAll: guard('cancel all', () =>
        cancelAllImpl === undefined ? defaultCancelAll() : cancelAllImpl(),
      ),
      closeAllPositions: guard('close all positions', () =>
        closeAllImpl === undefined ? defaultCloseAll() : closeAllImpl(),
      ),
    },
    books: {
      orderBook: guard('order book', async () => {
        const rows = await orderBookRows()
        if (!rows.ok) return rows
        return ok({ orders: rows.value, statistics: computeOrderStats(rows.value) })
      }),
      tradeBook: guard('trade book', () => driver.books.tradeBook()),
      positions,
      holdings: guard('holdings', async () => {
        const result = await driver.books.holdings()
        if (!result.ok) return result
        const { holdings, statistics } = result.value
        return ok({ holdings, statistics: statistics ?? computeHoldingStats(holdings) })
      }),
    },
    funds: guard('funds', () => driver.funds()),
    ...(margin === undefined
      ? {}
      : { margin: { basketMargin: guard('basket margin', (legs) => margin.basketMargin(legs)) } }),
    marketData: {
      intervals: () => [...manifest.intervals],
      quote: guard('quote', (ref) => driver.marketData.quote(ref)),
      quotes: async (refs) => {
        try {
          return await fetchQuotes(
            {
              batchSize: manifest.quoteBatchSize,
              symbols: ctx.symbols,
              quote: guard('quote', (ref) => driver.marketData.quote(ref)),
              quotesBatch:
                quotesBatch === undefined ? undefined : guard('quote batch', quotesBatch),
              logger,
            },
            refs,
          )
        } catch (cause) {
          logger.error({ err: defaultRedactor.value(cause) }, 'multiquote failed')
          return refs.map((ref) => ({
            symbol: ref.symbol,
            exchange: ref.exchange,
            error: 'quote lookup failed',
            code: 'unknown',
          }))
        }
      },
      depth: guard('depth', (ref) => driver.marketData.depth(ref)),
      history: guard('history', (ref, interval, from, to, options) =>
        fetchHistory(
          {
            manifest,
            logger,
            fetchChunk: guard('history chunk', (r, i, f, t) =>
              driver.marketData.history(r, i, f, t),
            ),
          },
          ref,
          interval,
          from,
          to,
          options,
        ),
      ),
    },
    instruments: driver.instruments,
    ...(driver.streaming === undefined ? {} : { streaming: driver.streaming }),
    orderUpdates: driver.orderUpdates,
  }
  return Object.freeze(broker)
}

type AsyncResultFn<A extends unknown[], T> = (...args: A) => Promise<Result<T>>

/** Wraps a driver call so a throw becomes an `unknown` BrokerError (logged), never a rejection. */
function guardWith(logger: Logger) {
  return <A extends unknown[], T>(label: string, fn: AsyncResultFn<A, T>): AsyncResultFn<A, T> =>
    async (...args: A) => {
      try {
        return await fn(...args)
      } catch (cause) {
        if (isBrokerError(cause)) return err(cause)
        logger.error({ err: defaultRedactor.value(cause), call: label }, 'broker call threw')
        return err(new BrokerError('unknown', `${label} failed unexpectedly`, { cause }))
      }
    }
}
