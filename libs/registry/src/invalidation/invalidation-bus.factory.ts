import type { DataSource } from 'typeorm';
import { databaseIdentity, type RegistryDatabaseOptions } from '../database/registry-database.options';
import type { RegistryLogger } from '../registry/registry.logger';
import type { InvalidationBus } from './invalidation.bus';
import { LocalInvalidationBus } from './local-invalidation.bus';
import { PostgresInvalidationBus } from './postgres-invalidation.bus';

/**
 * The bus that fits the database: LISTEN/NOTIFY on PostgreSQL, in-process events plus a
 * `data_version` poll on SQLite. `listen: false` (the CLI, which only writes) starts neither.
 */
export async function createInvalidationBus(
  db: RegistryDatabaseOptions,
  logger: RegistryLogger,
  listen: boolean,
  dataSource: DataSource,
): Promise<InvalidationBus> {
  if (db.type === 'sqlite') {
    const bus = new LocalInvalidationBus(databaseIdentity(db));
    return listen ? bus.watch(dataSource) : bus;
  }
  const bus = new PostgresInvalidationBus({ url: db.url, schema: db.schema ?? 'public', logger, applicationName: db.applicationName });
  if (listen) await bus.start();
  return bus;
}
