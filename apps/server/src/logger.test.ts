import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from './logger.js'

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

describe('createLogger', () => {
  it('writes human-readable lines for a terminal (pino-pretty, loaded on demand)', () => {
    const out = capture()
    const logger = createLogger({
      level: 'info',
      pretty: true,
      colors: false,
      destination: out.stream,
    })
    logger.info({ orderId: 'A1', apiKey: 'secret-key' }, 'order placed')
    const text = out.text()
    expect(text).toMatch(/INFO.*order placed/)
    expect(text).toContain('orderId: "A1"')
    expect(text).not.toContain('secret-key')
    expect(() => JSON.parse(text)).toThrow()
  })

  it('writes one JSON object per line otherwise', () => {
    const out = capture()
    const logger = createLogger({ level: 'info', pretty: false, destination: out.stream })
    logger.info({ orderId: 'A1' }, 'order placed')
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, orderId: 'A1', msg: 'order placed' })
  })
})
