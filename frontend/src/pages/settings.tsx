import { loginReply, totpSecretReply, totpStatus } from '@oa/web-contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { toast } from 'sonner'
import { PasswordRules, passwordOk } from '../components/password-rules.js'
import { Button, Card, ErrorState, Field, PageHeader, Spinner } from '../components/ui.js'
import { messageOf, postData, postJson } from '../lib/api.js'
import { keys, useTotp } from '../lib/queries.js'

/** Account (password change) and two-factor settings (spec §3.13 P0 parts). */
export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" subtitle="Your password and two-factor authentication." />
      <div className="grid gap-4 lg:grid-cols-2">
        <PasswordCard />
        <TotpCard />
      </div>
    </>
  )
}

function PasswordCard() {
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [f, setF] = useState({ current: '', next: '', confirm: '' })
  const change = useMutation({
    mutationFn: () =>
      postJson(
        '/auth/change-password',
        { old_password: f.current, new_password: f.next, confirm_password: f.confirm },
        loginReply,
      ),
    onSuccess: (r) => {
      toast.success(r.message ?? 'Password changed. Please log in again.')
      qc.clear()
      navigate('/login', { replace: true })
    },
  })
  const mismatch = f.confirm.length > 0 && f.confirm !== f.next
  const ready = f.current && passwordOk(f.next) && f.next === f.confirm
  return (
    <Card title="Change password">
      <form
        className="grid gap-3"
        onSubmit={(e: FormEvent) => {
          e.preventDefault()
          if (ready) change.mutate()
        }}
      >
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={f.current}
          onChange={(e) => setF({ ...f, current: e.target.value })}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={f.next}
          onChange={(e) => setF({ ...f, next: e.target.value })}
        />
        <PasswordRules password={f.next} />
        <Field
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          value={f.confirm}
          onChange={(e) => setF({ ...f, confirm: e.target.value })}
          error={mismatch ? 'Passwords do not match' : undefined}
        />
        {change.isError && (
          <p role="alert" className="rounded-md bg-loss/10 p-3 text-sm text-loss">
            {messageOf(change.error)}
          </p>
        )}
        <p className="text-xs text-dim">
          Changing the password logs out every device, this one included.
        </p>
        <Button type="submit" busy={change.isPending} disabled={!ready}>
          Change password
        </Button>
      </form>
    </Card>
  )
}

function TotpCard() {
  const totp = useTotp()
  const qc = useQueryClient()
  const [password, setPassword] = useState('')
  const [secret, setSecret] = useState<{ secret: string; uri: string } | null>(null)
  const [code, setCode] = useState('')
  const [flags, setFlags] = useState<{
    enabled: boolean
    requiredForLogin: boolean
    requiredForPasswordReset: boolean
  } | null>(null)
  const show = useMutation({
    mutationFn: () => postData('/ui/api/totp/secret', { password }, totpSecretReply),
    onSuccess: (s) => {
      setSecret(s)
      setPassword('')
    },
  })
  const save = useMutation({
    mutationFn: () => postData('/ui/api/totp', { ...current, code }, totpStatus),
    onSuccess: (s) => {
      qc.setQueryData(keys.totp, s)
      setFlags(null)
      setCode('')
      toast.success('Two-factor settings saved')
    },
  })
  if (totp.isPending)
    return (
      <Card title="Two-factor authentication">
        <Spinner />
      </Card>
    )
  if (totp.isError)
    return (
      <Card title="Two-factor authentication">
        <ErrorState error={totp.error} />
      </Card>
    )
  const current = flags ?? totp.data
  const toggle = (k: keyof typeof current, label: string, disabled = false) => (
    <label className="flex items-center justify-between gap-3 py-1 text-sm">
      <span>{label}</span>
      <input
        type="checkbox"
        className="size-4 accent-[var(--oa-accent)]"
        checked={current[k]}
        disabled={disabled}
        onChange={(e) => setFlags({ ...current, [k]: e.target.checked })}
      />
    </label>
  )
  return (
    <Card title="Two-factor authentication">
      <div className="grid gap-1">
        {toggle('enabled', 'Authenticator (TOTP) on')}
        {toggle('requiredForLogin', 'Ask for a code at login', !current.enabled)}
        {toggle('requiredForPasswordReset', 'Require a code for password reset', !current.enabled)}
      </div>
      {flags && (
        <form
          className="mt-3 grid gap-2"
          onSubmit={(e: FormEvent) => {
            e.preventDefault()
            save.mutate()
          }}
        >
          <Field
            label="Current 6-digit code"
            inputMode="numeric"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            error={save.isError ? messageOf(save.error) : undefined}
            hint="A valid code proves your authenticator works before it guards your login."
          />
          <Button type="submit" busy={save.isPending} disabled={code.length !== 6}>
            Save
          </Button>
        </form>
      )}
      <div className="mt-4 border-t border-line pt-4">
        <h3 className="text-sm font-medium">Add to an authenticator app</h3>
        {secret ? (
          <div className="mt-2 grid gap-2 text-sm">
            <code className="rounded-md bg-muted p-2 font-mono break-all">{secret.secret}</code>
            <p className="text-xs break-all text-dim">{secret.uri}</p>
          </div>
        ) : (
          <form
            className="mt-2 grid gap-2"
            onSubmit={(e: FormEvent) => {
              e.preventDefault()
              if (password) show.mutate()
            }}
          >
            <Field
              label="Confirm your password to see the secret"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={show.isError ? messageOf(show.error) : undefined}
            />
            <Button type="submit" variant="secondary" busy={show.isPending} disabled={!password}>
              Show secret
            </Button>
          </form>
        )}
      </div>
    </Card>
  )
}
