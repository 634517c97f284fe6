import { actionReply, PRICE_TYPES, type OrderRow } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { createColumnHelper } from '@tanstack/react-table'
import { Download, Pencil, X } from 'lucide-react'
import { useMemo, useState } from 'react'
import { toast } from 'sonner'
import { MobileRow } from '../components/mobile-row.js'
import { DataTable, downloadCsv } from '../components/data-table.js'
import { ActionBadge, StatusBadge } from '../components/order-bits.js'
import {
  Button,
  Card,
  Confirm,
  Dialog,
  Empty,
  ErrorState,
  Field,
  PageHeader,
  Spinner,
  Stat,
  cx,
} from '../components/ui.js'
import { messageOf, postData } from '../lib/api.js'
import { formatPrice, formatQty, formatTime } from '../lib/format.js'
import { keys, useOrders } from '../lib/queries.js'

const FILTERS = ['complete', 'open', 'rejected', 'cancelled'] as const
const isOpen = (o: OrderRow) => o.status === 'open' || o.status === 'trigger_pending'
const e4ToText = (e4: number) => String(e4 / 10_000)

/** Today's orders (F5): stats, filter, sort, CSV, modify/cancel/cancel-all; live via push. */
export default function OrderBookPage() {
  const orders = useOrders()
  const qc = useQueryClient()
  const [filter, setFilter] = useState<Set<string>>(new Set())
  const [cancelAll, setCancelAll] = useState(false)
  const [modifying, setModifying] = useState<OrderRow | null>(null)
  const refresh = () => void qc.invalidateQueries({ queryKey: keys.orders })
  const cancel = useMutation({
    mutationFn: (orderId: string) => postData('/ui/api/orders/cancel', { orderId }, actionReply),
    onSuccess: (r) => {
      toast.success(r.message)
      refresh()
    },
    onError: (e) => toast.error(messageOf(e)),
  })
  const cancelEvery = useMutation({
    mutationFn: () => postData('/ui/api/orders/cancel-all', {}, actionReply),
    onSuccess: (r) => {
      toast.success(r.message)
      setCancelAll(false)
      refresh()
    },
  })
  const rows = useMemo(() => {
    const all = orders.data?.orders ?? []
    if (filter.size === 0) return all
    return all.filter((o) => filter.has(o.status === 'trigger_pending' ? 'open' : o.status))
  }, [orders.data, filter])

  const col = createColumnHelper<OrderRow>()
  const columns = [
    col.accessor('symbol', {
      header: 'Symbol',
      cell: (c) => <span className="font-medium">{c.getValue()}</span>,
    }),
    col.accessor('exchange', { header: 'Exchange', enableSorting: false }),
    col.accessor('action', {
      header: 'Action',
      cell: (c) => <ActionBadge action={c.getValue()} />,
    }),
    col.accessor('quantity', {
      header: 'Qty',
      meta: { numeric: true },
      cell: (c) => `${formatQty(c.row.original.filledQuantity)}/${formatQty(c.getValue())}`,
    }),
    col.accessor((o) => o.averagePriceE4 || o.priceE4, {
      id: 'price',
      header: 'Price',
      meta: { numeric: true },
      cell: (c) => formatPrice(c.getValue()),
    }),
    col.accessor('triggerPriceE4', {
      header: 'Trigger',
      meta: { numeric: true },
      enableSorting: false,
      cell: (c) => (c.getValue() ? formatPrice(c.getValue()) : '–'),
    }),
    col.accessor('priceType', { header: 'Type', enableSorting: false }),
    col.accessor('product', { header: 'Product', enableSorting: false }),
    col.accessor('orderId', {
      header: 'Order ID',
      enableSorting: false,
      cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span>,
    }),
    col.accessor('status', {
      header: 'Status',
      cell: (c) => (
        <span title={c.row.original.rejectionReason || undefined}>
          <StatusBadge status={c.getValue()} />
        </span>
      ),
    }),
    col.accessor('time', {
      header: 'Time',
      meta: { numeric: true },
      cell: (c) => formatTime(c.getValue()),
    }),
    col.display({
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      cell: (c) =>
        isOpen(c.row.original) ? (
          <div className="flex gap-1">
            <Button
              variant="ghost"
              className="min-h-8 px-2"
              aria-label={`Modify order ${c.row.original.orderId}`}
              onClick={() => setModifying(c.row.original)}
            >
              <Pencil className="size-4" />
            </Button>
            <Button
              variant="ghost"
              className="min-h-8 px-2 text-loss"
              aria-label={`Cancel order ${c.row.original.orderId}`}
              busy={cancel.isPending && cancel.variables === c.row.original.orderId}
              onClick={() => cancel.mutate(c.row.original.orderId)}
            >
              <X className="size-4" />
            </Button>
          </div>
        ) : null,
    }),
  ]

  const stats = orders.data?.statistics
  const exportCsv = () => {
    if (rows.length === 0) return toast.info('No data to export')
    downloadCsv(
      'orderbook.csv',
      [
        'Symbol',
        'Exchange',
        'Action',
        'Quantity',
        'Price',
        'Trigger Price',
        'Order Type',
        'Product',
        'Order ID',
        'Status',
        'Time',
      ],
      rows.map((o) => [
        o.symbol,
        o.exchange,
        o.action,
        o.quantity,
        e4ToText(o.averagePriceE4 || o.priceE4),
        e4ToText(o.triggerPriceE4),
        o.priceType,
        o.product,
        o.orderId,
        o.status,
        o.time,
      ]),
    )
  }
  return (
    <>
      <PageHeader
        title="Order Book"
        subtitle="Today's orders. New orders and fills appear here as they happen."
        actions={
          <>
            <Button variant="secondary" onClick={exportCsv}>
              <Download aria-hidden className="size-4" /> Export CSV
            </Button>
            <Button variant="danger" disabled={!stats?.open} onClick={() => setCancelAll(true)}>
              Cancel all
            </Button>
          </>
        }
      />
      <div className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-5">
        <Stat label="Buy orders" value={stats?.buyOrders ?? '–'} />
        <Stat label="Sell orders" value={stats?.sellOrders ?? '–'} />
        <Stat label="Completed" value={stats?.completed ?? '–'} tone="text-profit" />
        <Stat label="Open" value={stats?.open ?? '–'} tone="text-accent" />
        <Stat label="Rejected" value={stats?.rejected ?? '–'} tone="text-loss" />
      </div>
      <Card
        title="Orders"
        action={
          <div role="group" aria-label="Filter by status" className="flex flex-wrap gap-1">
            {FILTERS.map((f) => {
              const on = filter.has(f)
              return (
                <button
                  key={f}
                  type="button"
                  aria-pressed={on}
                  onClick={() =>
                    setFilter((s) => {
                      const n = new Set(s)
                      if (on) n.delete(f)
                      else n.add(f)
                      return n
                    })
                  }
                  className={cx(
                    'rounded-full border px-2.5 py-0.5 text-xs capitalize',
                    on
                      ? 'border-accent bg-accent text-accent-fg'
                      : 'border-line text-dim hover:text-fg',
                  )}
                >
                  {f}
                </button>
              )
            })}
          </div>
        }
      >
        {orders.isPending ? (
          <Spinner label="Loading orders" />
        ) : orders.isError ? (
          <ErrorState error={orders.error} retry={() => void orders.refetch()} />
        ) : (
          <DataTable
            label="Orders"
            data={rows}
            columns={columns}
            rowId={(o) => o.orderId}
            mobileRow={(o) => (
              <MobileRow
                title={
                  <>
                    <ActionBadge action={o.action} /> {o.symbol}
                  </>
                }
                detail={`${o.exchange} · ${o.priceType} · ${o.product} · ${formatTime(o.time)}`}
                figure={`${formatQty(o.filledQuantity)}/${formatQty(o.quantity)} @ ${formatPrice(o.averagePriceE4 || o.priceE4)}`}
                sub={<StatusBadge status={o.status} />}
                action={
                  isOpen(o) ? (
                    <Button
                      variant="ghost"
                      className="min-h-8 px-2 text-loss"
                      aria-label={`Cancel order ${o.orderId}`}
                      onClick={() => cancel.mutate(o.orderId)}
                    >
                      <X className="size-4" />
                    </Button>
                  ) : null
                }
              />
            )}
            empty={
              filter.size > 0 ? (
                <Empty title="No orders match your filters">
                  Try adjusting or clearing your filters.{' '}
                  <button
                    type="button"
                    className="text-accent underline"
                    onClick={() => setFilter(new Set())}
                  >
                    Clear filters
                  </button>
                </Empty>
              ) : (
                <Empty title="No orders today">Orders you place will display here.</Empty>
              )
            }
          />
        )}
      </Card>
      <Confirm
        open={cancelAll}
        title="Cancel all open orders?"
        body={`${stats?.open ?? 0} open orders will be cancelled.`}
        confirmLabel="Cancel all"
        busy={cancelEvery.isPending}
        error={cancelEvery.isError ? messageOf(cancelEvery.error) : null}
        onConfirm={() => cancelEvery.mutate()}
        onClose={() => setCancelAll(false)}
      />
      {modifying && <ModifyDialog order={modifying} onClose={() => setModifying(null)} />}
    </>
  )
}

function ModifyDialog({ order, onClose }: { order: OrderRow; onClose: () => void }) {
  const qc = useQueryClient()
  const [form, setForm] = useState({
    quantity: String(order.quantity),
    price: e4ToText(order.priceE4),
    triggerPrice: e4ToText(order.triggerPriceE4),
    priceType: order.priceType,
  })
  const modify = useMutation({
    mutationFn: () =>
      postData(
        '/ui/api/orders/modify',
        {
          orderId: order.orderId,
          symbol: order.symbol,
          exchange: order.exchange,
          action: order.action,
          product: order.product,
          priceType: form.priceType,
          quantity: Number(form.quantity),
          price: form.price,
          triggerPrice: form.triggerPrice,
        },
        actionReply,
      ),
    onSuccess: (r) => {
      toast.success(r.message)
      void qc.invalidateQueries({ queryKey: keys.orders })
      onClose()
    },
  })
  return (
    <Dialog open onClose={onClose} title={`Modify ${order.action} ${order.symbol}`}>
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault()
          modify.mutate()
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="ptype" className="text-sm font-medium">
            Order type
          </label>
          <select
            id="ptype"
            value={form.priceType}
            onChange={(e) => setForm({ ...form, priceType: e.target.value })}
            className="min-h-10 rounded-md border border-line bg-surface px-3 text-sm"
          >
            {PRICE_TYPES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </div>
        <Field
          label="Quantity"
          inputMode="numeric"
          value={form.quantity}
          onChange={(e) => setForm({ ...form, quantity: e.target.value })}
        />
        {(form.priceType === 'LIMIT' || form.priceType === 'SL') && (
          <Field
            label="Price"
            inputMode="decimal"
            value={form.price}
            onChange={(e) => setForm({ ...form, price: e.target.value })}
          />
        )}
        {(form.priceType === 'SL' || form.priceType === 'SL-M') && (
          <Field
            label="Trigger price"
            inputMode="decimal"
            value={form.triggerPrice}
            onChange={(e) => setForm({ ...form, triggerPrice: e.target.value })}
          />
        )}
        {modify.isError && (
          <p role="alert" className="text-sm text-loss">
            {messageOf(modify.error)}
          </p>
        )}
        <div className="mt-2 flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
          <Button type="submit" busy={modify.isPending}>
            Modify order
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
