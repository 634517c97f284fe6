import { apiKeyReveal } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Copy, Eye, EyeOff, RefreshCw } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { z } from 'zod'
import {
  Badge,
  Button,
  Card,
  Dialog,
  ErrorState,
  Field,
  PageHeader,
  Spinner,
  cx,
} from '../components/ui.js'
import { messageOf, postJson } from '../lib/api.js'
import { keys, useApiKeyMeta, useMe } from '../lib/queries.js'

const modeReply = z.object({ mode: z.enum(['auto', 'semi_auto']) })

async function copy(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text)
    toast.success(`${what} copied`)
  } catch {
    toast.error('Copy failed: select the text and copy it by hand.')
  }
}

/**
 * The API key (F9, W-18): metadata only until the trader re-enters the password; the key then
 * lives in this page's memory, never in storage. Rotate, order mode, and ready-to-paste
 * TradingView alert JSON and Python SDK snippets.
 */
export default function ApiKeyPage() {
  const meta = useApiKeyMeta()
  const me = useMe()
  const qc = useQueryClient()
  const [key, setKey] = useState<string | null>(null)
  const [visible, setVisible] = useState(false)
  const [asking, setAsking] = useState<'reveal' | 'rotate' | null>(null)
  const [password, setPassword] = useState('')
  const confirm = useMutation({
    mutationFn: (what: 'reveal' | 'rotate') =>
      postJson(`/apikey/${what}`, { password }, apiKeyReveal),
    onSuccess: (r, what) => {
      setKey(r.api_key)
      setVisible(true)
      setAsking(null)
      setPassword('')
      if (what === 'rotate') {
        toast.success('New API key generated. The old key no longer works.')
        void qc.invalidateQueries({ queryKey: keys.apiKey })
      }
    },
  })
  const mode = useMutation({
    mutationFn: (m: 'auto' | 'semi_auto') => postJson('/apikey/mode', { mode: m }, modeReply),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.apiKey }),
    onError: (e) => toast.error(messageOf(e)),
  })
  const shown = key ?? 'YOUR_API_KEY'
  const host = me.data?.hostServer ?? window.location.origin
  const tv = JSON.stringify(
    {
      apikey: shown,
      strategy: 'TradingView Strategy',
      symbol: 'SBIN',
      action: '{{strategy.order.action}}',
      exchange: 'NSE',
      pricetype: 'MARKET',
      product: 'MIS',
      quantity: '{{strategy.order.contracts}}',
      position_size: '{{strategy.position_size}}',
    },
    null,
    2,
  )
  const py = `from openalgo import api

client = api(api_key="${shown}", host="${host}")
print(client.placeorder(strategy="Python", symbol="SBIN", action="BUY",
                        exchange="NSE", price_type="MARKET", product="MIS", quantity=1))`

  if (meta.isPending) return <Spinner />
  if (meta.isError) return <ErrorState error={meta.error} retry={() => void meta.refetch()} />
  const m = meta.data
  return (
    <>
      <PageHeader
        title="API Key"
        subtitle="For TradingView alerts, Python strategies and any OpenAlgo client."
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card
          title="API key"
          action={
            m.has_api_key ? <Badge tone="profit">active</Badge> : <Badge tone="warn">none</Badge>
          }
        >
          <div className="flex items-center gap-2">
            <code
              data-testid="api-key"
              className="num min-w-0 flex-1 truncate rounded-md bg-muted px-3 py-2 font-mono text-sm"
            >
              {key
                ? visible
                  ? key
                  : '•'.repeat(32)
                : m.has_api_key
                  ? '•'.repeat(32)
                  : 'No API key yet'}
            </code>
            {key ? (
              <>
                <Button
                  variant="ghost"
                  aria-label={visible ? 'Hide API key' : 'Show API key'}
                  onClick={() => setVisible((v) => !v)}
                >
                  {visible ? <EyeOff className="size-4" /> : <Eye className="size-4" />}
                </Button>
                <Button
                  variant="ghost"
                  aria-label="Copy API key"
                  onClick={() => void copy(key, 'API key')}
                >
                  <Copy className="size-4" />
                </Button>
              </>
            ) : (
              m.has_api_key && (
                <Button variant="secondary" onClick={() => setAsking('reveal')}>
                  Reveal
                </Button>
              )
            )}
          </div>
          <p className="mt-2 text-xs text-dim">
            {m.created_at ? `Created ${m.created_at.slice(0, 10)}. ` : ''}Shown only after you
            confirm your password; never stored in this browser.
          </p>
          <Button className="mt-4" variant="secondary" onClick={() => setAsking('rotate')}>
            <RefreshCw aria-hidden className="size-4" />{' '}
            {m.has_api_key ? 'Regenerate key' : 'Generate key'}
          </Button>
        </Card>
        <Card title="Order mode">
          <div role="radiogroup" aria-label="Order mode" className="grid grid-cols-2 gap-2">
            {(['auto', 'semi_auto'] as const).map((o) => (
              <button
                key={o}
                type="button"
                role="radio"
                aria-checked={m.order_mode === o}
                disabled={mode.isPending || !m.has_api_key}
                onClick={() => mode.mutate(o)}
                className={cx(
                  'rounded-lg border px-3 py-2 text-sm font-medium',
                  m.order_mode === o
                    ? 'border-accent bg-accent text-accent-fg'
                    : 'border-line hover:bg-muted',
                )}
              >
                {o === 'auto' ? 'Auto' : 'Semi-Auto'}
              </button>
            ))}
          </div>
          <p className="mt-3 text-sm text-dim">
            {m.order_mode === 'auto'
              ? 'All orders will execute immediately.'
              : 'All orders will be queued in the Action Center for approval.'}
          </p>
        </Card>
        <Card
          title="TradingView alert (strategy)"
          action={
            <Button
              variant="ghost"
              aria-label="Copy TradingView JSON"
              onClick={() => void copy(tv, 'Alert JSON')}
            >
              <Copy className="size-4" />
            </Button>
          }
        >
          <p className="mb-2 text-xs text-dim">
            Webhook URL: <code className="break-all">{host}/api/v1/placesmartorder</code>
          </p>
          <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">{tv}</pre>
        </Card>
        <Card
          title="Python SDK"
          action={
            <Button
              variant="ghost"
              aria-label="Copy Python snippet"
              onClick={() => void copy(py, 'Python snippet')}
            >
              <Copy className="size-4" />
            </Button>
          }
        >
          <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">{py}</pre>
          {!key && (
            <p className="mt-2 text-xs text-dim">Reveal the key to fill it into the snippets.</p>
          )}
        </Card>
      </div>
      <Dialog
        open={asking !== null}
        onClose={() => {
          setAsking(null)
          confirm.reset()
        }}
        title={asking === 'rotate' ? 'Regenerate API key' : 'Reveal API key'}
      >
        <form
          className="grid gap-3"
          onSubmit={(e: FormEvent) => {
            e.preventDefault()
            if (asking) confirm.mutate(asking)
          }}
        >
          {asking === 'rotate' && (
            <p className="text-sm text-warn">
              The current key will be invalidated and any applications using it will need to be
              updated.
            </p>
          )}
          <Field
            label="Confirm your password"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={confirm.isError ? messageOf(confirm.error) : undefined}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setAsking(null)}>
              Cancel
            </Button>
            <Button
              type="submit"
              busy={confirm.isPending}
              disabled={!password}
              variant={asking === 'rotate' ? 'danger' : 'primary'}
            >
              {asking === 'rotate' ? 'Regenerate' : 'Reveal'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  )
}
