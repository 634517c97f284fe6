// The market area's part of the web app's backends (web/backends.ts): master-contract status and
// forced download, LTP quotes in 1/10,000 rupee, and master-contract events pushed to every open
// tab. Same services as `/api/v1` and the session routes.
import type { Exchange, InstrumentRef } from '@oa/broker-sdk'
import type { MasterContract, WebEvent } from '@oa/web-contract'
import type { EventBus } from '../events/bus.js'
import { WebBackendError, type WebBackends } from '../web/backends.js'
import type { MarketServices } from './market-services.js'

type Subscribe = NonNullable<WebBackends['subscribe']>

/**
 * Backends for `/ui/api/master-contract`, `/ui/api/master-contract/reload` (a forced download),
 * `/ui/api/quotes` and the push stream; `subscribe` is chained after `previous` (another area's).
 */
export function marketWebBackends(
  market: MarketServices,
  events: EventBus,
  previous?: Subscribe,
): Pick<WebBackends, 'masterContract' | 'reloadMasterContract' | 'quotes' | 'subscribe'> {
  let percent: number | null = null
  events.on('master_contract_progress', (p) => {
    percent = p.phase === 'done' || p.phase === 'error' ? null : p.percent
  })
  const brokerOf = (caller: { broker: string | null }): string => {
    const broker = caller.broker ?? market.activeBroker
    if (broker === null || market.brokers.plugin(broker) === undefined) {
      throw new WebBackendError(404, 'Broker-specific module not found')
    }
    return broker
  }

  return {
    masterContract(caller) {
      const broker = brokerOf(caller)
      const s = market.masterContract.status(broker)
      const contract: MasterContract = {
        status: s.status,
        message: s.message ?? '',
        broker: s.broker,
        totalSymbols: Number(s.total_symbols) || 0,
        lastDownloadedAt: s.last_download_time,
        durationMs:
          s.download_duration_seconds === null ? null : s.download_duration_seconds * 1000,
        exchanges: s.exchange_stats ?? {},
        progressPercent: market.masterContract.isDownloading(broker) ? percent : null,
      }
      return Promise.resolve(contract)
    },
    reloadMasterContract(caller) {
      const request = market.masterContract.requestDownload(brokerOf(caller), { force: true })
      return Promise.resolve({
        message:
          request.status === 'started'
            ? 'Master contract download started'
            : 'Master contract download already in progress',
        orderId: null,
      })
    },
    async quotes(caller, symbols) {
      const lookup = market.brokers.forUser(caller.username, caller.broker)
      if (!lookup.ok)
        throw new WebBackendError(
          lookup.error === 'broker_module_not_found' ? 404 : 400,
          lookup.message,
        )
      const refs: InstrumentRef[] = symbols
        .filter((s) => market.symbols.cache.getToken(s.symbol, s.exchange) !== undefined)
        .map((s) => ({ symbol: s.symbol, exchange: s.exchange as Exchange }))
      const items = refs.length === 0 ? [] : await lookup.broker.marketData.quotes(refs)
      return {
        quotes: items.flatMap((item) =>
          'data' in item
            ? [{ exchange: item.exchange, symbol: item.symbol, ltpE4: item.data.ltp as number }]
            : [],
        ),
      }
    },
    subscribe(listener) {
      const push = (event: WebEvent): void => listener(null, event)
      const offs = [
        previous?.(listener),
        events.on('master_contract_status', (s) =>
          push({
            type: 'master_contract',
            status: s.status,
            message: s.message,
            progressPercent: null,
          }),
        ),
        events.on('master_contract_progress', (p) => {
          if (p.phase === 'done' || p.phase === 'error') return
          push({
            type: 'master_contract',
            status: 'downloading',
            message: `Master contract download: ${p.phase} (${p.rows} instruments)`,
            progressPercent: p.percent,
          })
        }),
      ]
      return () => {
        for (const off of offs) off?.()
      }
    },
  }
}
