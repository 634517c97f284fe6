import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table'
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react'
import { useState, type ReactNode } from 'react'
import { cx } from './ui.js'

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData, TValue> {
    /** right-aligned tabular figures */
    numeric?: boolean
  }
}

/** the first column stays in view while a phone scrolls the rest sideways */
const STICKY = 'sticky left-0 z-[1] bg-surface'

/**
 * A sortable table (TanStack Table): numbers right-aligned in tabular figures, a sticky
 * header, horizontal scroll on a phone instead of squeezed columns. Sort headers are buttons,
 * so the keyboard reaches them; `aria-sort` tells a screen reader the order.
 */
export function DataTable<T>({
  data,
  columns,
  empty,
  label,
  rowId,
  mobileRow,
}: {
  data: readonly T[]
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[]
  empty: ReactNode
  label: string
  rowId?: (row: T) => string
  /** a phone-width rendering of one row (two lines); the table shows from `sm` up */
  mobileRow?: (row: T) => ReactNode
}) {
  const [sorting, setSorting] = useState<SortingState>([])
  const table = useReactTable({
    data: data as T[],
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    ...(rowId ? { getRowId: rowId } : {}),
  })
  if (data.length === 0) return <>{empty}</>
  // `relative`: the visually hidden header labels are absolutely positioned; without a
  // positioned ancestor inside the scroller they would widen the whole page on a phone
  const rows = table.getRowModel().rows
  return (
    <>
      {mobileRow && (
        <ul aria-label={label} className="-mx-4 -my-4 divide-y divide-line sm:hidden">
          {rows.map((r) => (
            <li key={r.id} className="px-4 py-3">
              {mobileRow(r.original)}
            </li>
          ))}
        </ul>
      )}
      <div className={cx('relative -mx-4 overflow-x-auto', mobileRow && 'hidden sm:block')}>
        <table className="w-full min-w-max border-collapse text-sm" aria-label={label}>
          <thead>
            {table.getHeaderGroups().map((g) => (
              <tr key={g.id} className="border-b border-line">
                {g.headers.map((h) => {
                  const numeric = h.column.columnDef.meta?.numeric
                  const sorted = h.column.getIsSorted()
                  return (
                    <th
                      key={h.id}
                      scope="col"
                      aria-sort={
                        sorted === 'asc'
                          ? 'ascending'
                          : sorted === 'desc'
                            ? 'descending'
                            : undefined
                      }
                      className={cx(
                        'px-4 py-2 text-xs font-medium tracking-wide whitespace-nowrap text-dim uppercase',
                        numeric ? 'text-right' : 'text-left',
                        h.index === 0 && STICKY,
                      )}
                    >
                      {h.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={h.column.getToggleSortingHandler()}
                          className={cx(
                            'inline-flex items-center gap-1 uppercase hover:text-fg',
                            numeric && 'flex-row-reverse',
                          )}
                        >
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          {sorted === 'asc' ? (
                            <ArrowUp aria-hidden className="size-3" />
                          ) : sorted === 'desc' ? (
                            <ArrowDown aria-hidden className="size-3" />
                          ) : (
                            <ArrowUpDown aria-hidden className="size-3 opacity-40" />
                          )}
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  )
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-b border-line last:border-0 hover:bg-muted/60">
                {r.getVisibleCells().map((c, i) => (
                  <td
                    key={c.id}
                    className={cx(
                      'px-4 py-2.5 whitespace-nowrap',
                      i === 0 && STICKY,
                      c.column.columnDef.meta?.numeric && 'num text-right',
                    )}
                  >
                    {flexRender(c.column.columnDef.cell, c.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** Downloads rows as CSV; cells that a spreadsheet would run as a formula are neutralised. */
export function downloadCsv(name: string, header: string[], rows: (string | number)[][]): void {
  const cell = (v: string | number): string => {
    let s = String(v)
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  const text = [header, ...rows].map((r) => r.map(cell).join(',')).join('\n')
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  URL.revokeObjectURL(url)
}
