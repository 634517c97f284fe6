import type { ReactNode } from 'react'

/** Two lines for a phone: what (symbol, details) on the left, the figure that matters on the right. */
export function MobileRow({
  title,
  detail,
  figure,
  sub,
  action,
}: {
  title: ReactNode
  detail: ReactNode
  figure: ReactNode
  sub?: ReactNode
  action?: ReactNode
}) {
  return (
    <div className="flex items-center gap-3">
      <div className="min-w-0 flex-1">
        <div className="truncate font-medium">{title}</div>
        <div className="mt-0.5 truncate text-xs text-dim">{detail}</div>
      </div>
      <div className="text-right">
        <div className="num font-semibold">{figure}</div>
        {sub && <div className="num mt-0.5 text-xs text-dim">{sub}</div>}
      </div>
      {action}
    </div>
  )
}
