// Re-exports for store-level tests plus an empty batch builder (the engine builds batches itself).
import type { CommitBatch } from '../src/index.js'
export * from '../src/index.js'

export function emptyBatchForTest(userId: string): CommitBatch {
  return {
    userId,
    orders: [],
    trades: [],
    positions: [],
    deletedPositions: [],
    holdings: [],
    deletedHoldings: [],
    marginGroups: [],
    deletedMarginGroups: [],
    funds: undefined,
    jobRuns: [],
  }
}
