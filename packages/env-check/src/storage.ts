import { basename, isAbsolute, join } from 'node:path'

// The *_DATABASE_URL variables are kept for OpenAlgo compatibility but oa keeps every SQLite file
// in OA_DATA_DIR: `sqlite:///db/x.db` (relative) becomes `<OA_DATA_DIR>/x.db`, an absolute
// `sqlite:////srv/x.db` is used as it is. Other databases are not supported.

export type SqliteLocation =
  | { readonly kind: 'data_dir'; readonly file: string }
  | { readonly kind: 'absolute'; readonly path: string }

export type SqliteUrlOutcome =
  | { readonly ok: true; readonly value: SqliteLocation }
  | { readonly ok: false; readonly message: string; readonly unsupported: boolean }

/** Reads `sqlite:///relative/x.db` or `sqlite:////abs/x.db` (query strings are ignored). */
export function parseSqliteUrl(url: string): SqliteUrlOutcome {
  const m = /^sqlite:\/\/\/(.*)$/i.exec(url.trim())
  if (!m) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]
    return scheme && !/^sqlite$/i.test(scheme)
      ? {
          ok: false,
          unsupported: true,
          message: 'only SQLite is supported',
        }
      : {
          ok: false,
          unsupported: false,
          message: "must be a SQLite URL such as 'sqlite:///db/openalgo.db'",
        }
  }
  const path = (m[1] ?? '').replace(/\?.*$/, '')
  if (path === '' || path === ':memory:' || path.endsWith('/')) {
    return {
      ok: false,
      unsupported: false,
      message: 'must name a database file, e.g. sqlite:///db/openalgo.db',
    }
  }
  if (isAbsolute(path)) return { ok: true, value: { kind: 'absolute', path } }
  return { ok: true, value: { kind: 'data_dir', file: basename(path) } }
}

/** The absolute file path of a parsed SQLite URL, given the absolute OA_DATA_DIR. */
export function resolveSqlitePath(location: SqliteLocation, dataDir: string): string {
  return location.kind === 'absolute' ? location.path : join(dataDir, location.file)
}
