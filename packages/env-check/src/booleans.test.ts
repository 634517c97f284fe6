import { describe, expect, it } from 'vitest'
import { formatProblem } from './format.js'
import { check, config, problems } from './test-helpers/env.js'
import type { OaConfig } from './types.js'

interface BooleanCase {
  readonly name: string
  readonly read: (c: OaConfig) => boolean
  readonly truthy: readonly string[]
  readonly falsy: readonly string[]
  /** spellings the original would misread or reject: each must be a problem naming the variable */
  readonly bad: readonly string[]
}

// Per-variable parity with the original (platform.md §2.4).
const upperTrueBad = ['yes', 'YES', '1', 'on', 't', 'y', 'enabled', 'maybe', '', 'TRUE ']
const lowerTrueBad = ['yes', '1', 'on', 't', 'y', 'maybe', '']

const CASES: readonly BooleanCase[] = [
  {
    name: 'NGROK_ALLOW',
    read: (c) => c.server.ngrokAllow,
    truthy: ['TRUE', 'true', 'True'],
    falsy: ['FALSE', 'false', '0', 'no', 'off'],
    bad: upperTrueBad,
  },
  {
    name: 'CSRF_ENABLED',
    read: (c) => c.security.csrf.enabled,
    truthy: ['TRUE', 'true'],
    falsy: ['FALSE', 'False', '0'],
    bad: upperTrueBad,
  },
  {
    name: 'CORS_ENABLED',
    read: (c) => c.security.cors.enabled,
    truthy: ['TRUE', 'tRuE'],
    falsy: ['FALSE', 'no'],
    bad: upperTrueBad,
  },
  {
    name: 'CORS_ALLOW_CREDENTIALS',
    read: (c) => c.security.cors.allowCredentials,
    truthy: [],
    falsy: ['FALSE', 'false'],
    bad: upperTrueBad,
  },
  {
    name: 'CSP_ENABLED',
    read: (c) => c.security.csp.enabled,
    truthy: ['TRUE', 'true'],
    falsy: ['FALSE', 'off'],
    bad: upperTrueBad,
  },
  {
    name: 'CSP_REPORT_ONLY',
    read: (c) => c.security.csp.reportOnly,
    truthy: ['TRUE'],
    falsy: ['FALSE'],
    bad: upperTrueBad,
  },
  {
    name: 'CSP_UPGRADE_INSECURE_REQUESTS',
    read: (c) => c.security.csp.upgradeInsecureRequests,
    truthy: ['TRUE'],
    falsy: ['FALSE'],
    bad: upperTrueBad,
  },
  {
    name: 'ORDER_UPDATES_ENABLED',
    read: (c) => c.websocket.orderUpdatesEnabled,
    truthy: ['TRUE', 'true', '1', 'yes', 'on'],
    falsy: ['FALSE', 'false'],
    // the original reads anything but FALSE as on: a clear "off" must not silently mean on
    bad: ['no', '0', 'off', 'f', 'n', 'disabled', 'maybe', ''],
  },
  {
    name: 'DISABLE_SESSION_EXPIRY',
    read: (c) => c.session.disableExpiry,
    truthy: ['true', 'TRUE'],
    falsy: ['false', '0', 'no'],
    bad: lowerTrueBad,
  },
  {
    name: 'LOG_COLORS',
    read: (c) => c.logging.colors,
    truthy: ['True', 'true'],
    falsy: ['False'],
    bad: lowerTrueBad,
  },
  {
    name: 'HEALTH_MONITOR_ENABLED',
    read: (c) => c.health.enabled,
    truthy: ['true'],
    falsy: ['false'],
    bad: lowerTrueBad,
  },
  {
    name: 'ENABLE_CONNECTION_POOLING',
    read: (c) => c.websocket.connectionPooling,
    truthy: ['true'],
    falsy: ['false'],
    bad: lowerTrueBad,
  },
  {
    name: 'LOG_TO_FILE',
    read: (c) => c.logging.toFile,
    truthy: ['True', 'true', 'TRUE'],
    falsy: ['False', 'false'],
    bad: ['1', '0', 'yes', 'no', 't', 'f', 'on', ''],
  },
  {
    name: 'FLASK_DEBUG',
    read: (c) => c.server.debug,
    truthy: ['True', '1', 't', 'T'],
    falsy: ['False', '0', 'f', 'F'],
    bad: ['yes', 'no', 'on', 'off', ''],
  },
  {
    name: 'FLASK_DEBUG_ALLOW_EXTERNAL',
    read: (c) => c.server.debugAllowExternal,
    truthy: ['true', '1', 't', 'TRUE'],
    falsy: ['false', 'False', '0'],
    bad: ['yes', 'y', 'on', ''],
  },
  {
    name: 'TRUST_PROXY_HEADERS',
    read: (c) => c.security.trustProxyHeaders,
    truthy: ['true', 'TRUE', '1', 'yes', 'YES', 't'],
    falsy: ['false', 'FALSE', '0', 'no'],
    bad: ['on', 'y', 'enabled', ''],
  },
  {
    name: 'BROKER_CONNECTION_KEEPALIVE',
    read: (c) => c.broker.keepAlive.enabled,
    truthy: ['TRUE', '1', 'YES', ' yes '],
    falsy: ['FALSE', '0', 'no'],
    bad: ['on', 't', 'y', ''],
  },
]

describe('boolean variables (per-variable parity)', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      it.each(c.truthy)(`reads %j as on`, (spelling) => {
        expect(c.read(config(check({ [c.name]: spelling })))).toBe(true)
      })

      it.each(c.falsy)(`reads %j as off`, (spelling) => {
        expect(c.read(config(check({ [c.name]: spelling })))).toBe(false)
      })

      it.each(c.bad)(`refuses %j with a problem naming ${c.name}`, (spelling) => {
        const found = problems(check({ [c.name]: spelling }))
        expect(found).toHaveLength(1)
        expect(found[0]?.variable).toBe(c.name)
        expect(found[0]?.code).toBe('invalid')
        expect(formatProblem(found[0]!)).toMatch(new RegExp(`^${c.name}: .*Set ${c.name} = `))
      })
    })
  }

  it('says when OpenAlgo would silently read a "yes" as off', () => {
    const [p] = problems(check({ CSRF_ENABLED: 'yes' }))
    expect(formatProblem(p!)).toBe(
      `CSRF_ENABLED: looks like "on", but OpenAlgo would silently read it as off; accepted: TRUE or FALSE (any case); also accepted: 0, f, no, n, off, found "yes". Set CSRF_ENABLED = 'TRUE' or 'FALSE'.`,
    )
  })

  it('says when OpenAlgo would silently read a "no" as on', () => {
    const [p] = problems(check({ ORDER_UPDATES_ENABLED: 'no' }))
    expect(p?.message).toMatch(/looks like "off", but OpenAlgo would silently read it as on/)
  })

  it('says LOG_TO_FILE=1 is refused rather than read as false', () => {
    const [p] = problems(check({ LOG_TO_FILE: '1' }))
    expect(p?.message).toMatch(/^must be true or false; accepted: True or False/)
  })

  it('applies the defaults when the optional switches are unset', () => {
    const c = config(
      check({
        CSRF_ENABLED: undefined,
        CSP_ENABLED: undefined,
        CORS_ENABLED: undefined,
        ORDER_UPDATES_ENABLED: undefined,
        TRUST_PROXY_HEADERS: undefined,
        LOG_COLORS: undefined,
        HEALTH_MONITOR_ENABLED: undefined,
      }),
    )
    expect(c.security.csrf.enabled).toBe(true)
    expect(c.security.csp.enabled).toBe(true)
    expect(c.security.cors.enabled).toBe(false)
    expect(c.websocket.orderUpdatesEnabled).toBe(true)
    expect(c.security.trustProxyHeaders).toBe(false)
    expect(c.logging.colors).toBe(true)
    expect(c.health.enabled).toBe(true)
  })
})
