import { ArrowRight } from 'lucide-react'
import { Link } from 'react-router'
import { MasterLed } from '../components/master-led.js'
import { Card, ErrorState, PageHeader, Spinner, Stat, cx } from '../components/ui.js'
import { formatInr, pnlClass } from '../lib/format.js'
import {
  useFunds,
  useMarketStatus,
  useMasterContract,
  useOrders,
  usePositions,
} from '../lib/queries.js'

/** Funds, today's P&L, positions and orders at a glance, market status, master contract (F4). */
export default function DashboardPage() {
  const funds = useFunds()
  const positions = usePositions()
  const orders = useOrders()
  const market = useMarketStatus()
  const master = useMasterContract()
  const f = funds.data
  const open = positions.data?.positions.filter((p) => p.quantity !== 0) ?? []
  const positionsPnl = (positions.data?.positions ?? []).reduce((a, p) => a + p.pnlE4, 0)
  return (
    <>
      <PageHeader
        title="Trading Dashboard"
        subtitle="Funds, today's P&L and open positions, updated as orders fill."
        actions={<MasterLed data={master.data} error={master.isError} />}
      />
      <section aria-label="Funds" data-testid="funds">
        {funds.isPending ? (
          <Spinner label="Loading funds" />
        ) : funds.isError ? (
          <Card>
            <ErrorState error={funds.error} retry={() => void funds.refetch()} />
          </Card>
        ) : f ? (
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
            <Stat label="Available balance" value={formatInr(f.availableCashE4)} />
            <Stat label="Collateral" value={formatInr(f.collateralE4)} />
            <Stat
              label="Unrealized P&L"
              value={formatInr(f.m2mUnrealizedE4, { sign: true })}
              tone={pnlClass(f.m2mUnrealizedE4)}
            />
            <Stat
              label="Realized P&L"
              value={formatInr(f.m2mRealizedE4, { sign: true })}
              tone={pnlClass(f.m2mRealizedE4)}
            />
            <Stat label="Utilised margin" value={formatInr(f.utilisedDebitsE4)} />
          </div>
        ) : null}
      </section>

      <div className="mt-5 grid gap-4 lg:grid-cols-3">
        <Card
          title="Today"
          action={
            <Link to="/positions" className="inline-flex items-center gap-1 text-xs text-accent">
              Positions <ArrowRight aria-hidden className="size-3" />
            </Link>
          }
          className="lg:col-span-2"
        >
          {positions.isPending ? (
            <Spinner label="Loading positions" />
          ) : positions.isError ? (
            <ErrorState error={positions.error} />
          ) : (
            <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Figure
                label="P&L today"
                value={formatInr(f ? f.m2mRealizedE4 + f.m2mUnrealizedE4 : positionsPnl, {
                  sign: true,
                })}
                tone={pnlClass(f ? f.m2mRealizedE4 + f.m2mUnrealizedE4 : positionsPnl)}
              />
              <Figure label="Open positions" value={String(open.length)} />
              <Figure
                label="Long / short"
                value={`${open.filter((p) => p.quantity > 0).length} / ${open.filter((p) => p.quantity < 0).length}`}
              />
              <Figure
                label="Open orders"
                value={orders.data ? String(orders.data.statistics.open) : '–'}
              />
            </div>
          )}
        </Card>
        <Card title="Market status">
          {market.isPending ? (
            <Spinner />
          ) : market.isError ? (
            <ErrorState error={market.error} />
          ) : (
            <ul className="grid grid-cols-2 gap-2 text-sm">
              {market.data.exchanges.map((e) => (
                <li key={e.exchange} className="flex items-center gap-2" title={e.session}>
                  <span
                    aria-hidden
                    className={cx('size-2 rounded-full', e.open ? 'bg-profit' : 'bg-dim')}
                  />
                  <span className="font-medium">{e.exchange}</span>
                  <span className="text-dim">{e.open ? 'Open' : 'Closed'}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <div className="mt-5 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {[
          ['/orderbook', 'Order book'],
          ['/apikey', 'API key & snippets'],
          ['/analyzer', 'Analyzer log'],
          ['/master-contract', 'Master contract'],
        ].map(([to, label]) => (
          <Link
            key={to}
            to={to!}
            className="flex items-center justify-between rounded-xl border border-line bg-surface px-4 py-3 text-sm font-medium shadow-sm hover:border-accent"
          >
            {label}
            <ArrowRight aria-hidden className="size-4 text-dim" />
          </Link>
        ))}
      </div>
    </>
  )
}

function Figure({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div>
      <div className="text-xs text-dim">{label}</div>
      <div className={cx('num mt-1 text-lg font-semibold', tone)}>{value}</div>
    </div>
  )
}
