import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The server serves dist/ at `/`; during `pnpm --filter @oa/frontend dev` Vite proxies the API.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true, emptyOutDir: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:5000',
      '/auth': 'http://127.0.0.1:5000',
      '/health': 'http://127.0.0.1:5000',
    },
  },
})
