import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router'
import { Toaster } from 'sonner'
import { ErrorBoundary } from './components/error-boundary.js'
import { Layout, RequireBroker } from './components/layout.js'
import { Spinner } from './components/ui.js'
import { ApiError } from './lib/api.js'
import { applyTheme, useTheme } from './lib/theme.js'
import './styles.css'

applyTheme()

// every page is its own chunk: the dashboard's first load carries only what it renders
const Setup = lazy(() => import('./pages/setup.js'))
const Login = lazy(() => import('./pages/login.js'))
const Broker = lazy(() => import('./pages/broker.js'))
const ResetPassword = lazy(() => import('./pages/reset-password.js'))
const Dashboard = lazy(() => import('./pages/dashboard.js'))
const OrderBook = lazy(() => import('./pages/orderbook.js'))
const TradeBook = lazy(() => import('./pages/tradebook.js'))
const Positions = lazy(() => import('./pages/positions.js'))
const Holdings = lazy(() => import('./pages/holdings.js'))
const ApiKey = lazy(() => import('./pages/apikey.js'))
const Analyzer = lazy(() => import('./pages/analyzer.js'))
const MasterContract = lazy(() => import('./pages/master-contract.js'))
const Logs = lazy(() => import('./pages/logs.js'))
const Settings = lazy(() => import('./pages/settings.js'))
const NotFound = lazy(() => import('./pages/not-found.js'))

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // a 4xx/503 will not change by asking again at once; a network blip might
      retry: (n, e) => n < 1 && !(e instanceof ApiError && e.status >= 400),
    },
  },
})

// a session that ended mid-page sends the trader to the right door
queryClient.getQueryCache().subscribe((event) => {
  const error = event.query.state.error
  if (event.type !== 'updated' || !(error instanceof ApiError)) return
  const path = window.location.pathname
  if (error.code === 'session_expired' && path !== '/login' && path !== '/setup') {
    queryClient.clear()
    router.navigate('/login', { replace: true })
  } else if (error.code === 'broker_not_connected' && path !== '/broker') {
    router.navigate('/broker', { replace: true })
  }
})

const page = (node: ReactNode) => (
  <ErrorBoundary>
    <Suspense fallback={<Spinner />}>{node}</Suspense>
  </ErrorBoundary>
)

const router = createBrowserRouter([
  { path: '/setup', element: page(<Setup />) },
  { path: '/login', element: page(<Login />) },
  { path: '/auth/login', element: <Navigate to="/login" replace /> },
  { path: '/broker', element: page(<Broker />) },
  { path: '/reset-password', element: page(<ResetPassword />) },
  { path: '/auth/broker', element: <Navigate to="/broker?error=1" replace /> },
  {
    element: (
      <ErrorBoundary>
        <RequireBroker>
          <Layout />
        </RequireBroker>
      </ErrorBoundary>
    ),
    children: [
      { path: '/', element: <Navigate to="/dashboard" replace /> },
      { path: '/dashboard', element: <Dashboard /> },
      { path: '/orderbook', element: <OrderBook /> },
      { path: '/tradebook', element: <TradeBook /> },
      { path: '/positions', element: <Positions /> },
      { path: '/holdings', element: <Holdings /> },
      { path: '/apikey', element: <ApiKey /> },
      { path: '/analyzer', element: <Analyzer /> },
      { path: '/logs/sandbox', element: <Navigate to="/analyzer" replace /> },
      { path: '/master-contract', element: <MasterContract /> },
      { path: '/logs', element: <Logs /> },
      { path: '/settings', element: <Settings /> },
      { path: '/profile', element: <Navigate to="/settings" replace /> },
      { path: '*', element: <NotFound /> },
    ],
  },
])

function Toasts() {
  const theme = useTheme()
  return <Toaster theme={theme} position="top-right" richColors closeButton />
}

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
        <Toasts />
      </QueryClientProvider>
    </StrictMode>,
  )
}
