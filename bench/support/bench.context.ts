import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createDevPki, writeDevPki, type DevPki, type DevPkiClient } from '@client-cert-auth/dev-pki';
import { BenchAppModule } from '../http/bench-app.module';

/** The bench app's settings over a dev PKI written to `dir`: SQLite registry, revocation off. */
export function benchSettings(dir: string): Record<string, string> {
  return {
    CLIENT_CERT_CA_FILES: join(dir, 'root.pem'),
    CLIENT_CERT_INTERMEDIATE_FILES: join(dir, 'intermediate.pem'),
    CLIENT_CERT_PROXY_FROM: '127.0.0.1/32,::1/128',
    CLIENT_CERT_PROXY_FORMAT: 'rfc9440',
    CLIENT_CERT_REVOCATION_MODE: 'off',
    CLIENT_CERT_DATABASE_URL: `sqlite:${join(dir, 'registry.sqlite')}`,
  };
}

/**
 * The bench app as an in-process Nest context (no HTTP) on a fresh dev PKI and SQLite
 * registry: what the memory bench and the profilers share.
 */
export async function createBenchContext(
  client: DevPkiClient,
  settings: Record<string, string> = {},
): Promise<{ app: INestApplicationContext; pki: DevPki; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cca-bench-'));
  const pki = createDevPki({ clients: [client] });
  writeDevPki(dir, pki);
  const app = await NestFactory.createApplicationContext(BenchAppModule.register({ ...benchSettings(dir), ...settings }), { logger: ['error', 'warn'] });
  return { app, pki, dir };
}
