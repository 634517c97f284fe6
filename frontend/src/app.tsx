import { useEffect, useState } from 'react'

type Health = { status: string } | null

/** Placeholder shell until the web-app issue lands: shows whether the server is ready. */
export function App() {
  const [health, setHealth] = useState<Health>(null)
  useEffect(() => {
    fetch('/health')
      .then((r) => r.json() as Promise<{ status: string }>)
      .then(setHealth)
      .catch(() => setHealth({ status: 'unreachable' }))
  }, [])
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>oa</h1>
      <p>OpenAlgo-compatible trading platform. Server status: {health?.status ?? 'checking…'}</p>
      <p>
        The REST API lives at <code>/api/v1</code>.
      </p>
    </main>
  )
}
