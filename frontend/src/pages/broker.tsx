import { loginReply } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { PlugZap } from 'lucide-react'
import { Navigate, useNavigate } from 'react-router'
import { AuthFrame } from '../components/layout.js'
import { Button, Spinner } from '../components/ui.js'
import { getJson, messageOf } from '../lib/api.js'
import { keys, useMe, useSession } from '../lib/queries.js'

const NAMES: Record<string, string> = { simulator: 'Simulator (paper broker)' }

/**
 * Broker connect (spec §3.3): the one broker REDIRECT_URL names. The simulator needs no
 * credentials, so "Connect" is one click; its callback answers JSON and failures show here.
 * OAuth brokers are sent to their login page and come back through `/<broker>/callback`.
 */
export default function BrokerPage() {
  const session = useSession()
  const me = useMe(session.data?.authenticated === true)
  const navigate = useNavigate()
  const qc = useQueryClient()
  const broker = me.data?.configuredBroker ?? null
  const connect = useMutation({
    mutationFn: () => getJson(`/${broker}/callback`, loginReply),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.session })
      qc.removeQueries({ queryKey: keys.me })
      navigate('/dashboard', { replace: true })
    },
  })
  if (session.isPending) return <Spinner />
  const s = session.data
  if (!s?.authenticated) return <Navigate to="/login" replace />
  if (s.logged_in && !s.broker_session_expired) return <Navigate to="/dashboard" replace />
  const failedBefore = new URLSearchParams(window.location.search).has('error')
  return (
    <AuthFrame title="Connect your broker">
      {s.broker_session_expired && (
        <p role="alert" className="mb-4 rounded-md bg-warn/10 p-3 text-sm text-warn">
          Your broker session has expired. Connect again to continue trading.
        </p>
      )}
      {me.isPending ? (
        <Spinner />
      ) : me.isError ? (
        <p role="alert" className="text-sm text-loss">
          Failed to load broker configuration: {messageOf(me.error)}
        </p>
      ) : !broker ? (
        <p role="alert" className="text-sm text-loss">
          No broker is configured. Set REDIRECT_URL to http://HOST/&lt;broker&gt;/callback with a
          broker from VALID_BROKERS in .env, then restart.
        </p>
      ) : (
        <div className="flex flex-col gap-4">
          <div className="flex items-center gap-3 rounded-lg border border-line p-4">
            <PlugZap aria-hidden className="size-6 text-accent" />
            <div>
              <div className="font-medium">{NAMES[broker] ?? broker}</div>
              <div className="text-xs text-dim">Configured in .env (REDIRECT_URL)</div>
            </div>
          </div>
          {(connect.isError || failedBefore) && (
            <p role="alert" className="rounded-md bg-loss/10 p-3 text-sm text-loss">
              {connect.isError
                ? messageOf(connect.error)
                : 'Broker authentication failed. Please try again.'}
            </p>
          )}
          {broker === 'simulator' ? (
            <Button busy={connect.isPending} onClick={() => connect.mutate()}>
              Connect {NAMES[broker] ? 'simulator' : broker}
            </Button>
          ) : (
            <Button onClick={() => window.location.assign(`/${broker}/callback`)}>
              Connect {broker}
            </Button>
          )}
        </div>
      )}
    </AuthFrame>
  )
}
