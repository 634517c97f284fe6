import { CheckCircle2, Clock, XCircle } from 'lucide-react'
import { Badge } from './ui.js'

export function ActionBadge({ action }: { action: string }) {
  return <Badge tone={action === 'BUY' ? 'profit' : 'loss'}>{action}</Badge>
}

/** complete ✓ green, rejected ✗ red, cancelled ✗ grey, open ⏱ accent (spec §3.5). */
export function StatusBadge({ status }: { status: string }) {
  const s = status.toLowerCase()
  if (s === 'complete')
    return (
      <Badge tone="profit">
        <CheckCircle2 aria-hidden className="size-3" /> complete
      </Badge>
    )
  if (s === 'rejected')
    return (
      <Badge tone="loss">
        <XCircle aria-hidden className="size-3" /> rejected
      </Badge>
    )
  if (s === 'cancelled' || s === 'expired')
    return (
      <Badge>
        <XCircle aria-hidden className="size-3" /> {s}
      </Badge>
    )
  return (
    <Badge tone="accent">
      <Clock aria-hidden className="size-3" /> {s.replace('_', ' ')}
    </Badge>
  )
}
