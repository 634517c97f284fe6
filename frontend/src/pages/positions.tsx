import { actionReply, type PositionRow } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { createColumnHelper } from '@tanstack/react-table'
import { Download, Radio } from 'lucide-react'
import { useMemo, useState } from 'react'
import { toast } from 'sonner'
import { MobileRow } from '../components/mobile-row.js'
import { DataTable, downloadCsv } from '../components/data-table.js'
import {
  Badge,
  Button,
  Card,
  Confirm,
  Empty,
  ErrorState,
  PageHeader,
  Spinner,
  Stat,
} from '../components/ui.js'
import { messageOf, postData } from '../lib/api.js'
import { formatInr, formatPrice, formatQty, pnlClass } from '../lib/format.js'
import { useLivePrices } from '../lib/live.js'
import { keys, usePositions } from '../lib/queries.js'

/** P&L with a live LTP: realised + (LTP − average) × signed quantity, integer 1/10,000 rupee. */
function withLtp(p: PositionRow, ltp: number | undefined): PositionRow {
  if (ltp === undefined || p.quantity === 0) return p
  return { ...p, ltpE4: ltp, pnlE4: p.realizedPnlE4 + (ltp - p.averagePriceE4) * p.quantity }
}

/** Open and closed positions of the day (F7) with live LTP, close one, close all. */
export default function PositionsPage() {
  const positions = usePositions()
  const qc = useQueryClient()
  const [closeAll, setCloseAll] = useState(false)
  const raw = positions.data?.positions ?? []
  const live = useLivePrices(raw.filter((p) => p.quantity !== 0))
  const rows = useMemo(
    () => raw.map((p) => withLtp(p, live.prices.get(`${p.exchange}:${p.symbol}`))),
    [raw, live.prices],
  )
  const done = (r: { message: string }) => {
    toast.success(r.message)
    void qc.invalidateQueries({ queryKey: keys.positions })
    void qc.invalidateQueries({ queryKey: keys.orders })
  }
  const close = useMutation({
    mutationFn: (p: PositionRow) =>
      postData(
        '/ui/api/positions/close',
        { symbol: p.symbol, exchange: p.exchange, product: p.product },
        actionReply,
      ),
    onSuccess: done,
    onError: (e) => toast.error(messageOf(e)),
  })
  const closeEvery = useMutation({
    mutationFn: () => postData('/ui/api/positions/close-all', {}, actionReply),
    onSuccess: (r) => {
      setCloseAll(false)
      done(r)
    },
  })
  const open = rows.filter((p) => p.quantity !== 0)
  const total = rows.reduce((a, p) => a + p.pnlE4, 0)
  const col = createColumnHelper<PositionRow>()
  const columns = [
    col.accessor('symbol', {
      header: 'Symbol',
      cell: (c) => <span className="font-medium">{c.getValue()}</span>,
    }),
    col.accessor('exchange', { header: 'Exchange', enableSorting: false }),
    col.accessor('product', { header: 'Product', enableSorting: false }),
    col.accessor('quantity', {
      header: 'Qty',
      meta: { numeric: true },
      cell: (c) => (
        <span className={c.getValue() < 0 ? 'text-loss' : ''}>{formatQty(c.getValue())}</span>
      ),
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
    col.accessor('pnlE4', {
      header: 'P&L',
      meta: { numeric: true },
      cell: (c) => (
        <span className={pnlClass(c.getValue())}>{formatInr(c.getValue(), { sign: true })}</span>
      ),
    }),
    col.display({
      id: 'close',
      header: () => <span className="sr-only">Close</span>,
      cell: (c) =>
        c.row.original.quantity !== 0 ? (
          <Button
            variant="secondary"
            className="min-h-8 px-2 text-xs"
            aria-label={`Close ${c.row.original.symbol} ${c.row.original.product}`}
            busy={close.isPending && close.variables === c.row.original}
            onClick={() => close.mutate(c.row.original)}
          >
            Close
          </Button>
        ) : null,
    }),
  ]
  return (
    <>
      <PageHeader
        title="Positions"
        subtitle={
          <span className="inline-flex items-center gap-2">
            Today's positions with live P&L.
            {live.source !== 'none' && (
              <Badge tone="profit">
                <Radio aria-hidden className="size-3" />{' '}
                {live.source === 'feed' ? 'live feed' : 'live (polling)'}
              </Badge>
            )}
          </span>
        }
        actions={
          <>
            <Button
              variant="secondary"
              onClick={() =>
                rows.length === 0
                  ? toast.info('No data to export')
                  : downloadCsv(
                      'positions.csv',
                      ['Symbol', 'Exchange', 'Product', 'Quantity', 'Average Price', 'LTP', 'P&L'],
                      rows.map((p) => [
                        p.symbol,
                        p.exchange,
                        p.product,
                        p.quantity,
                        p.averagePriceE4 / 10_000,
                        p.ltpE4 / 10_000,
                        p.pnlE4 / 10_000,
                      ]),
                    )
              }
            >
              <Download aria-hidden className="size-4" /> Export CSV
            </Button>
            <Button variant="danger" disabled={open.length === 0} onClick={() => setCloseAll(true)}>
              Close all
            </Button>
          </>
        }
      />
      <div className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Open positions" value={positions.data ? open.length : '–'} />
        <Stat
          label="Long"
          value={positions.data ? open.filter((p) => p.quantity > 0).length : '–'}
          tone="text-profit"
        />
        <Stat
          label="Short"
          value={positions.data ? open.filter((p) => p.quantity < 0).length : '–'}
          tone="text-loss"
        />
        <Stat
          label="Total P&L"
          value={positions.data ? formatInr(total, { sign: true }) : '–'}
          tone={pnlClass(total)}
        />
      </div>
      <Card title="Positions">
        {positions.isPending ? (
          <Spinner label="Loading positions" />
        ) : positions.isError ? (
          <ErrorState error={positions.error} retry={() => void positions.refetch()} />
        ) : (
          <DataTable
            label="Positions"
            data={rows}
            columns={columns}
            rowId={(p) => `${p.exchange}:${p.symbol}:${p.product}`}
            mobileRow={(p) => (
              <MobileRow
                title={p.symbol}
                detail={`${p.exchange} · ${p.product} · ${formatQty(p.quantity)} @ ${formatPrice(p.averagePriceE4)}`}
                figure={
                  <span className={pnlClass(p.pnlE4)}>{formatInr(p.pnlE4, { sign: true })}</span>
                }
                sub={`LTP ${formatPrice(p.ltpE4)}`}
                action={
                  p.quantity !== 0 ? (
                    <Button
                      variant="secondary"
                      className="min-h-8 px-2 text-xs"
                      aria-label={`Close ${p.symbol} ${p.product}`}
                      onClick={() => close.mutate(p)}
                    >
                      Close
                    </Button>
                  ) : null
                }
              />
            )}
            empty={
              <Empty title="No positions today">Positions open here when an order fills.</Empty>
            }
          />
        )}
      </Card>
      <Confirm
        open={closeAll}
        title="Close all positions?"
        body={`Market orders will square off ${open.length} open positions.`}
        confirmLabel="Close all"
        busy={closeEvery.isPending}
        error={closeEvery.isError ? messageOf(closeEvery.error) : null}
        onConfirm={() => closeEvery.mutate()}
        onClose={() => setCloseAll(false)}
      />
    </>
  )
}
