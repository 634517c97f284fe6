import type { Generated } from 'kysely'

/**
 * Symbol tables of the main database (spec platform.md §3.3): the master contract `symtoken`,
 * its download status `master_contract_status` and the freeze quantities `qty_freeze`, in the
 * original's column names plus oa's additions (marked "oa:"). oa writes times as UTC ISO-8601.
 */

/** `symtoken`: one instrument of the current master contract. */
export interface SymtokenTable {
  id: Generated<number>
  /** OpenAlgo symbol, e.g. `NIFTY28MAR2420800CE` */
  symbol: string
  /** broker trading symbol */
  brsymbol: string
  name: string | null
  /** OpenAlgo exchange */
  exchange: string | null
  brexchange: string | null
  /** broker token */
  token: string | null
  /** `DD-MMM-YY`; NULL (or '' in rows the original wrote) when none */
  expiry: string | null
  /** rupees */
  strike: number | null
  lotsize: number | null
  instrumenttype: string | null
  /** rupees */
  tick_size: number | null
  contract_value: number | null
  /** oa: the broker whose download wrote the row (W-24); NULL in rows the original wrote */
  broker: string | null
  /** oa: IST trading day (`YYYY-MM-DD`) of that download (W-24) */
  contract_date: string | null
}

/** `master_contract_status`: one row per broker (spec platform.md §8.4). */
export interface MasterContractStatusTable {
  broker: string
  /** `pending` | `downloading` | `success` | `error` */
  status: string | null
  message: string | null
  /** UTC ISO-8601 (the original wrote naive server-local times) */
  last_updated: string | null
  /** a count, as text (the original's type) */
  total_symbols: string | null
  /** 0/1 */
  is_ready: number | null
  /** UTC ISO-8601 of the last successful download */
  last_download_time: string | null
  /** IST date (`YYYY-MM-DD`) of the last successful download */
  download_date: string | null
  /** JSON `{"NSE": 2500, ...}` */
  exchange_stats: string | null
  download_duration_seconds: number | null
}

/** `qty_freeze`: the largest quantity one order may carry, per exchange and underlying root. */
export interface QtyFreezeTable {
  id: Generated<number>
  exchange: string
  symbol: string
  freeze_qty: number
}

export interface SymbolTables {
  symtoken: SymtokenTable
  master_contract_status: MasterContractStatusTable
  qty_freeze: QtyFreezeTable
}
