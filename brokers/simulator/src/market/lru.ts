/**
 * A bounded cache that evicts entries not used since the last sweep first (the CLOCK / second
 * chance approximation of LRU): a hit only sets a flag, so the hot path never reorders the map.
 */
export interface Lru<K, V> {
  get(key: K): V | undefined
  /** like `get`, but does not count as a use */
  peek(key: K): V | undefined
  set(key: K, value: V): void
  readonly size: number
}

interface Slot<V> {
  value: V
  used: boolean
}

/** An {@link Lru} holding at most `capacity` entries. */
export function createLru<K, V>(capacity: number): Lru<K, V> {
  const map = new Map<K, Slot<V>>()
  const evictOne = (): void => {
    // oldest first; a used entry gets a second chance at the back of the queue
    for (;;) {
      const next = map.entries().next()
      if (next.done === true) return
      const [key, slot] = next.value
      map.delete(key)
      if (!slot.used) return
      slot.used = false
      map.set(key, slot)
    }
  }
  return {
    get(key) {
      const slot = map.get(key)
      if (slot === undefined) return undefined
      slot.used = true
      return slot.value
    },
    peek: (key) => map.get(key)?.value,
    set(key, value) {
      const slot = map.get(key)
      if (slot !== undefined) {
        slot.value = value
        slot.used = true
        return
      }
      if (map.size >= capacity) evictOne()
      map.set(key, { value, used: false })
    },
    get size() {
      return map.size
    },
  }
}
