import type { IdentityServices } from '../identity/identity.js'
import type { IdentityPort } from './market-services.js'

/** The market core's view of the identity area: decrypted broker sessions and the login hook. */
export function identityPort(identity: IdentityServices): IdentityPort {
  const { brokerSessions, store } = identity.auth
  return {
    sessionOf: (username) => brokerSessions.get(username),
    refreshSession(username) {
      brokerSessions.invalidate(username)
      return brokerSessions.get(username)
    },
    liveSessions: () =>
      store.liveBrokerSessions().map((s) => ({ username: s.username, broker: s.broker })),
    onBrokerLogin: (listener) => identity.onBrokerLogin(listener),
  }
}
