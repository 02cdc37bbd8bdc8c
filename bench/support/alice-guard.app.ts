import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { ClientCertAuthModule } from '@client-cert-auth/core';
import { createDevPki, type DevPki, writeDevPki } from '@client-cert-auth/dev-pki';
import { ClientCertRegistryModule, parseDatabaseUrl, RegistryAdminService } from '@client-cert-auth/registry';

/**
 * What the in-process guard benches run on: a dev PKI with one client, alice (SAN URI
 * `spiffe://bench.local/alice`), written to a temporary folder, and the modules of an app that
 * trusts it (SQLite registry there, RFC 9440 from 127.0.0.1, revocation off).
 */
export interface AliceGuardApp {
  readonly pki: DevPki;
  readonly imports: DynamicModule[];
  /** Binds alice's SAN URI to the account `alice-app` (call after the app has started). */
  enroll(app: INestApplicationContext): Promise<void>;
  /** Removes the temporary folder. */
  dispose(): void;
}

export function aliceGuardApp(prefix: string): AliceGuardApp {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const pki = createDevPki({ clients: [{ name: 'alice', subject: 'CN=alice', san: { uri: ['spiffe://bench.local/alice'] } }] });
  writeDevPki(dir, pki);
  return {
    pki,
    imports: [
      ClientCertRegistryModule.forRoot({ database: parseDatabaseUrl(`sqlite:${join(dir, 'registry.sqlite')}`) }),
      ClientCertAuthModule.forRoot({
        proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
        trustAnchors: { files: [join(dir, 'root.pem')], intermediateFiles: [join(dir, 'intermediate.pem')] },
        revocation: { mode: 'off' },
      }),
    ],
    async enroll(app) {
      const admin = app.get(RegistryAdminService);
      await admin.addAccount({ name: 'alice-app', roles: [] });
      await admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://bench.local/alice' });
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
