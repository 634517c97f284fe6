import { actionReply, PRICE_TYPES, PRODUCTS } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { messageOf, postData } from '../lib/api.js'
import { Button, Dialog, Field } from './ui.js'

export interface OrderTicket {
  readonly symbol: string
  readonly exchange: string
  readonly action: 'BUY' | 'SELL'
  readonly quantity: number
  readonly product: string
}

/** A quick order (holdings' Add / Exit, spec F8) through `/ui/api/orders`; refusals in place. */
export function OrderDialog({ ticket, onClose }: { ticket: OrderTicket; onClose: () => void }) {
  const qc = useQueryClient()
  const [f, setF] = useState({
    quantity: String(ticket.quantity),
    priceType: 'MARKET',
    price: '',
    product: ticket.product,
  })
  const place = useMutation({
    mutationFn: () =>
      postData(
        '/ui/api/orders',
        {
          symbol: ticket.symbol,
          exchange: ticket.exchange,
          action: ticket.action,
          quantity: Number(f.quantity),
          priceType: f.priceType,
          product: f.product,
          price: f.priceType === 'MARKET' ? '0' : f.price,
        },
        actionReply,
      ),
    onSuccess: (r) => {
      toast.success(r.orderId ? `${r.message} (${r.orderId})` : r.message)
      for (const k of ['orders', 'positions', 'holdings', 'funds'])
        void qc.invalidateQueries({ queryKey: [k] })
      onClose()
    },
  })
  const select = (
    label: string,
    value: string,
    options: readonly string[],
    key: 'priceType' | 'product',
  ) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`od-${key}`} className="text-sm font-medium">
        {label}
      </label>
      <select
        id={`od-${key}`}
        value={value}
        onChange={(e) => setF({ ...f, [key]: e.target.value })}
        className="min-h-10 rounded-md border border-line bg-surface px-3 text-sm"
      >
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </div>
  )
  const valid =
    /^\d+$/.test(f.quantity) &&
    Number(f.quantity) > 0 &&
    (f.priceType === 'MARKET' || /^\d+(\.\d{1,4})?$/.test(f.price))
  return (
    <Dialog
      open
      onClose={onClose}
      title={`${ticket.action === 'BUY' ? 'Add' : 'Exit'} ${ticket.symbol}`}
    >
      <form
        className="grid gap-3 sm:grid-cols-2"
        onSubmit={(e: FormEvent) => {
          e.preventDefault()
          if (valid) place.mutate()
        }}
      >
        <Field
          label="Quantity"
          inputMode="numeric"
          value={f.quantity}
          onChange={(e) => setF({ ...f, quantity: e.target.value.trim() })}
        />
        {select(
          'Order type',
          f.priceType,
          PRICE_TYPES.filter((p) => p === 'MARKET' || p === 'LIMIT'),
          'priceType',
        )}
        {f.priceType === 'LIMIT' && (
          <Field
            label="Price"
            inputMode="decimal"
            value={f.price}
            onChange={(e) => setF({ ...f, price: e.target.value.trim() })}
          />
        )}
        {select('Product', f.product, PRODUCTS, 'product')}
        {place.isError && (
          <p role="alert" className="text-sm text-loss sm:col-span-2">
            {messageOf(place.error)}
          </p>
        )}
        <div className="mt-2 flex justify-end gap-2 sm:col-span-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant={ticket.action === 'BUY' ? 'primary' : 'danger'}
            busy={place.isPending}
            disabled={!valid}
          >
            {ticket.action === 'BUY' ? 'Buy' : 'Sell'} {ticket.symbol}
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
