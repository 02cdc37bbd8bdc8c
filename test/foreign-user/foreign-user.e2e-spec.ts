import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { createDevPki, writeDevPki } from '@client-cert-auth/dev-pki';
import { ForeignUserAppModule } from './foreign-user.app';

/**
 * Issue 13, finding 9: an object some other guard left in `request.user` (a JWT payload with
 * `principal` and `account` keys) is not a client this module authenticated.
 */
describe.each(['express', 'fastify'] as const)('a foreign request.user on %s', (adapter) => {
  const dir = mkdtempSync(join(tmpdir(), 'cca-foreign-user-'));
  let app: INestApplication;

  beforeAll(async () => {
    writeDevPki(dir, createDevPki({ clients: [] }));
    const moduleRef = await Test.createTestingModule({ imports: [ForeignUserAppModule.register(join(dir, 'root.pem'), join(dir, 'registry.sqlite'))] })
      .setLogger(false as never)
      .compile();
    app =
      adapter === 'fastify'
        ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false })
        : moduleRef.createNestApplication({ logger: false });
    await app.init();
    if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/jwt/cert', '/jwt/account'])('refuses %s, which reads the client without a client-certificate guard: 401 CERT_MISSING', async (path) => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'CERT_MISSING' });
  });

  it('clientCertOf() finds no client there', async () => {
    const res = await request(app.getHttpServer()).get('/jwt/of').expect(200);
    expect(res.body).toEqual({ found: false });
  });
});
