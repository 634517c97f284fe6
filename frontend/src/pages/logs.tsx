import type { Logs } from '@oa/web-contract'
import { createColumnHelper } from '@tanstack/react-table'
import { DataTable } from '../components/data-table.js'
import { Badge, Card, Empty, ErrorState, PageHeader, Spinner, Stat } from '../components/ui.js'
import { formatTime } from '../lib/format.js'
import { useLogs } from '../lib/queries.js'

type Login = Logs['logins'][number]
type Traffic = Logs['traffic'][number]
const lc = createColumnHelper<Login>()
const loginColumns = [
  lc.accessor('time', {
    header: 'Time',
    meta: { numeric: true },
    cell: (c) => formatTime(c.getValue(), true),
  }),
  lc.accessor('status', {
    header: 'Status',
    cell: (c) => (
      <Badge tone={c.getValue() === 'success' ? 'profit' : 'loss'}>{c.getValue()}</Badge>
    ),
  }),
  lc.accessor('loginType', { header: 'Type' }),
  lc.accessor('ip', { header: 'IP', enableSorting: false }),
  lc.accessor('broker', {
    header: 'Broker',
    enableSorting: false,
    cell: (c) => c.getValue() ?? '–',
  }),
  lc.accessor('device', {
    header: 'Device',
    enableSorting: false,
    cell: (c) => (
      <span className="block max-w-64 truncate" title={c.getValue()}>
        {c.getValue() || '–'}
      </span>
    ),
  }),
]
const tc = createColumnHelper<Traffic>()
const trafficColumns = [
  tc.accessor('time', {
    header: 'Time',
    meta: { numeric: true },
    cell: (c) => formatTime(c.getValue(), true),
  }),
  tc.accessor('method', { header: 'Method' }),
  tc.accessor('path', { header: 'Path', enableSorting: false }),
  tc.accessor('status', {
    header: 'Status',
    meta: { numeric: true },
    cell: (c) => <span className={c.getValue() >= 400 ? 'text-loss' : ''}>{c.getValue()}</span>,
  }),
  tc.accessor('durationMs', {
    header: 'Duration',
    meta: { numeric: true },
    cell: (c) => `${c.getValue().toFixed(1)} ms`,
  }),
  tc.accessor('clientIp', { header: 'Client IP', enableSorting: false }),
]

/** Login activity and HTTP traffic (F14/F26 subset), refreshed every 30 s. */
export default function LogsPage() {
  const logs = useLogs()
  const s = logs.data?.stats
  return (
    <>
      <PageHeader title="Logs" subtitle="Sign-ins to this installation and recent HTTP traffic." />
      <div className="mb-4 grid grid-cols-3 gap-3">
        <Stat label="Requests logged" value={s?.totalRequests ?? '–'} />
        <Stat
          label="Error requests"
          value={s?.errorRequests ?? '–'}
          tone={s?.errorRequests ? 'text-loss' : undefined}
        />
        <Stat label="Avg duration" value={s ? `${s.avgDurationMs.toFixed(1)} ms` : '–'} />
      </div>
      {logs.isPending ? (
        <Spinner />
      ) : logs.isError ? (
        <Card>
          <ErrorState error={logs.error} retry={() => void logs.refetch()} />
        </Card>
      ) : (
        <div className="grid gap-4">
          <Card title="Login activity">
            <DataTable
              label="Login activity"
              data={logs.data.logins}
              columns={loginColumns}
              empty={<Empty title="No sign-ins recorded" />}
            />
          </Card>
          <Card title="Traffic (latest 50 requests)">
            <DataTable
              label="Traffic"
              data={logs.data.traffic}
              columns={trafficColumns}
              empty={
                <Empty title="No traffic recorded yet">
                  HTTP requests show here once the traffic log is on.
                </Empty>
              }
            />
          </Card>
        </div>
      )}
    </>
  )
}
