import type { MasterContract } from '@oa/web-contract'
import { cx } from './ui.js'

/** The master-contract LED (spec §3.4): grey checking, yellow downloading, green ready, red error. */
export function MasterLed({ data, error }: { data: MasterContract | undefined; error: boolean }) {
  const status = error ? 'unavailable' : (data?.status ?? 'unknown')
  const look: Record<string, [string, string]> = {
    unknown: ['bg-dim pulse', 'Checking…'],
    pending: ['bg-dim pulse', 'Checking…'],
    downloading: [
      'bg-warn pulse',
      `Downloading…${data?.progressPercent != null ? ` ${data.progressPercent}%` : ''}`,
    ],
    success: ['bg-profit', `Ready (${(data?.totalSymbols ?? 0).toLocaleString('en-IN')} symbols)`],
    error: ['bg-loss', 'Error'],
    unavailable: ['bg-dim', 'Status not available'],
  }
  const [dot, text] = look[status] ?? look['unknown']!
  return (
    <span
      className="inline-flex items-center gap-2 rounded-full border border-line px-3 py-1 text-xs"
      title={data?.message ?? text}
    >
      <span aria-hidden className={cx('size-2.5 rounded-full', dot)} />
      <span>Master contract: {text}</span>
    </span>
  )
}
