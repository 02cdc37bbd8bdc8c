import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SignJWT, exportSPKI, generateKeyPair, type KeyLike } from 'jose';
import { createDevPki } from '@client-cert-auth/dev-pki';
import { listenTls } from '../../src/tls/tls.listener';
import { curl } from '../interop/support/curl.client';
import { SAMPLE_CLIENTS, rfc9440, startSample, type SampleHarness } from '../support/sample.harness';
import { freePort } from '../support/free-port';

const ISSUER = 'https://idp.test/realms/orders';
const AUDIENCE = 'orders-api';
/** RFC 8705 §3.1: `x5t#S256` is base64url(SHA-256(DER of the certificate)). */
const x5tS256 = (der: Buffer) => createHash('sha256').update(der).digest('base64url');

/**
 * The sample's /bound/whoami: a client certificate AND an access token bound to it (RFC 8705),
 * with tokens signed by a real JOSE library (jose, ES256) as an OAuth server would, on both
 * listeners (forwarded certificate, and the TLS connection's).
 */
describe.each(['express', 'fastify'] as const)('sample backend on %s: certificate-bound access tokens', (adapter) => {
  let sample: SampleHarness;
  let signingKey: KeyLike;
  let strangerKey: KeyLike;
  let tlsUrl: string;
  const keyDir = mkdtempSync(join(tmpdir(), 'cca-token-key-'));
  const keyFile = join(keyDir, 'token-signing.pub.pem');

  const token = (claims: Record<string, unknown>, key: KeyLike = signingKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('alice-app')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
  const bound = (der: Buffer) => token({ cnf: { 'x5t#S256': x5tS256(der) } });
  const call = (options: { cert?: Buffer; token?: string }) => {
    const req = request(sample.app.getHttpServer()).get('/bound/whoami');
    if (options.cert) req.set('Client-Cert', rfc9440(options.cert));
    if (options.token) req.set('Authorization', `Bearer ${options.token}`);
    return req;
  };
  const alice = () => sample.pki.clients.alice.der;

  beforeAll(async () => {
    const keys = await generateKeyPair('ES256');
    signingKey = keys.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const port = await freePort();
    writeFileSync(keyFile, await exportSPKI(keys.publicKey));
    sample = await startSample(
      adapter,
      {
        CLIENT_CERT_TLS_PORTS: String(port),
        CLIENT_CERT_BOUND_TOKENS_PUBLIC_KEY_FILE: keyFile,
        CLIENT_CERT_BOUND_TOKENS_ISSUER: ISSUER,
        CLIENT_CERT_BOUND_TOKENS_AUDIENCE: AUDIENCE,
      },
      { pki: createDevPki({ clients: SAMPLE_CLIENTS, server: true }) },
    );
    await sample.admin.addAccount({ name: 'alice-app', roles: [] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    await sample.admin.addAccount({ name: 'mallory-app', roles: [] });
    await sample.admin.bind({ account: 'mallory-app', kind: 'san-uri', value: 'spiffe://test.local/mallory' });
    await sample.app.listen(0, '127.0.0.1');
    await listenTls(sample.app, adapter, { port, host: '127.0.0.1', certFile: join(sample.dir, 'server.pem'), keyFile: join(sample.dir, 'server.key.pem') });
    tlsUrl = `https://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await sample.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('passes a token bound to the presented certificate', async () => {
    const res = await call({ cert: alice(), token: await bound(alice()) }).expect(200);
    expect(res.body).toEqual({ account: 'alice-app', subject: 'CN=alice,O=Sample Clients', thumbprint: x5tS256(alice()) });
  });

  it.each([
    ["bound to another client's certificate", () => bound(sample.pki.clients.bob.der)],
    ['with no cnf claim', () => token({})],
  ])('refuses a token %s: 401 TOKEN_NOT_BOUND, WWW-Authenticate invalid_token', async (_label, make) => {
    const res = await call({ cert: alice(), token: await make() }).expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'TOKEN_NOT_BOUND' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  });

  it("leaves a missing or forged token to the token check (401, no TOKEN_NOT_BOUND), and no certificate to the certificate guard's CERT_MISSING", async () => {
    expect((await call({ cert: alice() }).expect(401)).body.code).toBeUndefined();
    expect((await call({ cert: alice(), token: await token({ cnf: { 'x5t#S256': x5tS256(alice()) } }, strangerKey) }).expect(401)).body.code).toBeUndefined();
    expect((await call({ token: await bound(alice()) }).expect(401)).body.code).toBe('CERT_MISSING');
  });

  it('binds to the certificate of the TLS connection on the HTTPS listener (curl --cert)', async () => {
    const tlsCall = async (client: string, der: Buffer) =>
      curl({
        url: `${tlsUrl}/bound/whoami`,
        cacert: join(sample.dir, 'root.pem'),
        cert: join(sample.dir, `${client}.pem`),
        key: join(sample.dir, `${client}.key.pem`),
        headers: [`Authorization: Bearer ${await bound(der)}`],
      });
    const ok = await tlsCall('alice', alice());
    expect([ok.status, ok.json.account]).toEqual([200, 'alice-app']);
    // alice's token, presented over a connection with another enrolled client's certificate: not bound to it.
    const stolen = await curl({
      url: `${tlsUrl}/bound/whoami`,
      cacert: join(sample.dir, 'root.pem'),
      cert: join(sample.dir, 'mallory.pem'),
      key: join(sample.dir, 'mallory.key.pem'),
      headers: [`Authorization: Bearer ${await bound(alice())}`],
    });
    expect([stolen.status, stolen.json.code]).toEqual([401, 'TOKEN_NOT_BOUND']);
  });
});

describe('sample backend without CLIENT_CERT_BOUND_TOKENS_PUBLIC_KEY_FILE', () => {
  let sample: SampleHarness;
  beforeAll(async () => {
    sample = await startSample('express');
    await sample.admin.addAccount({ name: 'alice-app', roles: [] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
  });
  afterAll(() => sample.close());

  it('has no bound-token route (404), whatever the token', async () => {
    const der = sample.pki.clients.alice.der;
    await request(sample.app.getHttpServer()).get('/bound/whoami').set('Client-Cert', rfc9440(der)).set('Authorization', 'Bearer x.y.z').expect(404);
  });
});
