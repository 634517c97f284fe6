import type { WebEvent } from '@oa/web-contract'

/** A browser's push stream, as the hub sees it. */
export interface HubClient {
  readonly username: string
  send(event: WebEvent): void
}

/**
 * Fans events out to the push streams (`GET /ui/api/events`) of the user they belong to (W-2:
 * never a broadcast to strangers); `publish(null, e)` reaches every connected user, for
 * installation-wide facts (the analyzer switch, the master contract).
 */
export interface EventHub {
  add(client: HubClient): () => void
  publish(username: string | null, event: WebEvent): void
  /** connected streams (all users) */
  size(): number
}

export function createEventHub(): EventHub {
  const byUser = new Map<string, Set<HubClient>>()
  return {
    add(client) {
      let set = byUser.get(client.username)
      if (!set) byUser.set(client.username, (set = new Set()))
      set.add(client)
      return () => {
        set.delete(client)
        if (set.size === 0) byUser.delete(client.username)
      }
    },
    publish(username, event) {
      const targets = username === null ? [...byUser.values()] : [byUser.get(username)]
      for (const set of targets) for (const client of set ?? []) client.send(event)
    },
    size: () => [...byUser.values()].reduce((n, s) => n + s.size, 0),
  }
}
