import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SignJWT, exportSPKI, generateKeyPair, type KeyLike } from 'jose';
import type { INestApplication } from '@nestjs/common';
import { createDevPki, writeDevPki } from '@client-cert-auth/dev-pki';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, createBoundTokenApp, type TokenVerifier } from './bound-token.app';

/** RFC 8705 §3.1: `x5t#S256` is base64url(SHA-256(DER of the certificate)). */
const x5tS256 = (der: Buffer) => createHash('sha256').update(der).digest('base64url');
const rfc9440 = (der: Buffer) => `:${der.toString('base64')}:`;

/**
 * Certificate-bound access tokens (RFC 8705) behind a real token guard (passport-jwt, or the
 * @nestjs/jwt recipe), with tokens signed by a real JOSE library (jose, ES256) as Keycloak would.
 */
describe.each([
  ['express', 'passport-jwt', undefined],
  ['fastify', 'passport-jwt', undefined],
  ['express', 'nestjs-jwt', { claims: 'auth.payload' }],
  ['fastify', 'nestjs-jwt', { claims: (req: { auth?: { payload?: unknown } }) => req.auth?.payload }],
] as const)('certificate-bound tokens on %s with %s (claims at %p)', (adapter, verifier, boundTokens) => {
  const dir = mkdtempSync(join(tmpdir(), 'cca-bound-token-'));
  const pki = createDevPki({
    clients: [
      { name: 'alice', subject: 'CN=alice,O=Sample Clients', san: { uri: ['spiffe://test.local/alice'] } },
      { name: 'bob', subject: 'CN=bob,O=Sample Clients', san: { uri: ['spiffe://test.local/bob'] } },
    ],
  });
  let app: INestApplication;
  let signingKey: KeyLike;
  let strangerKey: KeyLike;

  const token = (claims: Record<string, unknown>, key: KeyLike = signingKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject('alice-app')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
  const call = (path: string, options: { cert?: Buffer; token?: string }) => {
    const req = request(app.getHttpServer()).get(path);
    if (options.cert) req.set('Client-Cert', rfc9440(options.cert));
    if (options.token) req.set('Authorization', `Bearer ${options.token}`);
    return req;
  };
  const alice = () => pki.clients.alice.der;

  beforeAll(async () => {
    writeDevPki(dir, pki);
    const keys = await generateKeyPair('ES256');
    signingKey = keys.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    app = await createBoundTokenApp({
      adapter,
      verifier: verifier as TokenVerifier,
      rootFile: join(dir, 'root.pem'),
      intermediateFile: join(dir, 'intermediate.pem'),
      databaseFile: join(dir, 'registry.sqlite'),
      tokenPublicKeyPem: await exportSPKI(keys.publicKey),
      boundTokens,
    });
    const admin = app.get(RegistryAdminService);
    await admin.addAccount({ name: 'alice-app', roles: [] });
    await admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a token bound to the presented certificate through: 200', async () => {
    const res = await call('/transfers', { cert: alice(), token: await token({ cnf: { 'x5t#S256': x5tS256(alice()) } }) }).expect(200);
    expect(res.body).toEqual({ account: 'alice-app', bound: true });
  });

  it('refuses a token bound to another certificate: 401 TOKEN_NOT_BOUND with an invalid_token challenge', async () => {
    const res = await call('/transfers', { cert: alice(), token: await token({ cnf: { 'x5t#S256': x5tS256(pki.clients.bob.der) } }) }).expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'TOKEN_NOT_BOUND' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    // Not a certificate problem: no hint to send another certificate header.
    expect(res.headers['client-cert-expected']).toBeUndefined();
  });

  it.each([
    ['no cnf at all', {}],
    ['a cnf with only a JWK thumbprint (DPoP, not mTLS)', { cnf: { jkt: x5tS256(alice()) } }],
    ['the thumbprint in hex instead of base64url', { cnf: { 'x5t#S256': createHash('sha256').update(alice()).digest('hex') } }],
    ['the thumbprint with base64 padding', { cnf: { 'x5t#S256': `${x5tS256(alice())}=` } }],
    ['the SHA-1 thumbprint (x5t)', { cnf: { x5t: createHash('sha1').update(alice()).digest('base64url') } }],
  ])('refuses a token with %s when the route requires binding: 401 TOKEN_NOT_BOUND', async (_label, claims) => {
    const res = await call('/transfers', { cert: alice(), token: await token(claims) }).expect(401);
    expect(res.body.code).toBe('TOKEN_NOT_BOUND');
  });

  it('accepts the same unbound token on a route that does not require binding (the guard is opt-in per route)', async () => {
    const res = await call('/balance', { cert: alice(), token: await token({}) }).expect(200);
    expect(res.body).toEqual({ account: 'alice-app', bound: false });
  });

  it("answers a request without a token with the token guard's own 401", async () => {
    const res = await call('/transfers', { cert: alice() }).expect(401);
    expect(res.body.code).toBeUndefined();
    expect(res.body).toEqual(expect.objectContaining({ statusCode: 401, message: 'Unauthorized' }));
  });

  it("answers a bound token signed by another key with the token guard's own 401 (the claims are verified first)", async () => {
    const res = await call('/transfers', { cert: alice(), token: await token({ cnf: { 'x5t#S256': x5tS256(alice()) } }, strangerKey) }).expect(401);
    expect(res.body.code).toBeUndefined();
  });

  it('answers a bound token without a certificate with 401 CERT_MISSING (the certificate guard runs first)', async () => {
    const res = await call('/transfers', { token: await token({ cnf: { 'x5t#S256': x5tS256(alice()) } }) }).expect(401);
    expect(res.body.code).toBe('CERT_MISSING');
  });
});
