import { describe, expect, it } from 'vitest'
import { parseRateLimit } from './rate-limit.js'
import { check, config, problems } from './test-helpers/env.js'

describe('rate-limit strings (§2.7)', () => {
  it.each([
    ['5 per minute', [{ count: 5, per: 'minute' }]],
    ['10 per second', [{ count: 10, per: 'second' }]],
    ['25  per\thour', [{ count: 25, per: 'hour' }]],
    ['1000 per day', [{ count: 1000, per: 'day' }]],
    [
      '10 per second;40 per minute',
      [
        { count: 10, per: 'second' },
        { count: 40, per: 'minute' },
      ],
    ],
  ])('parses %j', (text, rules) => {
    expect(parseRateLimit(text)).toEqual({ ok: true, value: { text, rules } })
  })

  it.each([
    '5/minute',
    '5 per minutes',
    '10 per second; 40 per minute',
    '10 per second ;40 per minute',
    '5 Per minute',
    '5 per MINUTE',
    'per minute',
    ' 5 per minute',
    '5 per minute;',
    '',
  ])('refuses %j', (text) => {
    expect(parseRateLimit(text).ok).toBe(false)
  })

  it('refuses a count of 0, which would block every request', () => {
    expect(parseRateLimit('0 per minute')).toEqual({
      ok: false,
      message: 'each limit needs a count of at least 1',
    })
  })

  it.each([
    'LOGIN_RATE_LIMIT_MIN',
    'LOGIN_RATE_LIMIT_HOUR',
    'API_RATE_LIMIT',
    'ORDER_RATE_LIMIT',
    'SMART_ORDER_RATE_LIMIT',
    'WEBHOOK_RATE_LIMIT',
    'STRATEGY_RATE_LIMIT',
    'RESET_RATE_LIMIT',
    'GREEKS_RATE_LIMIT',
    'PORTFOLIO_API_RATE_LIMIT',
    'PORTFOLIO_TEARSHEET_RATE_LIMIT',
    'SIP_API_RATE_LIMIT',
    'STRATEGY_CHART_LIMIT',
    'STRATEGY_PORTFOLIO_READ_LIMIT',
    'STRATEGY_PORTFOLIO_WRITE_LIMIT',
  ])('validates %s with one problem naming it', (name) => {
    const found = problems(check({ [name]: '10 per second; 40 per minute' }))
    expect(found.map((p) => p.variable)).toEqual([name])
    expect(found[0]?.fix).toContain("'10 per second;40 per minute'")
  })

  it('gives the parsed rules in the config, with defaults for the optional limits', () => {
    const c = config(
      check({ API_RATE_LIMIT: '10 per second;40 per minute', GREEKS_RATE_LIMIT: undefined }),
    )
    expect(c.rateLimits.api.rules).toEqual([
      { count: 10, per: 'second' },
      { count: 40, per: 'minute' },
    ])
    expect(c.rateLimits.greeks).toEqual({
      text: '30 per minute',
      rules: [{ count: 30, per: 'minute' }],
    })
    expect(c.rateLimits.strategyPortfolioRead.text).toBe('60 per minute')
  })
})
