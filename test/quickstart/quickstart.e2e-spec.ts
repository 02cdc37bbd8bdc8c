import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { createDevPki, writeDevPki } from '@client-cert-auth/dev-pki';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { runCli } from '../support/cli.runner';
import { prepareDevEnvironment } from '../../src/dev/dev-pki.setup';

const README = join(__dirname, '../../README.md');
const QUICKSTART = join(__dirname, 'quickstart.app.ts');

/** The README's quick start is this file, verbatim, and it works as a real app. */
describe('README quick start', () => {
  it('shows exactly the code this test runs', () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('## Quick start in your own Nest app'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(QUICKSTART, 'utf8'));
  });

  describe('as an app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cca-quickstart-'));
    const pki = createDevPki({ clients: [{ name: 'shop', subject: 'CN=shop,O=Clients', san: { uri: ['spiffe://example.org/shop'] } }] });
    let app: INestApplication;

    beforeAll(async () => {
      writeDevPki(dir, pki);
      app = await startQuickstart(dir, `sqlite:${join(dir, 'registry.sqlite')}`);
      const admin = app.get(RegistryAdminService);
      await admin.addAccount({ name: 'shop', roles: ['orders:write'] });
      await admin.bind({ account: 'shop', kind: 'san-uri', value: 'spiffe://example.org/shop' });
    });
    afterAll(async () => {
      await app?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // The quick start trusts only the root: a client sends its chain like a WAF would.
    const send = (req: request.Test) =>
      req.set('Client-Cert', `:${pki.clients.shop.der.toString('base64')}:`).set('Client-Cert-Chain', `:${pki.intermediate.der.toString('base64')}:`);

    it('serves an enrolled client and enforces its roles', async () => {
      await send(request(app.getHttpServer()).get('/orders')).expect(200, { subject: 'CN=shop,O=Clients', account: 'shop' });
      await send(request(app.getHttpServer()).post('/orders')).send({ item: 'tea' }).expect(201, { account: 'shop', item: 'tea' });
    });

    it('refuses a request without a certificate', async () => {
      const res = await request(app.getHttpServer()).get('/orders').expect(401);
      expect(res.body.code).toBe('CERT_MISSING');
    });
  });

  describe("with the sample backend's own dev PKI, as the README says to try it", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cca-quickstart-dev-'));
    let app: INestApplication;
    let dev: NonNullable<ReturnType<typeof prepareDevEnvironment>>;
    const headerFile = (name: string): [string, string] => {
      const line = readFileSync(join(dev.dir, `${name}.header`), 'utf8').trim();
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    };

    beforeAll(async () => {
      dev = prepareDevEnvironment({ DATA_DIR: dataDir })!;
      const database = `sqlite:${join(dataDir, 'quickstart.sqlite')}`;
      app = await startQuickstart(dev.dir, database);
      // Enrolled with the CLI lines of the README.
      for (const args of [
        ['accounts', 'add', 'shop', '--roles', 'orders:write', '--database', database],
        ['bind', '--account', 'shop', '--kind', 'fingerprint', '--cert', join(dev.dir, 'registered.pem'), '--database', database],
      ]) {
        const run = await runCli(args);
        expect([run.code, run.stderr]).toEqual([0, '']);
      }
    });
    afterAll(async () => {
      await app?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("accepts the registered client's .header file as it is (leaf only) and refuses the unregistered one", async () => {
      await request(app.getHttpServer())
        .get('/orders')
        .set(...headerFile('registered'))
        .expect(200);
      const res = await request(app.getHttpServer())
        .get('/orders')
        .set(...headerFile('unregistered'))
        .expect(403);
      expect(res.body.code).toBe('IDENTITY_UNKNOWN');
    });
  });
});

/** The quick start app as the README runs it: its settings in the environment, the CA files of `pkiDir`. */
async function startQuickstart(pkiDir: string, databaseUrl: string): Promise<INestApplication> {
  process.env.DATABASE_URL = databaseUrl;
  process.env.WAF_CIDRS = '127.0.0.1/32,::1/128';
  process.env.CLIENT_CA_FILE = join(pkiDir, 'root.pem');
  process.env.CLIENT_INTERMEDIATE_FILE = join(pkiDir, 'intermediate.pem');
  // Required only now: the app module reads these variables when it is loaded.
  const { AppModule } = require('./quickstart.app') as typeof import('./quickstart.app');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .setLogger(false as never)
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return app;
}
