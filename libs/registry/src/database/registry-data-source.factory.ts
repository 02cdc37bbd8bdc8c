import { resolve as resolvePath, dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { DataSourceOptions } from 'typeorm';
import { requireOptionalPeer } from '@client-cert-auth/core';
import type { LoggerOptions } from 'typeorm/logger/LoggerOptions';
import { REGISTRY_ENTITIES } from '../entities/registry.entities';
import { REGISTRY_MIGRATIONS, REGISTRY_MIGRATIONS_TABLE } from '../migrations/registry.migrations';
import type { RegistryDatabaseOptions } from './registry-database.options';

/** Identifier check for a PostgreSQL schema name we interpolate into DDL. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * TypeORM DataSource options for the registry: its entities and migrations only, never
 * `synchronize`, its own migrations table.
 */
export function registryDataSourceOptions(db: RegistryDatabaseOptions, extra: { logger?: DataSourceOptions['logger'] } = {}): DataSourceOptions {
  const common = {
    entities: REGISTRY_ENTITIES,
    migrations: REGISTRY_MIGRATIONS,
    migrationsTableName: REGISTRY_MIGRATIONS_TABLE,
    synchronize: false,
    logger: extra.logger,
    logging: extra.logger ? (['query', 'error'] as LoggerOptions) : false,
  };
  // TypeORM loads the driver itself; checked here first for a message that names the package.
  if (db.type === 'sqlite') {
    requireOptionalPeer(require, 'better-sqlite3', 'SQLite support of @client-cert-auth/registry');
    if (db.path !== ':memory:') mkdirSync(dirname(resolvePath(db.path)), { recursive: true });
    return { ...common, type: 'better-sqlite3', database: db.path, enableWAL: db.path !== ':memory:', timeout: 2000 };
  }
  if (db.schema !== undefined && !SCHEMA_NAME.test(db.schema)) {
    throw new Error(`invalid PostgreSQL schema name "${db.schema}": use letters, digits and _`);
  }
  requireOptionalPeer(require, 'pg', 'PostgreSQL support of @client-cert-auth/registry');
  const queryTimeout = db.queryTimeoutMs ?? 2000;
  return {
    ...common,
    type: 'postgres',
    url: db.url,
    schema: db.schema,
    connectTimeoutMS: db.connectTimeoutMs ?? 2000,
    poolSize: db.poolSize ?? 10,
    applicationName: db.applicationName ?? 'client-cert-registry',
    // query_timeout is enforced by the pg client (also when the server hangs); statement_timeout by the server.
    extra: { query_timeout: queryTimeout, statement_timeout: queryTimeout },
  } as DataSourceOptions;
}
