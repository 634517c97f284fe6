/** Tables of the latency database (`LATENCY_DATABASE_URL`, default `latency.db`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LatencyDatabase {}
