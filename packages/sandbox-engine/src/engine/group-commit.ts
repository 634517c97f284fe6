import type { CommitBatch, SandboxStore } from '../store/store.js'

/** Runs `flush` later: when the batches staged until then are written together. */
export type CommitScheduler = (flush: () => void) => void

/** The default {@link CommitScheduler}: a microtask, so a command's batch is written at once. */
export const commitNow: CommitScheduler = (flush) => queueMicrotask(flush)

/**
 * Group commit: batches staged in one scheduler turn are written in one store transaction
 * (`commitAll`), and each batch's promise settles only after its own batch is durable, so an
 * answer given after `await add(batch)` is never ahead of the store.
 *
 * A failed group is retried batch by batch (nothing of it was applied), so one bad batch fails
 * only its own command. A batch whose user's state was reloaded after an earlier failure
 * (`isCurrent()` false) was computed on state that never reached the store: it is refused
 * unwritten.
 */
export interface GroupCommitter {
  /**
   * Stages `batch`; resolves once it is committed.
   *
   * @param isCurrent false when the state the batch was computed on has been discarded
   * @throws (rejects) the store's error, or a stale-state error
   */
  add(batch: CommitBatch, isCurrent: () => boolean): Promise<void>
  /** resolves once every batch staged so far has settled */
  idle(): Promise<void>
}

interface Entry {
  readonly batch: CommitBatch
  readonly isCurrent: () => boolean
  resolve(): void
  reject(error: unknown): void
}

export function createGroupCommitter(options: {
  readonly store: SandboxStore
  readonly schedule: CommitScheduler
  /** a batch of `userId` failed to commit: forget the user's live state (it is ahead of the store) */
  readonly onFailed: (userId: string, error: unknown) => void
}): GroupCommitter {
  const { store, schedule, onFailed } = options
  let open: Entry[] | undefined
  // flushes never overlap: with an async store, the next group waits for the previous one
  let flushing: Promise<void> = Promise.resolve()

  const stale = (e: Entry): void =>
    e.reject(
      new Error(
        `sandbox state of ${e.batch.userId} was reloaded after a failed commit; the command was not applied`,
      ),
    )

  const fail = (e: Entry, error: unknown): void => {
    onFailed(e.batch.userId, error)
    e.reject(error)
  }

  const writeOneByOne = async (entries: readonly Entry[]): Promise<void> => {
    for (const e of entries) {
      if (!e.isCurrent()) {
        stale(e)
        continue
      }
      try {
        await store.commit(e.batch)
        e.resolve()
      } catch (error) {
        fail(e, error)
      }
    }
  }

  const write = async (entries: Entry[]): Promise<void> => {
    const live: Entry[] = []
    for (const e of entries) {
      if (e.isCurrent()) live.push(e)
      else stale(e)
    }
    if (live.length === 0) return
    if (live.length === 1 || store.commitAll === undefined) return writeOneByOne(live)
    try {
      await store.commitAll(live.map((e) => e.batch))
    } catch {
      // nothing of the group was applied: find the failing batch by writing them one by one
      return writeOneByOne(live)
    }
    for (const e of live) e.resolve()
  }

  const flush = (): void => {
    const entries = open
    open = undefined
    if (entries === undefined) return
    flushing = flushing
      .then(() => write(entries))
      .catch((error: unknown) => {
        // a bug past the store's own errors: no batch may stay waiting (settled ones ignore this)
        for (const e of entries) e.reject(error)
      })
  }

  return {
    add(batch, isCurrent) {
      return new Promise<void>((resolve, reject) => {
        if (open === undefined) {
          open = []
          schedule(flush)
        }
        open.push({ batch, isCurrent, resolve, reject })
      })
    },
    async idle() {
      while (open !== undefined) {
        flush()
      }
      let last: Promise<void> | undefined
      while (last !== flushing) {
        last = flushing
        await last
      }
    },
  }
}
