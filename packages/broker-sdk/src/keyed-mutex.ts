/**
 * A per-key async mutex: calls with the same key run one after another, different keys run
 * concurrently. Smart orders use it per `symbol:exchange:product` (brokers.md §1.6) so two
 * signals for one symbol cannot both read "flat" and both buy.
 */
export interface KeyedMutex {
  /** Runs `task` once every earlier task for `key` has settled; resolves with its value. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>
  /** keys with a running or queued task (for tests and metrics) */
  readonly activeKeys: number
}

/** Creates a {@link KeyedMutex}; idle keys are forgotten, so memory stays bounded. */
export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<void>>()
  return {
    get activeKeys() {
      return tails.size
    },
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve()
      let release!: () => void
      const done = new Promise<void>((resolve) => {
        release = resolve
      })
      const tail = previous.then(() => done)
      tails.set(key, tail)
      return previous.then(async () => {
        try {
          return await task()
        } finally {
          release()
          if (tails.get(key) === tail) tails.delete(key)
        }
      })
    },
  }
}
