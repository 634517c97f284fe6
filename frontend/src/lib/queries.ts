import {
  analyzerLog,
  apiKeyMeta,
  checkSetup,
  funds,
  holdings,
  logs,
  marketStatus,
  masterContract,
  me,
  orderBook,
  positionBook,
  sessionStatus,
  totpStatus,
  tradeBook,
} from '@oa/web-contract'
import { useQuery, type UseQueryOptions } from '@tanstack/react-query'
import { getData, getJson } from './api.js'

/** Query keys in one place, so push events know what to patch or refetch. */
export const keys = {
  setup: ['setup'] as const,
  session: ['session'] as const,
  me: ['me'] as const,
  funds: ['funds'] as const,
  orders: ['orders'] as const,
  trades: ['trades'] as const,
  positions: ['positions'] as const,
  holdings: ['holdings'] as const,
  masterContract: ['master-contract'] as const,
  market: ['market-status'] as const,
  analyzerLog: (start: string, end: string) => ['analyzer-log', start, end] as const,
  logs: ['logs'] as const,
  apiKey: ['apikey'] as const,
  totp: ['totp'] as const,
}

/** Refetch every few seconds only while the server cannot push order events (`me.orderEvents`). */
function polling(meData: { orderEvents: boolean } | undefined): number | false {
  return meData && !meData.orderEvents ? 4_000 : false
}

export const useSetup = () =>
  useQuery({ queryKey: keys.setup, queryFn: () => getJson('/auth/check-setup', checkSetup) })
export const useSession = () =>
  useQuery({
    queryKey: keys.session,
    queryFn: () => getJson('/auth/session-status', sessionStatus),
    staleTime: 30_000,
  })
export const useMe = (enabled = true) =>
  useQuery({ queryKey: keys.me, queryFn: () => getData('/ui/api/me', me), enabled })

function useBook<T>(key: readonly unknown[], path: string, schema: Parameters<typeof getData>[1]) {
  const m = useMe()
  return useQuery({
    queryKey: key,
    queryFn: () => getData(path, schema) as Promise<T>,
    refetchInterval: polling(m.data),
  } satisfies UseQueryOptions<T>)
}

export const useFunds = () =>
  useBook<import('@oa/web-contract').Funds>(keys.funds, '/ui/api/funds', funds)
export const useOrders = () =>
  useBook<import('@oa/web-contract').OrderBook>(keys.orders, '/ui/api/orderbook', orderBook)
export const useTrades = () =>
  useBook<import('@oa/web-contract').TradeBook>(keys.trades, '/ui/api/tradebook', tradeBook)
export const usePositions = () =>
  useBook<import('@oa/web-contract').PositionBook>(
    keys.positions,
    '/ui/api/positions',
    positionBook,
  )
export const useHoldings = () =>
  useBook<import('@oa/web-contract').Holdings>(keys.holdings, '/ui/api/holdings', holdings)

export const useMasterContract = () =>
  useQuery({
    queryKey: keys.masterContract,
    queryFn: () => getData('/ui/api/master-contract', masterContract),
    // pushed while downloading; a slow safety poll until it settles
    refetchInterval: (q) =>
      q.state.data && (q.state.data.status === 'success' || q.state.data.status === 'error')
        ? false
        : 10_000,
  })
export const useMarketStatus = () =>
  useQuery({
    queryKey: keys.market,
    queryFn: () => getData('/ui/api/market-status', marketStatus),
    refetchInterval: 60_000,
  })
export const useAnalyzerLog = (start: string, end: string) =>
  useQuery({
    queryKey: keys.analyzerLog(start, end),
    queryFn: () => getData(`/ui/api/analyzer/log?start=${start}&end=${end}`, analyzerLog),
  })
export const useLogs = () =>
  useQuery({
    queryKey: keys.logs,
    queryFn: () => getData('/ui/api/logs', logs),
    refetchInterval: 30_000,
  })
export const useApiKeyMeta = () =>
  useQuery({ queryKey: keys.apiKey, queryFn: () => getJson('/apikey', apiKeyMeta) })
export const useTotp = () =>
  useQuery({ queryKey: keys.totp, queryFn: () => getData('/ui/api/totp', totpStatus) })
