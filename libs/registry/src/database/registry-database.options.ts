import { resolve as resolvePath } from 'node:path';

/** An embedded SQLite database (better-sqlite3): a file path, or `':memory:'` for tests. */
export interface SqliteRegistryDatabase {
  readonly type: 'sqlite';
  /** @example './data/registry.sqlite' */
  readonly path: string;
}

/** A PostgreSQL database, for deployments with several backend instances. */
export interface PostgresRegistryDatabase {
  readonly type: 'postgres';
  /** @example 'postgres://registry@db.internal:5432/app' */
  readonly url: string;
  /**
   * Schema holding the registry tables (created by `migrate` when missing).
   * @default 'public'
   */
  readonly schema?: string;
  /**
   * Per-statement timeout, so a hung database gives REGISTRY_UNAVAILABLE instead of a hung request.
   * @default 2000
   */
  readonly queryTimeoutMs?: number;
  /** @default 2000 */
  readonly connectTimeoutMs?: number;
  /** @default 10 */
  readonly poolSize?: number;
  /** Shown in pg_stat_activity; the LISTEN connection adds `:listen`. @default 'client-cert-registry' */
  readonly applicationName?: string;
}

export type RegistryDatabaseOptions = SqliteRegistryDatabase | PostgresRegistryDatabase;

/** Default when neither `--database` nor `CLIENT_CERT_DATABASE_URL` is given. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/registry.sqlite';

/** Thrown for a database URL we cannot use; the message says what is accepted. */
export class RegistryDatabaseUrlError extends Error {
  override readonly name = 'RegistryDatabaseUrlError';
}

/**
 * Parses `sqlite:PATH`, `sqlite::memory:`, `postgres://…` / `postgresql://…` (an optional
 * `?schema=NAME` selects the schema and is removed from the URL handed to pg).
 * @example parseDatabaseUrl('sqlite:./data/registry.sqlite')
 */
export function parseDatabaseUrl(url: string): RegistryDatabaseOptions {
  const trimmed = url.trim();
  if (/^sqlite:/i.test(trimmed)) {
    const path = trimmed.replace(/^sqlite:(\/\/)?/i, '');
    if (path === '') throw new RegistryDatabaseUrlError('sqlite URL needs a path: sqlite:./data/registry.sqlite');
    return { type: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new RegistryDatabaseUrlError(`"${url}" is not a valid postgres:// URL`);
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return { type: 'postgres', url: parsed.toString(), ...(schema ? { schema } : {}) };
  }
  throw new RegistryDatabaseUrlError(`unsupported database URL "${url}": use sqlite:PATH or postgres://user@host:5432/db`);
}

/** A stable identity of one database, so registries in one process share in-process invalidation. */
export function databaseIdentity(db: RegistryDatabaseOptions): string {
  return db.type === 'sqlite'
    ? `sqlite:${db.path === ':memory:' ? `:memory:${Math.random()}` : resolvePath(db.path)}`
    : `postgres:${db.url}#${db.schema ?? 'public'}`;
}
