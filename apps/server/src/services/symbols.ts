// Symbol services (spec api.md §9.6–9.9): symbol info, search, expiries and the instrument
// list, answered from the symbol cache (the instrument list streams from `symtoken`, the same
// contract, so a 120k-row export never sits in memory as one string).
import { streamSymtoken, symtokenId, symtokenSummary, type SqliteDatabase } from '@oa/db'
import type { SymbolCache } from '@oa/symbol-cache'
import { failure, success, type ServiceCaller, type ServiceReply } from './reply.js'
import { INSTRUMENT_COLUMNS, toCsvLine, toWireSymbol } from './symbol-wire.js'

/** A streamed answer (the instrument export). */
export interface ServiceStream {
  readonly status: 200
  readonly headers: Readonly<Record<string, string>>
  readonly body: ReadableStream<Uint8Array>
}

export interface SymbolsService {
  symbol(caller: ServiceCaller, input: { symbol: string; exchange: string }): ServiceReply
  search(
    caller: ServiceCaller,
    input: { query: string; exchange?: string | undefined },
  ): ServiceReply
  expiry(
    caller: ServiceCaller,
    input: { symbol: string; exchange: string; instrumenttype: 'futures' | 'options' },
  ): ServiceReply
  instruments(
    caller: ServiceCaller,
    input: { exchange?: string | undefined; format: 'json' | 'csv' },
  ): ServiceReply | ServiceStream
}

/** Results of one search at most (the original's cache path). */
export const SEARCH_LIMIT = 500

export function createSymbolsService(deps: {
  readonly cache: SymbolCache
  readonly sqlite: SqliteDatabase
  /** rows per page of the instrument export; default 2 000 */
  readonly pageRows?: number
}): SymbolsService {
  const { cache, sqlite } = deps
  const encoder = new TextEncoder()

  /** A stream of `head`, then each row rendered, joined by `separator`, then `tail`. */
  const rowStream = (
    exchange: string | undefined,
    head: string,
    render: (row: Parameters<typeof toCsvLine>[0]) => string,
    separator: string,
    tail: string,
  ): ReadableStream<Uint8Array> => {
    const rows = streamSymtoken(sqlite, {
      pageRows: deps.pageRows ?? 2000,
      ...(exchange === undefined ? {} : { exchange }),
    })
    let first = true
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(head))
      },
      async pull(controller) {
        const parts: string[] = []
        for (let i = 0; i < 500; i++) {
          const next = await rows.next()
          if (next.done) {
            if (parts.length > 0) controller.enqueue(encoder.encode(parts.join('')))
            controller.enqueue(encoder.encode(tail))
            controller.close()
            return
          }
          parts.push(`${first ? '' : separator}${render(next.value)}`)
          first = false
        }
        controller.enqueue(encoder.encode(parts.join('')))
      },
      async cancel() {
        await rows.return(undefined)
      },
    })
  }

  return {
    symbol(_caller, input) {
      const info = cache.getSymbolInfo(input.symbol, input.exchange)
      if (info === undefined) {
        return failure(404, `Symbol ${input.symbol} not found in exchange ${input.exchange}`)
      }
      return success({
        data: {
          id: symtokenId(sqlite, info.exchange, info.symbol) ?? null,
          ...toWireSymbol(info),
          freeze_qty: cache.getFreezeQty(info.symbol, info.exchange),
        },
      })
    },

    search(_caller, input) {
      const query = input.query.trim()
      if (query === '') return failure(400, 'Query parameter is required and cannot be empty')
      const rows = cache.search(query, { exchange: input.exchange ?? null, limit: SEARCH_LIMIT })
      if (rows.length === 0) return success({ message: 'No matching symbols found', data: [] })
      return success({
        message: `Found ${rows.length} matching symbols`,
        data: rows.map((r) => ({
          ...toWireSymbol(r),
          freeze_qty: cache.getFreezeQty(r.symbol, r.exchange),
        })),
      })
    },

    expiry(_caller, input) {
      const symbol = input.symbol.trim().toUpperCase()
      if (symbol === '') return failure(400, 'Symbol parameter is required and cannot be empty')
      const dates = cache.getDistinctExpiries({
        exchange: input.exchange,
        underlying: symbol,
        instrumentType: input.instrumenttype,
      })
      const what = `${symbol} ${input.instrumenttype} in ${input.exchange}`
      // the original answers 200 with an empty list when nothing matches (its code; api.md says 404)
      if (dates.length === 0)
        return success({ message: `No expiry dates found for ${what}`, data: [] })
      return success({ message: `Found ${dates.length} expiry dates for ${what}`, data: dates })
    },

    instruments(_caller, input) {
      const summary = symtokenSummary(sqlite)
      const count =
        input.exchange === undefined ? summary.rows : (summary.exchanges[input.exchange] ?? 0)
      const name = `instruments_${input.exchange ?? 'all'}.csv`
      if (input.format === 'csv') {
        const csv: ServiceStream = {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename=${name}`,
          },
          body:
            count === 0
              ? new ReadableStream({ start: (c) => c.close() })
              : rowStream(
                  input.exchange,
                  `${INSTRUMENT_COLUMNS.join(',')}\r\n`,
                  (r) => `${toCsvLine(r)}\r\n`,
                  '',
                  '',
                ),
        }
        return csv
      }
      if (count === 0) return success({ message: 'No instruments found', data: [] })
      const head = `{"status":"success","message":"Found ${count} instruments","data":[`
      const json: ServiceStream = {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: rowStream(input.exchange, head, (r) => JSON.stringify(toWireSymbol(r)), ',', ']}'),
      }
      return json
    },
  }
}
