import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { registryDataSourceOptions } from '../database/registry-data-source.factory';
import { openRegistryDataSource } from '../database/registry-data-source.open';
import { RegistryAdminService } from '../admin/registry-admin.service';
import { createInvalidationBus } from '../invalidation/invalidation-bus.factory';
import type { InvalidationBus } from '../invalidation/invalidation.bus';
import { type ClientCertRegistryOptions, validateRegistryOptions } from '../module/client-cert-registry.options';
import { TypeOrmClientCertRegistry } from '../registry/typeorm-client-cert.registry';
import { defaultRegistryLogger } from '../registry/registry.logger';

/** A registry wired without Nest (CLI, scripts, tests). */
export interface RegistryHandle {
  readonly registry: TypeOrmClientCertRegistry;
  readonly admin: RegistryAdminService;
  readonly dataSource: DataSource;
  readonly bus: InvalidationBus;
  /** Flushes last-seen, stops LISTEN, closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database (running migrations unless `migrationsRun: false`), starts invalidation and
 * returns the registry and admin service sharing them.
 * @example const { admin, close } = await createRegistry({ database: parseDatabaseUrl(url), listen: false });
 */
export async function createRegistry(input: ClientCertRegistryOptions & { readonly typeormLogger?: TypeOrmLogger }): Promise<RegistryHandle> {
  const options = validateRegistryOptions(input);
  const logger = options.logger ?? defaultRegistryLogger();
  const dataSource = await openRegistryDataSource(registryDataSourceOptions(options.database, { logger: input.typeormLogger }), options.migrationsRun ?? true);
  const bus = await createInvalidationBus(options.database, logger, options.listen ?? true, dataSource);
  const registry = new TypeOrmClientCertRegistry(dataSource, bus, { ...options, logger });
  const admin = new RegistryAdminService(dataSource, bus);
  let closing: Promise<void> | undefined;
  return {
    registry,
    admin,
    dataSource,
    bus,
    close: () =>
      (closing ??= (async () => {
        await registry.close();
        await bus.close();
        if (dataSource.isInitialized) await dataSource.destroy();
      })()),
  };
}
