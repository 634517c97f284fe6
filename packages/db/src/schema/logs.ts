/** Tables of the traffic/security database (`LOGS_DATABASE_URL`, default `logs.db`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LogsDatabase {}
