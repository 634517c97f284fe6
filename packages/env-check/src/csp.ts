// Content-Security-Policy from the CSP_* variables (spec: platform.md §7.3 for the emission order,
// §2.3 for the code defaults). Our script-src default carries no 'unsafe-inline'.

interface DirectiveSpec {
  readonly directive: string
  readonly variable: string
  /** the code default when the variable is unset; null = omitted */
  readonly fallback: string | null
}

/** Directives in the order the original emits them (upgrade-insecure-requests slots in after base/frame-ancestors). */
export const CSP_DIRECTIVES: readonly DirectiveSpec[] = [
  { directive: 'default-src', variable: 'CSP_DEFAULT_SRC', fallback: "'self'" },
  { directive: 'script-src', variable: 'CSP_SCRIPT_SRC', fallback: "'self' https://cdn.socket.io" },
  { directive: 'style-src', variable: 'CSP_STYLE_SRC', fallback: "'self' 'unsafe-inline'" },
  { directive: 'img-src', variable: 'CSP_IMG_SRC', fallback: "'self' data: blob:" },
  { directive: 'connect-src', variable: 'CSP_CONNECT_SRC', fallback: "'self' wss: ws:" },
  { directive: 'font-src', variable: 'CSP_FONT_SRC', fallback: "'self'" },
  { directive: 'object-src', variable: 'CSP_OBJECT_SRC', fallback: "'none'" },
  { directive: 'media-src', variable: 'CSP_MEDIA_SRC', fallback: "'self'" },
  { directive: 'frame-src', variable: 'CSP_FRAME_SRC', fallback: "'self'" },
  { directive: 'child-src', variable: 'CSP_CHILD_SRC', fallback: null },
  { directive: 'form-action', variable: 'CSP_FORM_ACTION', fallback: "'self'" },
  { directive: 'base-uri', variable: 'CSP_BASE_URI', fallback: "'self'" },
  { directive: 'frame-ancestors', variable: 'CSP_FRAME_ANCESTORS', fallback: "'self'" },
]

export const CSP_REPORT_DIRECTIVES: readonly DirectiveSpec[] = [
  { directive: 'report-uri', variable: 'CSP_REPORT_URI', fallback: null },
  { directive: 'report-to', variable: 'CSP_REPORT_TO', fallback: null },
]

/** Builds the ordered directive list; empty values are omitted, as the original does. */
export function buildCspDirectives(
  values: Readonly<Record<string, string | null>>,
  upgradeInsecureRequests: boolean,
): [string, string][] {
  const out: [string, string][] = []
  for (const d of CSP_DIRECTIVES) {
    const v = values[d.variable]
    if (v) out.push([d.directive, v])
  }
  if (upgradeInsecureRequests) out.push(['upgrade-insecure-requests', ''])
  for (const d of CSP_REPORT_DIRECTIVES) {
    const v = values[d.variable]
    if (v) out.push([d.directive, v])
  }
  return out
}

/** `default-src 'self'; script-src 'self'; upgrade-insecure-requests`. */
export function cspHeaderValue(directives: readonly (readonly [string, string])[]): string {
  return directives.map(([name, value]) => (value ? `${name} ${value}` : name)).join('; ')
}
