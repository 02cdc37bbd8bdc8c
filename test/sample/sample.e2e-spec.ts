import request from 'supertest';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';

describe.each(['express', 'fastify'] as const)('sample backend on %s', (adapter) => {
  let sample: SampleHarness;
  let server: unknown;

  beforeAll(async () => {
    sample = await startSample(adapter);
    server = sample.app.getHttpServer();
    await sample.admin.addAccount({ name: 'alice-app', roles: ['orders:write'] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    await sample.admin.addAccount({ name: 'bob-app', roles: [] });
    await sample.admin.bind({ account: 'bob-app', kind: 'san-dns', value: 'bob.clients.test' });
  });
  afterAll(() => sample.close());

  const get = (path: string, cert?: Buffer) => {
    const req = request(server as never).get(path);
    return cert ? req.set('Client-Cert', rfc9440(cert)) : req;
  };

  it('answers the open health route without a certificate', async () => {
    const res = await get('/health').expect(200);
    expect(res.body).toEqual(expect.objectContaining({ status: 'ok' }));
  });

  it('lets a registered client list its own orders, with the matched binding', async () => {
    const res = await get('/orders', sample.pki.clients.alice.der).expect(200);
    expect(res.body).toEqual({ account: 'alice-app', subject: 'CN=alice,O=Sample Clients', matchedBy: 'san-uri', orders: [] });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('creates an order for the account that holds orders:write, and lists only its own', async () => {
    const alice = sample.pki.clients.alice.der;
    await request(server as never)
      .post('/orders')
      .set('Client-Cert', rfc9440(alice))
      .send({ item: 'widget', quantity: 2 })
      .expect(201);
    const mine = await get('/orders', alice).expect(200);
    expect(mine.body.orders).toEqual([expect.objectContaining({ item: 'widget', quantity: 2 })]);
    const bobs = await get('/orders', sample.pki.clients.bob.der).expect(200);
    expect(bobs.body.orders).toEqual([]);
  });

  it('refuses a create from an account without the role: 403 ROLE_MISSING', async () => {
    const res = await request(server as never)
      .post('/orders')
      .set('Client-Cert', rfc9440(sample.pki.clients.bob.der))
      .send({ item: 'x' })
      .expect(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', code: 'ROLE_MISSING' });
  });

  it.each([
    ['no certificate', 401, 'CERT_MISSING', undefined],
    ['an unregistered certificate', 403, 'IDENTITY_UNKNOWN', 'mallory'],
  ])('answers %s with %i %s', async (_label, status, code, client) => {
    const res = await get('/orders', client ? sample.pki.clients[client].der : undefined).expect(status);
    expect(res.body).toEqual({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', code });
  });

  it("answers Caddy's unfilled placeholder (`:{…}:`, no client certificate) with 401 CERT_MISSING and the hint", async () => {
    const res = await request(server as never)
      .get('/orders')
      .set('Client-Cert', ':{http.request.tls.client.certificate_der_base64}:')
      .expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'CERT_MISSING' });
    expect(res.headers['client-cert-expected']).toMatch(/^client-cert\b/i);
  });

  it('refuses an expired certificate: 403 CERT_EXPIRED', async () => {
    const expired = issueCertificate({
      subject: 'CN=alice,O=Sample Clients',
      issuer: sample.pki.intermediate,
      san: { uri: ['spiffe://test.local/alice'] },
      notBefore: new Date(Date.now() - 3 * 86400_000),
      notAfter: new Date(Date.now() - 86400_000),
    });
    const res = await get('/orders', expired.der).expect(403);
    expect(res.body.code).toBe('CERT_EXPIRED');
  });

  it('refuses a certificate from another CA with the same subject: 403 CERT_UNTRUSTED', async () => {
    const rogueRoot = issueCertificate({ subject: 'CN=Dev Root CA,O=Dev PKI', ca: { pathLen: 1 } });
    const forged = issueCertificate({ subject: 'CN=alice,O=Sample Clients', issuer: rogueRoot, san: { uri: ['spiffe://test.local/alice'] } });
    const res = await get('/orders', forged.der).expect(403);
    expect(res.body.code).toBe('CERT_UNTRUSTED');
  });

  it('refuses DER that is not a certificate: 403 CERT_MALFORMED', async () => {
    const sequenceOfOneInteger = Buffer.from('3003020101', 'hex');
    const res = await get('/orders', sequenceOfOneInteger).expect(403);
    expect(res.body.code).toBe('CERT_MALFORMED');
  });

  it('refuses a byte sequence that is not DER at all: 400 HEADER_MALFORMED', async () => {
    const res = await get('/orders', Buffer.from('definitely not DER')).expect(400);
    expect(res.body.code).toBe('HEADER_MALFORMED');
  });

  it('refuses a header that is not an RFC 8941 byte sequence: 400 HEADER_MALFORMED', async () => {
    const res = await request(server as never)
      .get('/orders')
      .set('Client-Cert', 'not-a-byte-sequence')
      .expect(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', code: 'HEADER_MALFORMED' });
  });

  it('refuses a disabled account: 403 ACCOUNT_DISABLED, and lets it back in when enabled', async () => {
    await sample.admin.disable('bob-app');
    expect((await get('/orders', sample.pki.clients.bob.der).expect(403)).body.code).toBe('ACCOUNT_DISABLED');
    await sample.admin.enable('bob-app');
    await get('/orders', sample.pki.clients.bob.der).expect(200);
  });

  it('gives the Passport path (AuthGuard client-cert) the same principal and codes', async () => {
    const res = await get('/whoami', sample.pki.clients.alice.der).expect(200);
    expect(res.body.account).toEqual(expect.objectContaining({ name: 'alice-app', status: 'active' }));
    expect(res.body.principal).toEqual(
      expect.objectContaining({
        subject: 'CN=alice,O=Sample Clients',
        issuer: 'CN=Dev Intermediate CA,O=Dev PKI',
        fingerprintSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        san: expect.objectContaining({ uri: ['spiffe://test.local/alice'] }),
        profile: 'waf',
        format: 'rfc9440',
        binding: expect.objectContaining({ kind: 'san-uri' }),
      }),
    );
    expect((await get('/whoami', sample.pki.clients.mallory.der).expect(403)).body.code).toBe('IDENTITY_UNKNOWN');
    expect((await get('/whoami').expect(401)).body.code).toBe('CERT_MISSING');
  });
});

describe.each(['express', 'fastify'] as const)('a sample whose proxy is elsewhere, on %s', (adapter) => {
  let sample: SampleHarness;

  beforeAll(async () => {
    sample = await startSample(adapter, { CLIENT_CERT_PROXY_FROM: '10.0.0.0/8' });
    await sample.admin.addAccount({ name: 'alice-app', roles: [] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
  });
  afterAll(() => sample.close());

  it('refuses a valid, registered certificate sent straight from a client: 401 SOURCE_UNTRUSTED', async () => {
    const res = await request(sample.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(sample.pki.clients.alice.der)).expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'SOURCE_UNTRUSTED' });
  });
});
