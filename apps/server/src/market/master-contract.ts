// The master-contract pipeline (spec platform.md §8, fixing W-19..W-21): triggers, the smart skip,
// one download per broker at a time, progress events, the status rows, and the symbol cache
// reload. A broken or empty download leaves the previous contract and cache serving; the status
// says `error` with the reason.
import type { Broker, DownloadProgress } from '@oa/broker-sdk'
import { replaceSymtoken, symtokenSummary, type SqliteDatabase, type SymbolRow } from '@oa/db'
import type { LoadOutcome } from '@oa/symbol-cache'
import type { BrokerLookup } from '../brokers/registry.js'
import type { Clock } from '../clock.js'
import type { EventBus, MasterContractPhase } from '../events/bus.js'
import type { Logger } from '../logger.js'
import { istDate } from './ist.js'
import {
  createMasterContractStatusStore,
  type MasterContractState,
  type MasterContractStatusPayload,
  type MasterContractStatusStore,
} from './master-contract-status.js'
import { decideDownload, type SmartDownloadDecision, type TimeOfDay } from './smart-download.js'
import type { SymbolService } from './symbol-service.js'

export interface MasterContractOptions {
  readonly sqlite: SqliteDatabase
  readonly clock: Clock
  readonly logger: Logger
  readonly events: EventBus
  readonly symbols: SymbolService
  /** MASTER_CONTRACT_CUTOFF_TIME (IST) */
  readonly cutoff: TimeOfDay
  /** CRYPTO_MASTER_CONTRACT_CUTOFF_TIME (UTC) */
  readonly cryptoCutoff: TimeOfDay
  /** a broker instance to download with (the registry's `forBackground`) */
  readonly brokerFor: (brokerId: string) => BrokerLookup
}

/** How a download ended. */
export type DownloadOutcome =
  | {
      readonly ok: true
      readonly broker: string
      readonly rows: number
      readonly duplicates: number
      readonly invalid: number
      readonly swapMs: number
      readonly cache: LoadOutcome
    }
  | { readonly ok: false; readonly broker: string; readonly message: string }

/** What `POST /api/master-contract/download` started. */
export type DownloadRequest =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'started' | 'already_running'
      readonly done: Promise<DownloadOutcome>
    }

export interface MasterContractService {
  readonly store: MasterContractStatusStore
  /** the status payload (a stuck download reads as `error`) */
  status(broker: string): MasterContractStatusPayload
  /** §8.2's decision for this broker now */
  decide(broker: string): SmartDownloadDecision
  /** true while a download of this broker runs in this process */
  isDownloading(broker: string): boolean
  /**
   * Downloads now (joining a running download of the same broker: two triggers, one download),
   * swaps the contract in, reloads the cache. Never rejects.
   */
  download(broker: string, why: string): Promise<DownloadOutcome>
  /** the manual trigger: smart skip unless `force`, then a background download */
  requestDownload(broker: string, options: { readonly force: boolean }): DownloadRequest
  /**
   * The broker-login trigger (§8.1): status `pending`, then the smart decision: a background
   * download, or the stored contract marked ready and loaded. Returns the background work.
   */
  onBrokerLogin(broker: string): Promise<void>
  /**
   * Startup restore: load the stored contract of `broker` into the cache (serving even a stale
   * one beats serving none), then download if §8.2 says so. Returns the background work.
   */
  restore(broker: string): Promise<void>
  /** stops downloads in flight (the previous contract stays) and waits for them */
  stop(): Promise<void>
}

export function createMasterContractService(options: MasterContractOptions): MasterContractService {
  const { sqlite, clock, events, symbols } = options
  const logger = options.logger.child({ component: 'master-contract' })
  const store = createMasterContractStatusStore(sqlite, clock)
  const running = new Map<string, Promise<DownloadOutcome>>()
  const background = new Set<Promise<unknown>>()
  const abort = new AbortController()

  const setStatus = (broker: string, status: MasterContractState, message: string): void => {
    store.set(broker, status, message)
    events.emit('master_contract_status', { broker, status, message })
  }

  const decide = (broker: string): SmartDownloadDecision => {
    const summary = symtokenSummary(sqlite)
    return decideDownload({
      broker,
      nowMs: clock.now(),
      lastDownloadMs: store.lastDownloadMs(broker),
      lastDownloadedBroker: store.lastDownloadedBroker(),
      cutoff: options.cutoff,
      cryptoCutoff: options.cryptoCutoff,
      stored: { rows: summary.rows, broker: summary.broker },
    })
  }

  const track = <T>(work: Promise<T>): Promise<T> => {
    background.add(work)
    void work.finally(() => background.delete(work))
    return work
  }

  async function run(brokerId: string, why: string): Promise<DownloadOutcome> {
    const startedMs = clock.now()
    const t0 = performance.now()
    const expected = store.lastTotal(brokerId)
    const progress = (phase: MasterContractPhase, rows: number, stage: string | null = null) => {
      // fetching/parsing 0–70 %, writing 70–90 %, indexing 90–100 %, against the last contract's size
      const base = { fetching: 0, parsing: 0, writing: 70, indexing: 90, done: 100, error: 0 }[
        phase
      ]
      const span = { fetching: 0, parsing: 70, writing: 20, indexing: 10, done: 0, error: 0 }[phase]
      const percent =
        phase === 'done'
          ? 100
          : expected === undefined
            ? null
            : Math.min(99, Math.floor(base + (span * Math.min(rows, expected)) / expected))
      events.emit('master_contract_progress', { broker: brokerId, phase, rows, stage, percent })
    }
    const failed = (message: string): DownloadOutcome => {
      setStatus(brokerId, 'error', message)
      events.emit('master_contract_download', { broker: brokerId, status: 'error', message })
      progress('error', 0)
      logger.warn({ broker: brokerId, reason: message }, 'master contract download failed')
      return { ok: false, broker: brokerId, message }
    }

    logger.info({ broker: brokerId, why }, 'master contract download started')
    setStatus(brokerId, 'downloading', 'Master contract download in progress')
    progress('fetching', 0)
    const lookup = options.brokerFor(brokerId)
    if (!lookup.ok) return failed(`Failed to load broker plugin: ${lookup.message}`)
    let source: AsyncIterable<SymbolRow>
    try {
      source = (lookup.broker as Broker).instruments.downloadMaster((p: DownloadProgress) =>
        progress('parsing', p.rows, p.stage),
      )
    } catch (error) {
      return failed(`Master contract download error: ${errorText(error)}`)
    }
    const result = await replaceSymtoken(sqlite, source, {
      broker: brokerId,
      contractDate: istDate(startedMs),
      clock,
      signal: abort.signal,
      onProgress: (p) => progress('writing', p.rows),
      // the status row changes in the same transaction as the contract: `success` iff swapped
      beforeCommit: (swap) =>
        store.recordSuccess(brokerId, {
          totalSymbols: swap.rows,
          durationSeconds: Math.floor((clock.now() - startedMs) / 1000),
          exchangeStats: swap.exchanges,
        }),
    })
    if (!result.ok) {
      const keep = 'The previous master contract is still in use.'
      return failed(`Master contract download error: ${result.message}. ${keep}`)
    }
    logger.info(
      {
        broker: brokerId,
        rows: result.rows,
        duplicates: result.duplicates,
        invalid: result.invalid,
        stagingMs: Math.round(result.stagingMs),
        swapMs: Math.round(result.swapMs),
      },
      'master contract swapped in',
    )
    if (result.duplicates > 0) {
      logger.warn(
        { broker: brokerId, duplicates: result.duplicates },
        'master contract rows dropped as duplicate (exchange, symbol); the first was kept',
      )
    }
    const message = 'Master contract download completed successfully'
    events.emit('master_contract_status', { broker: brokerId, status: 'success', message })
    events.emit('master_contract_download', {
      broker: brokerId,
      status: 'success',
      message: 'Successfully Downloaded',
    })
    progress('indexing', result.rows)
    const cache = await symbols.reload()
    progress('done', result.rows)
    logger.info(
      { broker: brokerId, durationMs: Math.round(performance.now() - t0), cacheOk: cache.ok },
      'master contract ready',
    )
    return {
      ok: true,
      broker: brokerId,
      rows: result.rows,
      duplicates: result.duplicates,
      invalid: result.invalid,
      swapMs: result.swapMs,
      cache,
    }
  }

  const download = (brokerId: string, why: string): Promise<DownloadOutcome> => {
    const current = running.get(brokerId)
    if (current !== undefined) return current
    const work = run(brokerId, why)
      .catch((error: unknown): DownloadOutcome => {
        // a bug, not a broker failure: still never leave the status at `downloading`
        logger.error({ err: error, broker: brokerId }, 'master contract pipeline threw')
        const message = `Master contract download error: ${errorText(error)}`
        setStatus(brokerId, 'error', message)
        return { ok: false, broker: brokerId, message }
      })
      .finally(() => running.delete(brokerId))
    running.set(brokerId, work)
    return track(work)
  }

  /** the stored contract is current: mark it ready and make sure the cache holds it */
  const useStored = async (brokerId: string): Promise<void> => {
    if (!store.markReadyWithoutDownload(brokerId)) return
    events.emit('master_contract_status', {
      broker: brokerId,
      status: 'success',
      message: 'Using cached master contract',
    })
    const summary = symtokenSummary(sqlite)
    if (!symbols.cache.isLoaded() || symbols.loadedEpoch() !== summary.epoch) {
      await symbols.reload()
    }
  }

  return {
    store,
    status: (broker) => store.get(broker),
    decide,
    isDownloading: (broker) => running.has(broker),
    download,
    requestDownload(broker, { force }) {
      const current = running.get(broker)
      if (current !== undefined) return { status: 'already_running', done: current }
      if (!force) {
        const decision = decide(broker)
        if (!decision.shouldDownload) return { status: 'skipped', reason: decision.reason }
      }
      setStatus(broker, 'pending', 'Master contract download pending')
      return { status: 'started', done: download(broker, force ? 'forced' : 'manual') }
    },
    onBrokerLogin(broker) {
      const current = running.get(broker)
      if (current !== undefined) return current.then(() => undefined)
      setStatus(broker, 'pending', 'Master contract download pending')
      const decision = decide(broker)
      logger.info(
        { broker, download: decision.shouldDownload, reason: decision.reason },
        'master contract decision at broker login',
      )
      return track(
        decision.shouldDownload
          ? download(broker, decision.reason).then(() => undefined)
          : useStored(broker),
      )
    },
    restore(broker) {
      const summary = symtokenSummary(sqlite)
      const decision = decide(broker)
      logger.info(
        {
          broker,
          storedRows: summary.rows,
          storedBroker: summary.broker,
          contractDate: summary.contractDate,
          download: decision.shouldDownload,
          reason: decision.reason,
        },
        'master contract at startup',
      )
      const mine = summary.rows > 0 && (summary.broker === null || summary.broker === broker)
      return track(
        (async () => {
          if (mine) await symbols.reload()
          if (decision.shouldDownload) await download(broker, decision.reason)
          else await useStored(broker)
        })(),
      )
    },
    async stop() {
      abort.abort()
      await Promise.allSettled([...background])
    },
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
