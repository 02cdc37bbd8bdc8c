import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createDevPki, writeDevPki, type DevPki } from '@client-cert-auth/dev-pki';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { createSampleApp, type HttpAdapterName } from '../../src/sample.app';

export interface SampleHarness {
  readonly app: INestApplication;
  readonly pki: DevPki;
  readonly dir: string;
  readonly admin: RegistryAdminService;
  close(): Promise<void>;
}

/** The named client certificates every sample test can use. */
export const SAMPLE_CLIENTS = [
  { name: 'alice', subject: 'CN=alice,O=Sample Clients', san: { uri: ['spiffe://test.local/alice'] } },
  { name: 'bob', subject: 'CN=bob,O=Sample Clients', san: { dns: ['bob.clients.test'] } },
  { name: 'mallory', subject: 'CN=mallory,O=Sample Clients', san: { uri: ['spiffe://test.local/mallory'] } },
];

/**
 * Starts the real sample backend on a fresh dev PKI and a fresh SQLite registry (or the
 * PostgreSQL URL given), trusting loopback as its proxy unless `settings` say otherwise.
 * Several instances of one deployment share `shared.pki` (and a database URL in `settings`).
 */
export async function startSample(adapter: HttpAdapterName, settings: Record<string, string> = {}, shared: { pki?: DevPki } = {}): Promise<SampleHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'cca-sample-'));
  const pki = shared.pki ?? createDevPki({ clients: SAMPLE_CLIENTS });
  writeDevPki(dir, pki);
  // Refusals are logged at warn by design; tests that provoke hundreds of them keep only errors.
  const app = await createSampleApp(
    adapter,
    {
      CLIENT_CERT_CA_FILES: join(dir, 'root.pem'),
      CLIENT_CERT_INTERMEDIATE_FILES: join(dir, 'intermediate.pem'),
      CLIENT_CERT_PROXY_FROM: '127.0.0.1/32,::1/128',
      CLIENT_CERT_PROXY_FORMAT: 'rfc9440',
      CLIENT_CERT_REVOCATION_MODE: 'off',
      CLIENT_CERT_DATABASE_URL: `sqlite:${join(dir, 'registry.sqlite')}`,
      ...settings,
    },
    ['error'],
  ).catch((error: Error) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  await app.init();
  if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return {
    app,
    pki,
    dir,
    admin: app.get(RegistryAdminService),
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An RFC 9440 `Client-Cert` value: `:<base64 DER>:`. */
export function rfc9440(der: Buffer): string {
  return `:${der.toString('base64')}:`;
}
