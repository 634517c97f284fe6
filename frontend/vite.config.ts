import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

const server = 'http://127.0.0.1:5000'

// The server serves dist/ at `/`; during `pnpm --filter @oa/frontend dev` Vite proxies the
// server's paths. `@oa/source` resolves @oa/web-contract to its TypeScript sources (types and zod
// schemas only), so the web app needs no prior build of it.
export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { conditions: ['@oa/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    sourcemap: true,
    emptyOutDir: true,
    // the polyfill is an inline <script>, which our CSP (no 'unsafe-inline' scripts) refuses;
    // every browser we support has native modulepreload
    modulePreload: { polyfill: false },
    // the budget that matters is measured by bench/ (gzip of what the dashboard loads: < 300 kB)
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/auth', '/ui', '/setup', '/apikey', '/health', '/simulator'].map((p) => [
        p,
        server,
      ]),
    ),
  },
})
