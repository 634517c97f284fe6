import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export interface FeedServerOptions {
  readonly host: string
  readonly port: number
  /** unauthenticated sockets are closed after this many seconds (WS_AUTH_GRACE_SECONDS) */
  readonly authGraceSeconds: number
}

export interface FeedServer {
  readonly address: AddressInfo
  /** closes every client with 1001 (going away) and stops listening */
  close(): Promise<void>
}

/**
 * The listening socket of the market-data feed. The OpenAlgo client protocol (authenticate,
 * subscribe, market_data frames) is built on this by the ws-proxy issue; until then every
 * message is answered with a clear error frame so clients fail loudly, not silently.
 */
export function startFeedServer(options: FeedServerOptions): Promise<FeedServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({
      host: options.host,
      port: options.port,
      maxPayload: 64 * 1024,
    })
    wss.once('error', reject)
    wss.on('connection', (socket: WebSocket) => {
      const grace = setTimeout(
        () => socket.close(4401, 'authentication timeout'),
        options.authGraceSeconds * 1000,
      )
      socket.on('close', () => clearTimeout(grace))
      socket.on('message', () => {
        socket.send(
          JSON.stringify({
            status: 'error',
            code: 'NOT_AVAILABLE',
            message: 'the market-data feed is not available in this build yet',
          }),
        )
      })
    })
    wss.once('listening', () => {
      wss.off('error', reject)
      resolve({
        address: wss.address() as AddressInfo,
        close: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.close(1001, 'server shutting down')
            wss.close(() => done())
            setTimeout(() => {
              for (const client of wss.clients) client.terminate()
            }, 1_000).unref()
          }),
      })
    })
  })
}
