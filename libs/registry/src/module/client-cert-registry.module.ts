import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { ClientCertRegistry, ReplayStore } from '@client-cert-auth/core';
import { RegistryAdminService } from '../admin/registry-admin.service';
import { registryDataSourceOptions } from '../database/registry-data-source.factory';
import { openRegistryDataSource } from '../database/registry-data-source.open';
import { TypeOrmClientCertRegistry } from '../registry/typeorm-client-cert.registry';
import {
  CLIENT_CERT_REGISTRY_OPTIONS,
  ClientCertRegistryConfigurableModule,
  REGISTRY_ASYNC_OPTIONS_TYPE,
  REGISTRY_OPTIONS_TYPE,
} from './client-cert-registry.module-definition';
import { type ClientCertRegistryOptions, REGISTRY_CONNECTION, validateRegistryOptions } from './client-cert-registry.options';
import { REGISTRY_PROVIDERS } from './registry.providers';

/** Holds the resolved options so both the TypeORM connection and our providers can inject them. */
@Module({})
class RegistryOptionsHostModule {}

/**
 * The database-backed account registry as a Nest module. Provides the `ClientCertRegistry` port
 * (the TypeORM implementation) and `RegistryAdminService`, on its own NAMED TypeORM connection
 * (`client-cert-registry`) so it never clashes with the application's TypeORM setup.
 * @example ClientCertRegistryModule.forRoot({ database: { type: 'sqlite', path: './data/registry.sqlite' } })
 */
@Module({})
export class ClientCertRegistryModule extends ClientCertRegistryConfigurableModule {
  static override forRoot(options: typeof REGISTRY_OPTIONS_TYPE): DynamicModule {
    return withTypeOrm(super.forRoot(options));
  }

  static override forRootAsync(options: typeof REGISTRY_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withTypeOrm(super.forRootAsync(options));
  }
}

function withTypeOrm(base: DynamicModule): DynamicModule {
  // The options provider(s) move into a host module imported by both us and TypeORM: one
  // instance (Nest dedupes the identical dynamic module), so a user factory runs once.
  const optionsHost: DynamicModule = {
    module: RegistryOptionsHostModule,
    imports: base.imports ?? [],
    providers: base.providers ?? [],
    exports: [CLIENT_CERT_REGISTRY_OPTIONS],
  };
  const typeOrm = TypeOrmModule.forRootAsync({
    name: REGISTRY_CONNECTION,
    imports: [optionsHost],
    inject: [CLIENT_CERT_REGISTRY_OPTIONS],
    useFactory: (options: ClientCertRegistryOptions) => {
      const valid = validateRegistryOptions(options);
      // `name` is read by @nestjs/typeorm (shutdown looks the DataSource up by it); TypeORM 1.x
      // itself has no such option, so the factory below strips it again.
      return {
        ...registryDataSourceOptions(valid.database),
        migrationsRun: valid.migrationsRun ?? true,
        name: REGISTRY_CONNECTION,
        retryAttempts: valid.connectRetryAttempts ?? 3,
        retryDelay: valid.connectRetryDelayMs ?? 1000,
      };
    },
    dataSourceFactory: async (options) => {
      const {
        migrationsRun,
        name: _name,
        retryAttempts: _a,
        retryDelay: _d,
        ...rest
      } = options as DataSourceOptions & {
        name?: string;
        retryAttempts?: number;
        retryDelay?: number;
      };
      return openRegistryDataSource(rest as DataSourceOptions, migrationsRun ?? true);
    },
  });
  return {
    ...base,
    module: ClientCertRegistryModule,
    imports: [optionsHost, typeOrm],
    providers: REGISTRY_PROVIDERS,
    exports: [ClientCertRegistry, TypeOrmClientCertRegistry, RegistryAdminService, ReplayStore],
  };
}
