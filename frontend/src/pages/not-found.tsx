import { Link } from 'react-router'
import { PageHeader } from '../components/ui.js'

export default function NotFoundPage() {
  return (
    <div className="py-10 text-center">
      <PageHeader title="Page not found" />
      <p className="text-dim">There is nothing at this address.</p>
      <Link to="/dashboard" className="mt-4 inline-block text-accent underline">
        Back to the dashboard
      </Link>
    </div>
  )
}
