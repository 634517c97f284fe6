import { describe, expect, it } from 'vitest'
import { captureStream } from '../identity/test-helpers/harness.js'
import { createLogger } from '../logger.js'
import { redactText } from './redact.js'

const KEY = 'a3f1c9a7e5b2d4f608e1a3c5b7d9f0e2a4c6b8d0f1e3a5c7b9d2f4e6a8c0b1d3'

describe('free-text redaction (W-17)', () => {
  it.each([
    [`Authorization: Bearer ${KEY}`, KEY],
    [`login failed password=Hunter2!x for admin`, 'Hunter2!x'],
    [`{"apikey": "${KEY}", "symbol": "SBIN"}`, KEY],
    [`feed_token: tok-123456 then more`, 'tok-123456'],
    [`key ${KEY} in a sentence`, KEY],
  ])('masks the secret in %j', (text, secret) => {
    const out = redactText(text)
    expect(out).not.toContain(secret)
    expect(out).toContain('REDACTED')
  })

  it('leaves ordinary text alone', () => {
    expect(redactText('order placed for SBIN qty 10 at 245.50')).toBe(
      'order placed for SBIN qty 10 at 245.50',
    )
  })

  it('redacts fields, messages and error stacks in the pino output', () => {
    const sink = captureStream()
    const log = createLogger({ level: 'info', pretty: false, destination: sink.stream })
    log.info({ apikey: KEY, body: { password: 'S3cret!pw' } }, 'request')
    log.warn(`broker said token=${KEY}`)
    log.error({ err: new Error(`decrypt failed for access_token=${KEY}`) }, 'boom')
    const text = sink.text()
    expect(text).not.toContain(KEY)
    expect(text).not.toContain('S3cret!pw')
    expect(text).toContain('decrypt failed')
  })
})
