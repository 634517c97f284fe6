import { describe, expect, it } from 'vitest'
import { WS_PROXY_SEMI_SPACE_MB, wsProxyExecArgv } from './ws-proxy-child.js'

describe('wsProxyExecArgv', () => {
  it('adds the young-generation cap to the parent’s flags', () => {
    expect(wsProxyExecArgv(['--conditions=@oa/source'], undefined)).toEqual([
      '--conditions=@oa/source',
      `--max-semi-space-size=${WS_PROXY_SEMI_SPACE_MB}`,
    ])
    expect(wsProxyExecArgv([], '--enable-source-maps')).toEqual([
      `--max-semi-space-size=${WS_PROXY_SEMI_SPACE_MB}`,
    ])
  })

  it('leaves an operator’s own cap alone, on the command line or in NODE_OPTIONS', () => {
    expect(wsProxyExecArgv(['--max-semi-space-size=16'], undefined)).toEqual([
      '--max-semi-space-size=16',
    ])
    expect(wsProxyExecArgv([], '--trace-gc --max_semi_space_size=8')).toEqual([])
  })
})
