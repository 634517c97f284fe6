import type { HoldingRow } from '@oa/web-contract'
import { createColumnHelper } from '@tanstack/react-table'
import { useMemo, useState } from 'react'
import { MobileRow } from '../components/mobile-row.js'
import { DataTable } from '../components/data-table.js'
import { OrderDialog, type OrderTicket } from '../components/order-dialog.js'
import { Button, Card, Empty, ErrorState, PageHeader, Spinner, Stat } from '../components/ui.js'
import { formatBps, formatInr, formatPrice, formatQty, pnlClass } from '../lib/format.js'
import { useLivePrices } from '../lib/live.js'
import { useHoldings } from '../lib/queries.js'

const col = createColumnHelper<HoldingRow>()
const columns = [
  col.accessor('symbol', {
    header: 'Symbol',
    cell: (c) => <span className="font-medium">{c.getValue()}</span>,
  }),
  col.accessor('exchange', { header: 'Exchange', enableSorting: false }),
  col.accessor('quantity', {
    header: 'Qty',
    meta: { numeric: true },
    cell: (c) => formatQty(c.getValue()),
  }),
  col.accessor('averagePriceE4', {
    header: 'Avg price',
    meta: { numeric: true },
    cell: (c) => formatPrice(c.getValue()),
  }),
  col.accessor('ltpE4', {
    header: 'LTP',
    meta: { numeric: true },
    cell: (c) => formatPrice(c.getValue()),
  }),
  col.accessor('product', { header: 'Product', enableSorting: false }),
  col.accessor('pnlE4', {
    header: 'P&L',
    meta: { numeric: true },
    cell: (c) => (
      <span className={pnlClass(c.getValue())}>{formatInr(c.getValue(), { sign: true })}</span>
    ),
  }),
  col.accessor('pnlBps', {
    header: 'P&L %',
    meta: { numeric: true },
    cell: (c) => <span className={pnlClass(c.getValue())}>{formatBps(c.getValue())}</span>,
  }),
]

/** Delivery holdings (F8) with live LTP and the four portfolio figures. */
export default function HoldingsPage() {
  const holdings = useHoldings()
  const [ticket, setTicket] = useState<OrderTicket | null>(null)
  const trade = (h: HoldingRow, action: 'BUY' | 'SELL') =>
    setTicket({
      symbol: h.symbol,
      exchange: h.exchange,
      action,
      quantity: action === 'SELL' ? h.quantity : 1,
      product: 'CNC',
    })
  const buttons = (h: HoldingRow) => (
    <div className="flex gap-1">
      <Button
        variant="secondary"
        className="min-h-8 px-2 text-xs"
        aria-label={`Add ${h.symbol}`}
        onClick={() => trade(h, 'BUY')}
      >
        Add
      </Button>
      <Button
        variant="secondary"
        className="min-h-8 px-2 text-xs text-loss"
        aria-label={`Exit ${h.symbol}`}
        onClick={() => trade(h, 'SELL')}
      >
        Exit
      </Button>
    </div>
  )
  const allColumns = [
    ...columns,
    col.display({
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      cell: (c) => buttons(c.row.original),
    }),
  ]
  const raw = holdings.data?.holdings ?? []
  const live = useLivePrices(raw)
  const rows = useMemo(
    () =>
      raw.map((h) => {
        const ltp = live.prices.get(`${h.exchange}:${h.symbol}`)
        if (ltp === undefined) return h
        const invested = h.averagePriceE4 * h.quantity
        const pnl = (ltp - h.averagePriceE4) * h.quantity
        return {
          ...h,
          ltpE4: ltp,
          pnlE4: pnl,
          pnlBps: invested ? Math.round((pnl * 10_000) / invested) : 0,
        }
      }),
    [raw, live.prices],
  )
  const value = rows.reduce((a, h) => a + h.ltpE4 * h.quantity, 0)
  const invested = rows.reduce((a, h) => a + h.averagePriceE4 * h.quantity, 0)
  const pnl = value - invested
  const has = Boolean(holdings.data)
  return (
    <>
      <PageHeader title="Holdings" subtitle="Your delivery portfolio, valued at the live price." />
      <div className="mb-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Holding value" value={has ? formatInr(value) : '–'} />
        <Stat label="Investment" value={has ? formatInr(invested) : '–'} />
        <Stat
          label="Total P&L"
          value={has ? formatInr(pnl, { sign: true }) : '–'}
          tone={pnlClass(pnl)}
        />
        <Stat
          label="P&L %"
          value={has ? formatBps(invested ? Math.round((pnl * 10_000) / invested) : 0) : '–'}
          tone={pnlClass(pnl)}
        />
      </div>
      <Card title="Holdings">
        {holdings.isPending ? (
          <Spinner label="Loading holdings" />
        ) : holdings.isError ? (
          <ErrorState error={holdings.error} retry={() => void holdings.refetch()} />
        ) : (
          <DataTable
            label="Holdings"
            data={rows}
            columns={allColumns}
            mobileRow={(h) => (
              <MobileRow
                title={h.symbol}
                detail={`${h.exchange} · ${formatQty(h.quantity)} @ ${formatPrice(h.averagePriceE4)}`}
                figure={
                  <span className={pnlClass(h.pnlE4)}>{formatInr(h.pnlE4, { sign: true })}</span>
                }
                sub={
                  <span className={pnlClass(h.pnlBps)}>
                    {formatBps(h.pnlBps)} · LTP {formatPrice(h.ltpE4)}
                  </span>
                }
              />
            )}
            empty={
              <Empty title="No holdings found">
                Delivery (CNC) buys show here after settlement.
              </Empty>
            }
          />
        )}
      </Card>
      {ticket && <OrderDialog ticket={ticket} onClose={() => setTicket(null)} />}
    </>
  )
}
