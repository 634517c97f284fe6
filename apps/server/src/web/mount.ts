import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Hono } from 'hono'
import type { ServerContext } from '../context.js'
import { repoRoot } from '../paths.js'
import type { AnalyzerMode } from '../settings/analyzer-mode.js'
import { marketWebBackends } from '../market/web-backends.js'
import type { WebBackends } from './backends.js'
import { createEventHub } from './event-hub.js'
import { tradingWebBackends } from './trading-backends.js'
import { webRoutes } from './web-routes.js'

/**
 * The web app's backends from whatever services the composition root has built: each area
 * adds its mapping here as its service functions land (orders, books, funds, quotes, master
 * contract, the event bus). Missing ones answer 503 `not_available`.
 */
export function webBackendsFrom(context: Partial<ServerContext>): WebBackends {
  const backends: WebBackends = {}
  // the settings area's live switch, once the composition root puts it in the context: changes
  // from `oa analyzer on|off` or another process then reach every open tab too
  const mode: AnalyzerMode | undefined =
    context.trading?.mode ?? (context as { analyzerMode?: AnalyzerMode }).analyzerMode
  if (mode) {
    backends.analyzerMode = {
      get: () => (mode.isOn() ? 'analyze' : 'live'),
      set: (next, caller) => {
        mode.set(next === 'analyze', `web:${caller.username}`)
        return Promise.resolve()
      },
    }
    backends.subscribe = (listener) =>
      mode.onChange((on) => listener(null, { type: 'mode', mode: on ? 'analyze' : 'live' }))
  }
  // master contract status and forced download, LTP quotes, master-contract push events
  if (context.market && context.events)
    Object.assign(backends, marketWebBackends(context.market, context.events, backends.subscribe))
  // books, funds, order actions, the analyzer log, and order events pushed to the user's tabs
  if (context.trading)
    Object.assign(backends, tradingWebBackends(context.trading, backends.subscribe))
  return backends
}

function version(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(join(repoRoot, 'apps', 'server', 'package.json'), 'utf8'),
    ) as {
      version?: string
    }
    return pkg.version ?? '0.1.0'
  } catch {
    return '0.1.0'
  }
}

/** Mounts `/ui/api/*` (session routes and the push stream) for the web app. */
export function mountWebRoutes(
  app: Hono,
  context: Pick<
    ServerContext,
    'config' | 'clock' | 'logger' | 'identity' | 'security' | 'main' | 'logs'
  > &
    Partial<ServerContext>,
  backends: WebBackends = webBackendsFrom(context),
): void {
  const hub = createEventHub()
  const unsubscribe = backends.subscribe?.((username, event) => hub.publish(username, event))
  void unsubscribe
  app.route('/', webRoutes({ ...context, backends, hub, version: version() }))
}
