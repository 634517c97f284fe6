import type { AnalyzerEntry } from '@oa/web-contract'
import { createColumnHelper } from '@tanstack/react-table'
import { useState } from 'react'
import { DataTable } from '../components/data-table.js'
import {
  Badge,
  Button,
  Card,
  Dialog,
  Empty,
  ErrorState,
  Field,
  PageHeader,
  Spinner,
  Stat,
} from '../components/ui.js'
import { formatTime, istToday } from '../lib/format.js'
import { useAnalyzerLog, useMe } from '../lib/queries.js'

/** The sandbox request monitor (F11): today's analyzer requests, live via push. */
export default function AnalyzerPage() {
  const today = istToday()
  const [start, setStart] = useState(today)
  const [end, setEnd] = useState(today)
  const log = useAnalyzerLog(start, end)
  const me = useMe()
  const [viewing, setViewing] = useState<AnalyzerEntry | null>(null)
  const col = createColumnHelper<AnalyzerEntry>()
  const columns = [
    col.accessor('time', {
      header: 'Timestamp',
      meta: { numeric: true },
      cell: (c) => formatTime(c.getValue(), true),
    }),
    col.accessor('apiType', { header: 'API type' }),
    col.accessor('source', { header: 'Source', enableSorting: false }),
    col.accessor(
      (e) =>
        [e.symbol, e.quantity != null ? `× ${e.quantity}` : '', e.priceType, e.product, e.orderId]
          .filter(Boolean)
          .join(' '),
      { id: 'details', header: 'Details', enableSorting: false },
    ),
    col.accessor('exchange', {
      header: 'Exchange',
      enableSorting: false,
      cell: (c) => c.getValue() ?? '–',
    }),
    col.accessor('action', {
      header: 'Action',
      enableSorting: false,
      cell: (c) => c.getValue() ?? '–',
    }),
    col.accessor('ok', {
      header: 'Status',
      cell: (c) =>
        c.getValue() ? <Badge tone="profit">success</Badge> : <Badge tone="loss">error</Badge>,
    }),
    col.display({
      id: 'view',
      header: () => <span className="sr-only">View</span>,
      cell: (c) => (
        <Button
          variant="ghost"
          className="min-h-8 text-xs"
          onClick={() => setViewing(c.row.original)}
        >
          View
        </Button>
      ),
    }),
  ]
  const stats = log.data?.stats
  return (
    <>
      <PageHeader
        title="Sandbox Request Monitor"
        subtitle={
          me.data?.mode === 'analyze'
            ? 'Analyzer mode is on. Review and validate your sandbox API requests before going live.'
            : 'Analyzer mode is off: switch it on from the top bar to route orders to the sandbox.'
        }
        actions={
          <div className="flex items-end gap-2">
            <Field
              label="From"
              type="date"
              value={start}
              max={end}
              onChange={(e) => setStart(e.target.value || today)}
            />
            <Field
              label="To"
              type="date"
              value={end}
              min={start}
              onChange={(e) => setEnd(e.target.value || today)}
            />
          </div>
        }
      />
      <div className="mb-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label="Total requests"
          value={stats?.totalRequests ?? '–'}
          caption="In the chosen dates"
        />
        <Stat
          label="Issues found"
          value={stats?.issues ?? '–'}
          tone={stats?.issues ? 'text-loss' : undefined}
          caption="Needs attention"
        />
        <Stat label="Unique symbols" value={stats?.symbols.length ?? '–'} caption="Tracked" />
        <Stat label="Active sources" value={stats?.sources.length ?? '–'} caption="Connected" />
      </div>
      <Card title="Requests">
        {log.isPending ? (
          <Spinner label="Loading requests" />
        ) : log.isError ? (
          <ErrorState error={log.error} retry={() => void log.refetch()} />
        ) : (
          <DataTable
            label="Analyzer requests"
            data={log.data.requests}
            columns={columns}
            empty={
              <Empty title="No sandbox requests in these dates">
                Orders sent while Analyzer mode is on show here.
              </Empty>
            }
          />
        )}
      </Card>
      <Dialog
        open={viewing !== null}
        onClose={() => setViewing(null)}
        title={`${viewing?.apiType ?? ''} request`}
      >
        {viewing && (
          <div className="grid gap-3 text-xs">
            {viewing.issue && <p className="text-loss">{viewing.issue}</p>}
            <div>
              <div className="mb-1 font-medium">Request</div>
              <pre className="max-h-60 overflow-auto rounded bg-muted p-3">
                {JSON.stringify(viewing.request, null, 2)}
              </pre>
            </div>
            <div>
              <div className="mb-1 font-medium">Response</div>
              <pre className="max-h-60 overflow-auto rounded bg-muted p-3">
                {JSON.stringify(viewing.response, null, 2)}
              </pre>
            </div>
          </div>
        )}
      </Dialog>
    </>
  )
}
