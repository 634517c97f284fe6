import { actionReply } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { RefreshCw } from 'lucide-react'
import { toast } from 'sonner'
import { MasterLed } from '../components/master-led.js'
import { Button, Card, ErrorState, PageHeader, Spinner } from '../components/ui.js'
import { messageOf, postData } from '../lib/api.js'
import { formatQty, formatTime } from '../lib/format.js'
import { keys, useMasterContract } from '../lib/queries.js'

/** Master contract status (F30 subset) with a reload; progress is pushed while downloading. */
export default function MasterContractPage() {
  const mc = useMasterContract()
  const qc = useQueryClient()
  const reload = useMutation({
    mutationFn: () => postData('/ui/api/master-contract/reload', {}, actionReply),
    onSuccess: (r) => {
      toast.success(r.message)
      void qc.invalidateQueries({ queryKey: keys.masterContract })
    },
    onError: (e) => toast.error(messageOf(e)),
  })
  const d = mc.data
  return (
    <>
      <PageHeader
        title="Master Contract"
        subtitle="The broker's instrument list that every order and search resolves against."
        actions={
          <Button variant="secondary" busy={reload.isPending} onClick={() => reload.mutate()}>
            <RefreshCw aria-hidden className="size-4" /> Reload
          </Button>
        }
      />
      <Card title="Status" action={<MasterLed data={d} error={mc.isError} />}>
        {mc.isPending ? (
          <Spinner />
        ) : mc.isError ? (
          <ErrorState error={mc.error} retry={() => void mc.refetch()} />
        ) : d ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-dim">State</dt>
              <dd className="font-medium capitalize">{d.status}</dd>
              <dt className="text-dim">Message</dt>
              <dd>{d.message || '–'}</dd>
              <dt className="text-dim">Broker</dt>
              <dd>{d.broker ?? '–'}</dd>
              <dt className="text-dim">Symbols</dt>
              <dd className="num">{formatQty(d.totalSymbols)}</dd>
              <dt className="text-dim">Last download</dt>
              <dd className="num">
                {d.lastDownloadedAt ? formatTime(d.lastDownloadedAt, true) : '–'}
              </dd>
              <dt className="text-dim">Duration</dt>
              <dd className="num">
                {d.durationMs != null ? `${(d.durationMs / 1000).toFixed(1)} s` : '–'}
              </dd>
            </dl>
            <table className="text-sm" aria-label="Symbols per exchange">
              <thead>
                <tr className="text-xs text-dim uppercase">
                  <th className="text-left">Exchange</th>
                  <th className="text-right">Symbols</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(d.exchanges).map(([ex, n]) => (
                  <tr key={ex} className="border-t border-line">
                    <td className="py-1">{ex}</td>
                    <td className="num py-1 text-right">{formatQty(n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
    </>
  )
}
