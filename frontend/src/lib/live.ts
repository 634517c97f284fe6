import {
  feedTokenReply,
  parseWebEvent,
  quotes as quotesSchema,
  type Me,
  type OrderBook,
  type WebEvent,
} from '@oa/web-contract'
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useNavigate } from 'react-router'
import { toast } from 'sonner'
import { ApiError, getData, postData } from './api.js'
import { keys } from './queries.js'
import { applyMode } from './theme.js'

/** Puts a pushed order row into the cached order book (W-22: no whole-book refetch). */
function patchOrders(qc: QueryClient, event: Extract<WebEvent, { type: 'order' }>): void {
  qc.setQueryData<OrderBook>(keys.orders, (book) => {
    if (!book) return book
    const rest = book.orders.filter((o) => o.orderId !== event.order.orderId)
    const orders = [event.order, ...rest]
    const count = (f: (s: string) => boolean) => orders.filter((o) => f(o.status)).length
    return {
      orders,
      statistics: {
        buyOrders: orders.filter((o) => o.action === 'BUY').length,
        sellOrders: orders.filter((o) => o.action === 'SELL').length,
        completed: count((s) => s === 'complete'),
        open: count((s) => s === 'open' || s === 'trigger_pending'),
        rejected: count((s) => s === 'rejected'),
      },
    }
  })
}

/**
 * The app-wide push channel: one `EventSource` on `/ui/api/events` (server-sent events, cookie
 * authenticated, reconnected by the browser). Events patch or invalidate the query cache, so
 * every page is live without a refresh button.
 */
export function useLiveEvents(enabled: boolean): void {
  const qc = useQueryClient()
  const navigate = useNavigate()
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return
    const source = new EventSource('/ui/api/events')
    let pending: ReturnType<typeof setTimeout> | null = null
    const reconcile: ReturnType<typeof setTimeout>[] = []
    const stale = new Set<string>()
    const invalidateSoon = (...names: string[]) => {
      for (const n of names) stale.add(n)
      // one refetch for a burst of events (a fill updates positions, funds and trades at once)
      pending ??= setTimeout(() => {
        pending = null
        for (const n of stale) void qc.invalidateQueries({ queryKey: [n] })
        stale.clear()
      }, 120)
    }
    const onEvent = (e: MessageEvent<string>) => {
      const event = parseWebEvent(e.data)
      if (!event) return
      switch (event.type) {
        case 'order':
          patchOrders(qc, event)
          invalidateSoon('positions', 'trades', 'funds', 'holdings')
          // a live broker's fill may not be pushed as its own event (only the placement is):
          // reconcile the books once shortly after, so a MARKET order's fill still shows
          if (event.order.status === 'open' || event.order.status === 'trigger_pending')
            for (const ms of [1_500, 5_000])
              reconcile.push(
                setTimeout(
                  () => invalidateSoon('orders', 'positions', 'trades', 'funds', 'holdings'),
                  ms,
                ),
              )
          if (event.kind === 'rejected')
            toast.error(`${event.order.symbol}: ${event.order.rejectionReason || 'order rejected'}`)
          else if (event.kind === 'placed')
            toast.success(
              `${event.order.action} order placed for ${event.order.symbol}, id ${event.order.orderId}`,
            )
          break
        case 'portfolio':
          invalidateSoon(...event.what.map((w) => (w === 'trades' ? 'trades' : w)))
          break
        case 'mode':
          applyMode(event.mode)
          qc.setQueryData<Me>(keys.me, (m) => (m ? { ...m, mode: event.mode } : m))
          for (const k of ['funds', 'orders', 'trades', 'positions', 'holdings'])
            void qc.invalidateQueries({ queryKey: [k] })
          break
        case 'master_contract':
          invalidateSoon('master-contract')
          break
        case 'analyzer':
          invalidateSoon('analyzer-log')
          break
        case 'notice':
          toast[event.level](event.message)
          break
        case 'session':
          source.close()
          qc.clear()
          toast.error(event.message)
          navigate('/login', { replace: true })
          break
      }
    }
    const types = ['order', 'portfolio', 'mode', 'master_contract', 'analyzer', 'notice', 'session']
    for (const t of types) source.addEventListener(t, onEvent as EventListener)
    return () => {
      if (pending) clearTimeout(pending)
      for (const t of reconcile) clearTimeout(t)
      source.close()
    }
  }, [enabled, qc, navigate])
}

type Instrument = { exchange: string; symbol: string }
const keyOf = (i: Instrument) => `${i.exchange}:${i.symbol}`

/**
 * Live LTPs for the given instruments: the ws-proxy feed authenticated with a short-lived feed
 * token (never the API key), falling back to polling `/ui/api/quotes` every 5 s when the proxy
 * refuses it; nothing at all when neither exists yet (the rows keep the server's LTP).
 * Returns exchange:symbol → LTP in 1/10,000 rupee, and which source is live.
 */
export function useLivePrices(instruments: readonly Instrument[]): {
  prices: ReadonlyMap<string, number>
  source: 'feed' | 'poll' | 'none'
} {
  const list = useMemo(
    () => [...new Map(instruments.map((i) => [keyOf(i), i])).values()],
    [instruments],
  )
  const signature = list.map(keyOf).sort().join(',')
  const [feed, setFeed] = useState<'trying' | 'open' | 'failed'>('trying')
  const [prices, setPrices] = useState<ReadonlyMap<string, number>>(new Map())
  const socket = useRef<WebSocket | null>(null)

  useEffect(() => {
    if (list.length === 0) return
    let cancelled = false
    void (async () => {
      try {
        const t = await getData('/ui/api/feed-token', feedTokenReply)
        if (cancelled) return
        const ws = new WebSocket(t.websocketUrl)
        socket.current = ws
        const fail = () => !cancelled && setFeed((f) => (f === 'open' ? f : 'failed'))
        ws.onerror = fail
        ws.onclose = () => !cancelled && setFeed('failed')
        ws.onopen = () => ws.send(JSON.stringify({ action: 'authenticate', feed_token: t.token }))
        ws.onmessage = (m) => {
          let msg: {
            type?: string
            status?: string
            symbol?: string
            exchange?: string
            data?: { ltp?: number }
          }
          try {
            msg = JSON.parse(String(m.data)) as typeof msg
          } catch {
            return
          }
          if (msg.status === 'error') {
            ws.close()
            return fail()
          }
          if (msg.type === 'auth' && msg.status === 'success') {
            setFeed('open')
            ws.send(JSON.stringify({ action: 'subscribe', symbols: list, mode: 'LTP' }))
          }
          const ltp = msg.data?.ltp
          if (msg.type === 'market_data' && msg.symbol && msg.exchange && typeof ltp === 'number') {
            const e4 = Math.round(ltp * 10_000)
            setPrices((p) => new Map(p).set(`${msg.exchange}:${msg.symbol}`, e4))
          }
        }
      } catch {
        if (!cancelled) setFeed('failed')
      }
    })()
    return () => {
      cancelled = true
      socket.current?.close()
      socket.current = null
    }
    // the signature stands for the list's content
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature])

  const poll = useQuery({
    queryKey: ['quotes', signature],
    queryFn: () => postData('/ui/api/quotes', { symbols: list }, quotesSchema),
    enabled: feed === 'failed' && list.length > 0,
    refetchInterval: (q) =>
      q.state.error instanceof ApiError && q.state.error.code === 'not_available' ? false : 5_000,
    retry: false,
  })
  const polled = useMemo(() => {
    const m = new Map<string, number>()
    for (const q of poll.data?.quotes ?? []) m.set(`${q.exchange}:${q.symbol}`, q.ltpE4)
    return m
  }, [poll.data])

  if (feed === 'open') return { prices, source: 'feed' }
  if (poll.data) return { prices: polled, source: 'poll' }
  return { prices: new Map(), source: 'none' }
}
