import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ClientCertRegistryProbe } from '@client-cert-auth/core';
import { REGISTRY_CONNECTION } from '../module/client-cert-registry.options';

/**
 * `SELECT 1` on the registry's DataSource, bounded by `timeoutMs`. Resolves when the database
 * answers; rejects with a short message (no URL, no credentials) otherwise.
 * @example await pingRegistry(dataSource, 1000)
 */
export async function pingRegistry(dataSource: DataSource, timeoutMs: number): Promise<void> {
  if (!dataSource.isInitialized) throw new Error('registry connection is not initialized');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([dataSource.query('SELECT 1'), timeout]);
  } catch (error) {
    // pg puts the server's text in `message` (e.g. "database ... is not currently accepting connections").
    throw new Error((error as Error)?.message ?? String(error));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The registry's `ClientCertRegistryProbe`, on its named TypeORM connection (`client-cert-registry`).
 * Provide it where `ClientCertHealthIndicator` is provided.
 * @example providers: [ClientCertHealthIndicator, { provide: ClientCertRegistryProbe, useClass: RegistryHealthProbe }]
 */
@Injectable()
export class RegistryHealthProbe extends ClientCertRegistryProbe {
  constructor(@InjectDataSource(REGISTRY_CONNECTION) private readonly dataSource: DataSource) {
    super();
  }

  ping(timeoutMs = 1000): Promise<void> {
    return pingRegistry(this.dataSource, timeoutMs);
  }
}
