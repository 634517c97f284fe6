import { describe, expect, it } from 'vitest'
import { BrokerError } from './errors.js'
import { REDACTED, createRedactor } from './redact.js'

describe('redaction', () => {
  const redactor = createRedactor({ secrets: ['kiteapikey1', 'access-token-xyz', 'short'] })

  it('hides credential headers by name and keeps the rest', () => {
    expect(
      redactor.headers({
        Authorization: 'token kiteapikey1:access-token-xyz',
        'X-PrivateKey': 'abc',
        'X-Kite-Version': '3',
        'access-token': 'dhan-token',
      }),
    ).toEqual({
      Authorization: REDACTED,
      'X-PrivateKey': REDACTED,
      'X-Kite-Version': '3',
      'access-token': REDACTED,
    })
  })

  it('hides secret query parameters and secret values anywhere in a URL', () => {
    expect(redactor.url('wss://ws.kite.trade?api_key=kiteapikey1&access_token=zzz&mode=full')).toBe(
      'wss://ws.kite.trade?api_key=[redacted]&access_token=[redacted]&mode=full',
    )
    expect(redactor.url('https://x.example/session/access-token-xyz/info')).toBe(
      'https://x.example/session/[redacted]/info',
    )
  })

  it('walks JSON and form bodies, including 5paisa head.key and Noren jKey, but keeps instrument tokens', () => {
    const body = {
      head: { key: 'user-key-5p' },
      body: { ClientCode: 'C1', Password: 'pw', TOTP: '123456' },
      jKey: 'noren-session',
      token: '3045',
      symboltoken: '3045',
      note: 'sent with kiteapikey1',
    }
    expect(redactor.value(body)).toEqual({
      head: { key: REDACTED },
      body: { ClientCode: 'C1', Password: REDACTED, TOTP: REDACTED },
      jKey: REDACTED,
      token: '3045',
      symboltoken: '3045',
      note: `sent with ${REDACTED}`,
    })
  })

  it('replaces JWT-shaped bearer tokens in free text', () => {
    expect(redactor.text('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc-def')).toBe(
      `Bearer ${REDACTED}`,
    )
  })

  it('ignores secrets too short to be distinctive', () => {
    expect(redactor.text('a short note')).toBe('a short note')
  })

  it('stores a BrokerError cause redacted', () => {
    const error = new BrokerError('auth_expired', 'session expired', {
      cause: {
        access_token: 'abc123456',
        message: 'Invalid token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      },
    })
    expect(error.cause).toEqual({ access_token: REDACTED, message: `Invalid token ${REDACTED}` })
    expect(error.retryable).toBe(false)
    expect(new BrokerError('rate_limited', 'slow down').retryable).toBe(true)
    expect(error.toJSON()).toEqual({
      code: 'auth_expired',
      message: 'session expired',
      retryable: false,
    })
  })
})
