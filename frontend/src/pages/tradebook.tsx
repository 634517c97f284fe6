import type { TradeRow } from '@oa/web-contract'
import { createColumnHelper } from '@tanstack/react-table'
import { Download } from 'lucide-react'
import { useMemo, useState } from 'react'
import { toast } from 'sonner'
import { MobileRow } from '../components/mobile-row.js'
import { DataTable, downloadCsv } from '../components/data-table.js'
import { ActionBadge } from '../components/order-bits.js'
import { Button, Card, Empty, ErrorState, PageHeader, Spinner, Stat } from '../components/ui.js'
import { formatInr, formatPrice, formatQty, formatTime } from '../lib/format.js'
import { useTrades } from '../lib/queries.js'

const col = createColumnHelper<TradeRow>()
const columns = [
  col.accessor('symbol', {
    header: 'Symbol',
    cell: (c) => <span className="font-medium">{c.getValue()}</span>,
  }),
  col.accessor('exchange', { header: 'Exchange', enableSorting: false }),
  col.accessor('product', { header: 'Product', enableSorting: false }),
  col.accessor('action', { header: 'Action', cell: (c) => <ActionBadge action={c.getValue()} /> }),
  col.accessor('quantity', {
    header: 'Qty',
    meta: { numeric: true },
    cell: (c) => formatQty(c.getValue()),
  }),
  col.accessor('averagePriceE4', {
    header: 'Price',
    meta: { numeric: true },
    cell: (c) => formatPrice(c.getValue()),
  }),
  col.accessor('tradeValueE4', {
    header: 'Trade value',
    meta: { numeric: true },
    cell: (c) => formatInr(c.getValue()),
  }),
  col.accessor('orderId', {
    header: 'Order ID',
    enableSorting: false,
    cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span>,
  }),
  col.accessor('time', {
    header: 'Time',
    meta: { numeric: true },
    cell: (c) => formatTime(c.getValue()),
  }),
]

/** Fills of the day (F6) with filters and CSV; live via push. */
export default function TradeBookPage() {
  const trades = useTrades()
  const [action, setAction] = useState('')
  const [product, setProduct] = useState('')
  const all = trades.data?.trades ?? []
  const rows = useMemo(
    () =>
      all.filter((t) => (!action || t.action === action) && (!product || t.product === product)),
    [all, action, product],
  )
  const filtered = Boolean(action || product)
  const select = (label: string, value: string, set: (v: string) => void, options: string[]) => (
    <label className="flex items-center gap-1 text-xs text-dim">
      <span>{label}</span>
      <select
        value={value}
        onChange={(e) => set(e.target.value)}
        className="rounded-md border border-line bg-surface px-2 py-1 text-xs text-fg"
      >
        <option value="">All</option>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </label>
  )
  return (
    <>
      <PageHeader
        title="Trade Book"
        subtitle="Every fill of the day."
        actions={
          <Button
            variant="secondary"
            onClick={() =>
              rows.length === 0
                ? toast.info('No data to export')
                : downloadCsv(
                    'tradebook.csv',
                    [
                      'Symbol',
                      'Exchange',
                      'Product',
                      'Action',
                      'Quantity',
                      'Average Price',
                      'Trade Value',
                      'Order ID',
                      'Time',
                    ],
                    rows.map((t) => [
                      t.symbol,
                      t.exchange,
                      t.product,
                      t.action,
                      t.quantity,
                      t.averagePriceE4 / 10_000,
                      t.tradeValueE4 / 10_000,
                      t.orderId,
                      t.time,
                    ]),
                  )
            }
          >
            <Download aria-hidden className="size-4" /> Export CSV
          </Button>
        }
      />
      <div className="mb-4 grid grid-cols-3 gap-3">
        <Stat label="Total trades" value={trades.data ? all.length : '–'} />
        <Stat
          label="Buy trades"
          value={trades.data ? all.filter((t) => t.action === 'BUY').length : '–'}
          tone="text-profit"
        />
        <Stat
          label="Sell trades"
          value={trades.data ? all.filter((t) => t.action === 'SELL').length : '–'}
          tone="text-loss"
        />
      </div>
      <Card
        title="Trades"
        action={
          <div className="flex gap-2">
            {select('Action', action, setAction, ['BUY', 'SELL'])}
            {select('Product', product, setProduct, ['CNC', 'MIS', 'NRML'])}
          </div>
        }
      >
        {trades.isPending ? (
          <Spinner label="Loading trades" />
        ) : trades.isError ? (
          <ErrorState error={trades.error} retry={() => void trades.refetch()} />
        ) : (
          <DataTable
            label="Trades"
            data={rows}
            columns={columns}
            mobileRow={(t) => (
              <MobileRow
                title={
                  <>
                    <ActionBadge action={t.action} /> {t.symbol}
                  </>
                }
                detail={`${t.exchange} · ${t.product} · ${formatTime(t.time)}`}
                figure={formatInr(t.tradeValueE4)}
                sub={`${formatQty(t.quantity)} @ ${formatPrice(t.averagePriceE4)}`}
              />
            )}
            empty={
              filtered ? (
                <Empty title="No trades match your filters">Try clearing the filters.</Empty>
              ) : (
                <Empty title="No trades today">Filled orders will display here.</Empty>
              )
            }
          />
        )}
      </Card>
    </>
  )
}
