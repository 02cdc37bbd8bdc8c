import type { RegistryDatabaseOptions } from '../database/registry-database.options';
import type { AmbiguityPolicy } from '../registry/binding.matcher';
import type { RegistryLogger } from '../registry/registry.logger';
import type { RequestPath } from '../registry/request-path/candidate-reader.factory';
import type { KeyIndexOptions } from '../registry/key-index/registry-key.index';

/**
 * Options of `ClientCertRegistryModule.forRoot()` and `createRegistry()`.
 * @example { database: { type: 'sqlite', path: './data/registry.sqlite' }, cacheTtlSeconds: 30 }
 * @example { database: { type: 'postgres', url: process.env.DATABASE_URL! } }
 */
export interface ClientCertRegistryOptions {
  readonly database: RegistryDatabaseOptions;
  /** Upper bound on cache lifetime; invalidation normally clears sooner. @default 30 */
  readonly cacheTtlSeconds?: number;
  /** @default 10000 */
  readonly cacheMax?: number;
  /** @default 30 */
  readonly lastSeenFlushSeconds?: number;
  /** @default 'any-level' */
  readonly ambiguity?: AmbiguityPolicy;
  /** After a database failure, fail at once for this long (no pile-up of connect timeouts). @default 500 */
  readonly failFastMs?: number;
  /** Apply pending migrations when connecting. @default true */
  readonly migrationsRun?: boolean;
  /**
   * LISTEN for invalidations (PostgreSQL). The CLI turns it off: it only writes.
   * @default true
   */
  readonly listen?: boolean;
  readonly logger?: RegistryLogger;
  /**
   * Connection attempts at bootstrap (Nest module only) before start-up fails.
   * @default 3
   */
  readonly connectRetryAttempts?: number;
  /** @default 1000 */
  readonly connectRetryDelayMs?: number;
  /** Clock for rotation windows; tests inject one. @default () => new Date() */
  readonly clock?: () => Date;
  /**
   * How request-path lookups reach the database: `'prepared'` = prepared statements on the
   * driver under TypeORM (better-sqlite3, pg; one round trip per never-seen certificate on
   * PostgreSQL), `'typeorm'` = the TypeORM query builder (slower; a fallback should the raw path
   * ever misbehave). Migrations and admin always use TypeORM.
   * @default 'prepared'
   */
  readonly requestPath?: RequestPath;
  /**
   * Keep every bound and denied `(kind, value)` in memory as a 4-byte hash, so a never-seen
   * certificate is answered without a statement when none of its keys is bound or denied, or
   * when its bound keys were looked up before (e.g. a SAN URI shared by many certificates).
   * Rebuilt after every invalidation; never used while the invalidation channel is down. A
   * registry with more than `maxKeys` bindings plus deny-list entries is not indexed. `false`
   * turns it off.
   * @default { maxKeys: 1000000 }
   * @example { keyIndex: { maxKeys: 5_000_000 } }
   */
  readonly keyIndex?: false | KeyIndexOptions;
}

/** The name of the registry's TypeORM connection (`@InjectDataSource(REGISTRY_CONNECTION)`). */
export const REGISTRY_CONNECTION = 'client-cert-registry';

/** Injection token of the registry's invalidation bus. */
export const REGISTRY_INVALIDATION_BUS = Symbol('CLIENT_CERT_REGISTRY_INVALIDATION_BUS');

/** Throws with a fix-it message when options cannot work; called once at bootstrap. */
export function validateRegistryOptions(options: ClientCertRegistryOptions): ClientCertRegistryOptions {
  const db = options?.database;
  if (!db || (db.type !== 'sqlite' && db.type !== 'postgres')) {
    throw new Error("ClientCertRegistryModule: set database to { type: 'sqlite', path } or { type: 'postgres', url }");
  }
  if (db.type === 'sqlite' && !db.path) throw new Error("ClientCertRegistryModule: database.path is required for sqlite (or ':memory:')");
  if (db.type === 'postgres' && !db.url) throw new Error('ClientCertRegistryModule: database.url is required for postgres');
  for (const key of ['cacheTtlSeconds', 'cacheMax', 'lastSeenFlushSeconds'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new Error(`ClientCertRegistryModule: ${key} must be a number >= 0 (got ${String(value)})`);
    }
  }
  const keyIndex = options.keyIndex;
  if (keyIndex !== undefined && keyIndex !== false) {
    const maxKeys = (keyIndex as KeyIndexOptions | null)?.maxKeys;
    if (typeof keyIndex !== 'object' || keyIndex === null || (maxKeys !== undefined && !(Number.isInteger(maxKeys) && maxKeys >= 0))) {
      throw new Error(`ClientCertRegistryModule: keyIndex must be false or { maxKeys: <integer >= 0> } (got ${JSON.stringify(keyIndex)})`);
    }
  }
  if (options.requestPath !== undefined && options.requestPath !== 'prepared' && options.requestPath !== 'typeorm') {
    throw new Error(`ClientCertRegistryModule: requestPath must be 'prepared' or 'typeorm' (got ${String(options.requestPath)})`);
  }
  return Object.freeze({ ...options });
}
