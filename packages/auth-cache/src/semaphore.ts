/** A counting semaphore: at most `limit` tasks run at once, the rest wait in FIFO order. */
export interface Semaphore {
  run<T>(task: () => Promise<T>): Promise<T>
  readonly active: number
  readonly waiting: number
}

export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`semaphore limit must be >= 1, got ${limit}`)
  let active = 0
  const queue: (() => void)[] = []
  const release = (): void => {
    const next = queue.shift()
    if (next) next()
    else active--
  }
  return {
    get active() {
      return active
    },
    get waiting() {
      return queue.length
    },
    async run(task) {
      if (active < limit) active++
      // the releasing task hands its slot straight to the next waiter (active stays the same)
      else await new Promise<void>((resolve) => queue.push(resolve))
      try {
        return await task()
      } finally {
        release()
      }
    },
  }
}
