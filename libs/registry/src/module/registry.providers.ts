import { Inject, Injectable, type OnModuleDestroy, type Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ClientCertRegistry, ReplayStore } from '@client-cert-auth/core';
import { RegistryAdminService } from '../admin/registry-admin.service';
import { createInvalidationBus } from '../invalidation/invalidation-bus.factory';
import type { InvalidationBus } from '../invalidation/invalidation.bus';
import { defaultRegistryLogger } from '../registry/registry.logger';
import { PostgresReplayStore } from '../replay/postgres-replay.store';
import { TypeOrmClientCertRegistry } from '../registry/typeorm-client-cert.registry';
import { CLIENT_CERT_REGISTRY_OPTIONS } from './client-cert-registry.module-definition';
import { type ClientCertRegistryOptions, REGISTRY_CONNECTION, REGISTRY_INVALIDATION_BUS } from './client-cert-registry.options';

const DATA_SOURCE = getDataSourceToken(REGISTRY_CONNECTION);

/** Stops LISTEN and flushes last-seen before @nestjs/typeorm closes the connection (on shutdown). */
@Injectable()
export class RegistryLifecycle implements OnModuleDestroy {
  constructor(
    private readonly registry: TypeOrmClientCertRegistry,
    @Inject(REGISTRY_INVALIDATION_BUS) private readonly bus: InvalidationBus,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.registry.close();
    await this.bus.close();
  }
}

/** The providers of ClientCertRegistryModule, wired to the named TypeORM connection. */
export const REGISTRY_PROVIDERS: Provider[] = [
  {
    provide: REGISTRY_INVALIDATION_BUS,
    inject: [CLIENT_CERT_REGISTRY_OPTIONS, DATA_SOURCE],
    useFactory: (options: ClientCertRegistryOptions, dataSource: DataSource) =>
      createInvalidationBus(options.database, options.logger ?? defaultRegistryLogger(), options.listen ?? true, dataSource),
  },
  {
    provide: TypeOrmClientCertRegistry,
    inject: [DATA_SOURCE, REGISTRY_INVALIDATION_BUS, CLIENT_CERT_REGISTRY_OPTIONS],
    useFactory: (dataSource: DataSource, bus: InvalidationBus, options: ClientCertRegistryOptions) => new TypeOrmClientCertRegistry(dataSource, bus, options),
  },
  { provide: ClientCertRegistry, useExisting: TypeOrmClientCertRegistry },
  {
    // Shared nonces for HMAC-signed profiles across instances. SQLite serves one host: null lets
    // the auth module keep nonces in memory, as it does without this module.
    provide: ReplayStore,
    inject: [CLIENT_CERT_REGISTRY_OPTIONS, DATA_SOURCE],
    useFactory: (options: ClientCertRegistryOptions, dataSource: DataSource) =>
      options.database.type === 'postgres' ? new PostgresReplayStore(dataSource, { schema: options.database.schema }) : null,
  },
  {
    provide: RegistryAdminService,
    inject: [DATA_SOURCE, REGISTRY_INVALIDATION_BUS],
    useFactory: (dataSource: DataSource, bus: InvalidationBus) => new RegistryAdminService(dataSource, bus),
  },
  RegistryLifecycle,
];
