// The client swarm of the ws-proxy benchmark, in its own process so the process that measures
// the server is not also the one reading 1,000 sockets. Driven over IPC by bench/index.ts.
//
// The clients are lean RFC 6455 clients on raw TCP sockets (handshake, masked client frames,
// frames parsed straight from each read, several per read when they arrive together): reading is
// cheap enough that the server, not the swarm, is what the run measures. The same swarm reads the
// proxy and the raw baseline.
//
// Latency uses the frame's `data.timestamp`, stamped by the sender from a clock both processes
// share: `epochBase + (hrtime − origin)`, hrtime being the system-wide monotonic clock.
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'

interface ConnectCommand {
  cmd: 'connect'
  url: string
  clients: number
  key: string
  /** per client: the instruments and mode to subscribe (none: idle clients) */
  subscriptions: { symbols: { symbol: string; exchange: string }[]; mode: number }[]
  hrBase: string
  epochBase: number
}
type Command =
  ConnectCommand | { cmd: 'start'; hrBase: string } | { cmd: 'stop' } | { cmd: 'close' }

const sockets: Socket[] = []
let counting = false
let windowStart = 0n
let frames = 0
let bytes = 0
let otherFrames = 0
// latency histogram: 10 µs buckets up to 1 s, plus overflow
const BUCKET_MS = 0.01
const hist = new Uint32Array(100_001)
let samples = 0
let hrBase = 0n
let epochBase = 0
const now = (): number => epochBase + Number(process.hrtime.bigint() - hrBase) / 1e6
const KEY = Buffer.from('"timestamp":')

/** A masked client text frame (or pong, opcode 10). */
function clientFrame(payload: Buffer, opcode = 1): Buffer {
  const mask = randomBytes(4)
  const n = payload.length
  const head =
    n < 126
      ? Buffer.from([0x80 | opcode, 0x80 | n])
      : Buffer.from([0x80 | opcode, 0x80 | 126, n >> 8, n & 0xff])
  const body = Buffer.alloc(n)
  for (let i = 0; i < n; i++) body[i] = (payload[i] as number) ^ (mask[i % 4] as number)
  return Buffer.concat([head, mask, body])
}

function record(buf: Buffer, start: number, end: number): void {
  frames++
  bytes += end - start
  const at = buf.indexOf(KEY, start)
  if (at < 0 || at >= end) {
    otherFrames++
    return
  }
  let stop = at + KEY.length
  while (stop < end) {
    const c = buf[stop] as number
    if ((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 101) stop++
    else break
  }
  const ms = now() - Number(buf.toString('latin1', at + KEY.length, stop))
  const bucket = Math.min(hist.length - 1, Math.max(0, Math.floor(ms / BUCKET_MS)))
  hist[bucket] = (hist[bucket] ?? 0) + 1
  samples++
}

function percentileMs(p: number): number {
  const target = Math.ceil((p / 100) * samples)
  let seen = 0
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] as number
    if (seen >= target) return i * BUCKET_MS
  }
  return Number.NaN
}

function openOne(c: ConnectCommand, i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = new URL(c.url)
    const socket = connect(Number(url.port), url.hostname)
    socket.setNoDelay(true)
    sockets.push(socket)
    const sub = c.subscriptions[i]
    let phase: 'handshake' | 'auth' | 'sub' | 'live' = 'handshake'
    let pending: Buffer | undefined
    const send = (message: object): void => {
      socket.write(clientFrame(Buffer.from(JSON.stringify(message))))
    }
    const onText = (buf: Buffer, start: number, end: number): void => {
      if (phase === 'live') {
        if (counting) record(buf, start, end)
        return
      }
      const text = buf.toString('utf8', start, end)
      if (phase === 'auth' && text.includes('"type":"auth"')) {
        if (sub === undefined || sub.symbols.length === 0) {
          phase = 'live'
          resolve()
          return
        }
        phase = 'sub'
        send({ action: 'subscribe', symbols: sub.symbols, mode: sub.mode })
      } else if (phase === 'sub' && text.includes('"type":"subscribe"')) {
        phase = 'live'
        resolve()
      }
    }
    socket.on('connect', () => {
      socket.write(
        `GET / HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      )
    })
    socket.on('data', (chunk: Buffer) => {
      let buf = pending === undefined ? chunk : Buffer.concat([pending, chunk])
      pending = undefined
      let at = 0
      if (phase === 'handshake') {
        const end = buf.indexOf('\r\n\r\n')
        if (end < 0) {
          pending = buf
          return
        }
        if (!buf.toString('latin1', 0, 12).includes('101')) {
          reject(new Error(buf.toString('latin1', 0, end)))
          return
        }
        phase = 'auth'
        send({ action: 'authenticate', api_key: c.key })
        at = end + 4
      }
      while (at + 2 <= buf.length) {
        const b0 = buf[at] as number
        let len = (buf[at + 1] as number) & 0x7f
        let head = 2
        if (len === 126) {
          if (at + 4 > buf.length) break
          len = buf.readUInt16BE(at + 2)
          head = 4
        } else if (len === 127) {
          if (at + 10 > buf.length) break
          len = Number(buf.readBigUInt64BE(at + 2))
          head = 10
        }
        if (at + head + len > buf.length) break
        const opcode = b0 & 0x0f
        const start = at + head
        if (opcode === 1 || opcode === 2) onText(buf, start, start + len)
        else if (opcode === 9) socket.write(clientFrame(buf.subarray(start, start + len), 10))
        at = start + len
      }
      if (at < buf.length) pending = buf.subarray(at)
      buf = Buffer.alloc(0)
    })
    socket.once('error', reject)
  })
}

process.on('message', (raw) => {
  const m = raw as Command
  void (async () => {
    if (m.cmd === 'connect') {
      hrBase = BigInt(m.hrBase)
      epochBase = m.epochBase
      const batch = 50
      for (let i = 0; i < m.clients; i += batch) {
        const jobs: Promise<void>[] = []
        for (let j = i; j < Math.min(m.clients, i + batch); j++) jobs.push(openOne(m, j))
        await Promise.all(jobs)
      }
      process.send?.({ ok: 'connected', clients: sockets.length })
    } else if (m.cmd === 'start') {
      // the sender's clock may have been frozen while clients connected: take its new origin
      hrBase = BigInt(m.hrBase)
      frames = 0
      bytes = 0
      otherFrames = 0
      samples = 0
      hist.fill(0)
      counting = true
      windowStart = process.hrtime.bigint()
    } else if (m.cmd === 'stop') {
      counting = false
    } else if (m.cmd === 'close') {
      for (const s of sockets.splice(0)) s.destroy()
    }
    if (m.cmd === 'start') process.send?.({ ok: 'started' })
    if (m.cmd === 'stop') {
      process.send?.({
        ok: 'stopped',
        // this process's own window: the parent's timers may run late under load
        windowMs: Number(process.hrtime.bigint() - windowStart) / 1e6,
        frames,
        bytes,
        otherFrames,
        samples,
        p50: percentileMs(50),
        p99: percentileMs(99),
        p999: percentileMs(99.9),
      })
    }
    if (m.cmd === 'close') process.send?.({ ok: 'closed' })
  })()
})
