import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ClientCertAuthModule, type RevocationMode } from '@client-cert-auth/core';
import { ClientCertRegistryModule } from '@client-cert-auth/registry';
import { HealthModule } from '../../src/health/health.module';
import { OpensslCa } from '../revocation/support/openssl-ca';
import { sampleValue } from './support/prometheus.text';

/**
 * CRL freshness as the health route and the metrics report it, with real CRLs made by
 * `openssl ca -gencrl` and the sample's own HealthModule (terminus, /health and /metrics).
 */
describe('revocation state on /health and /metrics', () => {
  let dir: string;
  let ca: OpensslCa;
  let app: INestApplication | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cca-obs-crl-'));
    ca = OpensslCa.create(join(dir, 'ca'), { name: 'Health Test CA' });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start(mode: RevocationMode, crlFile: string): Promise<INestApplication> {
    const module = await Test.createTestingModule({
      imports: [
        ClientCertRegistryModule.forRoot({ database: { type: 'sqlite', path: ':memory:' } }),
        ClientCertAuthModule.forRoot({
          proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
          trustAnchors: { files: [ca.cert.certPath] },
          revocation: { mode, crl: { files: [crlFile], useDistributionPoints: false }, ocsp: { enabled: false } },
          metrics: { enabled: true },
        }),
        HealthModule,
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  const expiredWindow = () => ({ last: new Date(Date.now() - 2 * 3600_000), next: new Date(Date.now() - 3600_000) });

  it('is healthy with a fresh CRL, and reports its age and freshness as metrics', async () => {
    const crl = ca.gencrl('fresh.crl', { hours: 1 });
    const server = (await start('hard-fail', crl)).getHttpServer();
    const health = await request(server).get('/health').expect(200);
    expect(health.body.details.client_cert_revocation).toEqual(expect.objectContaining({ status: 'up', mode: 'hard-fail', crls: 1, staleCrls: [] }));
    const metrics = (await request(server).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/client_cert_crl_fresh\{source="[^"]*fresh\.crl"\} 1/);
    expect(metrics).toMatch(/client_cert_crl_age_seconds\{source="[^"]*fresh\.crl"\} \d+/);
  });

  it('answers 503 naming the stale CRL in hard-fail mode', async () => {
    const crl = ca.gencrl('expired-hard.crl', { window: expiredWindow() });
    const server = (await start('hard-fail', crl)).getHttpServer();
    const health = await request(server).get('/health').expect(503);
    expect(health.body.error.client_cert_revocation).toEqual(
      expect.objectContaining({ status: 'down', staleCrls: [expect.stringContaining('expired-hard.crl')] }),
    );
    const metrics = (await request(server).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/client_cert_crl_fresh\{source="[^"]*expired-hard\.crl"\} 0/);
  });

  it('stays up in soft-fail mode but lists the stale CRL (alert on client_cert_crl_fresh instead)', async () => {
    const crl = ca.gencrl('expired-soft.crl', { window: expiredWindow() });
    const server = (await start('soft-fail', crl)).getHttpServer();
    const health = await request(server).get('/health').expect(200);
    expect(health.body.details.client_cert_revocation).toEqual(
      expect.objectContaining({ status: 'up', staleCrls: [expect.stringContaining('expired-soft.crl')] }),
    );
    expect(sampleValue((await request(server).get('/metrics')).text, 'client_cert_crl_fresh')).toBe(0);
  });
});
