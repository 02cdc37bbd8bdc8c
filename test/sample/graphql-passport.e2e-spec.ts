import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, UseGuards, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Query, Resolver } from '@nestjs/graphql';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ClientAccount, ClientCertPassportGuard } from '@client-cert-auth/core';
import { createDevPki, writeDevPki } from '@client-cert-auth/dev-pki';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { AppModule } from '../../src/app.module';
import { rfc9440, SAMPLE_CLIENTS } from '../support/sample.harness';

/** A resolver on the Passport path, added beside the sample's own for this test only. */
@Resolver()
@UseGuards(ClientCertPassportGuard)
class PassportAccountResolver {
  @Query(() => String)
  passportAccount(@ClientAccount() account: ClientAccount): string {
    return account.name;
  }
}

describe.each(['express', 'fastify'] as const)('ClientCertPassportGuard on a GraphQL resolver (%s)', (adapter) => {
  const dir = mkdtempSync(join(tmpdir(), 'cca-gql-passport-'));
  const pki = createDevPki({ clients: SAMPLE_CLIENTS });
  let app: INestApplication;

  beforeAll(async () => {
    writeDevPki(dir, pki);
    const sample = AppModule.register(
      {
        CLIENT_CERT_CA_FILES: join(dir, 'root.pem'),
        CLIENT_CERT_INTERMEDIATE_FILES: join(dir, 'intermediate.pem'),
        CLIENT_CERT_PROXY_FROM: '127.0.0.1/32,::1/128',
        CLIENT_CERT_PROXY_FORMAT: 'rfc9440',
        CLIENT_CERT_REVOCATION_MODE: 'off',
        CLIENT_CERT_DATABASE_URL: `sqlite:${join(dir, 'registry.sqlite')}`,
      },
      adapter,
    );
    @Module({ imports: [sample], providers: [PassportAccountResolver] })
    class TestModule {}
    const options = { logger: ['error' as const], abortOnError: false };
    app = adapter === 'fastify' ? await NestFactory.create(TestModule, new FastifyAdapter(), options) : await NestFactory.create(TestModule, options);
    await app.init();
    if (adapter === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
    const admin = app.get(RegistryAdminService);
    await admin.addAccount({ name: 'alice-app', roles: [] });
    await admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = (cert?: Buffer) => {
    const req = request(app.getHttpServer()).post('/graphql').set('Content-Type', 'application/json');
    return (cert ? req.set('Client-Cert', rfc9440(cert)) : req).send({ query: '{ passportAccount }' });
  };

  it('authenticates through the client-cert strategy and hands the resolver the account', async () => {
    expect((await ask(pki.clients.alice.der)).body).toEqual({ data: { passportAccount: 'alice-app' } });
  });

  it.each([
    ['an unregistered certificate', 'mallory', 'IDENTITY_UNKNOWN'],
    ['no certificate', undefined, 'CERT_MISSING'],
  ])('refuses %s with a GraphQL error carrying the stable code', async (_label, client, code) => {
    const res = await ask(client ? pki.clients[client].der : undefined);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['passportAccount'], extensions: { code } })]);
  });
});
