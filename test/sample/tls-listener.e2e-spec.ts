import { writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import request from 'supertest';
import { ClientCertRegistry } from '@client-cert-auth/core';
import { createDevPki, issueCertificate, type IssuedCertificate } from '@client-cert-auth/dev-pki';
import { listenTls } from '../../src/tls/tls.listener';
import { curl } from '../interop/support/curl.client';
import { SAMPLE_CLIENTS, rfc9440, startSample, type SampleHarness } from '../support/sample.harness';
import { freePort } from '../support/free-port';

/** One metric's value from the sample's /metrics (summed over label sets matching `labels`). */
function metric(body: string, name: string, labels = ''): number {
  return body
    .split('\n')
    .filter((line) => line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{') && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe.each(['express', 'fastify'] as const)('sample backend on %s: the HTTPS listener (source: tls) next to the header listener', (adapter) => {
  let sample: SampleHarness;
  let url: string;
  /** A client of a CA the backend does not trust, carrying the SAN URI of an enrolled client. */
  let rogue: IssuedCertificate;
  const file = (name: string) => join(sample.dir, name);
  const tlsCurl = (path: string, client?: string, headers?: string[]) =>
    curl({ url: `${url}${path}`, cacert: file('root.pem'), ...(client ? { cert: file(`${client}.pem`), key: file(`${client}.key.pem`) } : {}), headers });

  beforeAll(async () => {
    const port = await freePort();
    sample = await startSample(adapter, { CLIENT_CERT_TLS_PORTS: String(port) }, { pki: createDevPki({ clients: SAMPLE_CLIENTS, server: true }) });
    await sample.admin.addAccount({ name: 'alice-app', roles: ['orders:write'] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    const rogueRoot = issueCertificate({ subject: 'CN=Rogue Root', ca: true, freshKey: true });
    rogue = issueCertificate({ subject: 'CN=alice,O=Sample Clients', issuer: rogueRoot, san: { uri: ['spiffe://test.local/alice'] }, freshKey: true });
    writeFileSync(file('rogue.pem'), rogue.pem);
    writeFileSync(file('rogue.key.pem'), rogue.keyPem);
    // As main.ts does: the plain listener first (listenTls follows its close).
    await sample.app.listen(0, '127.0.0.1');
    await listenTls(sample.app, adapter, { port, host: '127.0.0.1', certFile: file('server.pem'), keyFile: file('server.key.pem') });
    url = `https://127.0.0.1:${port}`;
  });
  afterAll(() => sample.close());

  it('curl with the registered client certificate: 200 on /whoami with its account, read from the connection', async () => {
    const res = await tlsCurl('/whoami', 'alice');
    expect(res.status).toBe(200);
    expect(res.json.account).toEqual(expect.objectContaining({ name: 'alice-app', status: 'active' }));
    expect(res.json.principal).toEqual(expect.objectContaining({ subject: 'CN=alice,O=Sample Clients', profile: 'tls', format: 'tls' }));
  });

  it('curl with the registered client certificate: 200 on /orders', async () => {
    const res = await tlsCurl('/orders', 'alice');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ account: 'alice-app', subject: 'CN=alice,O=Sample Clients', matchedBy: 'san-uri', orders: [] });
  });

  it.each([
    ['an unregistered client certificate: 403 IDENTITY_UNKNOWN', 'mallory', 403, 'IDENTITY_UNKNOWN'],
    ['no client certificate: 401 CERT_MISSING', undefined, 401, 'CERT_MISSING'],
    ["a certificate of a CA the backend does not trust (Node's rejectUnauthorized: false let it in): 403 CERT_UNTRUSTED", 'rogue', 403, 'CERT_UNTRUSTED'],
  ])('curl with %s', async (_label, client, status, code) => {
    const res = await tlsCurl('/orders', client);
    expect(res.status).toBe(status);
    expect(res.json).toEqual(expect.objectContaining({ statusCode: status, code }));
  });

  it("ignores a forged certificate header on the TLS listener: no client certificate is 401 CERT_MISSING, another one's is its own answer", async () => {
    const forged = [`Client-Cert: ${rfc9440(sample.pki.clients.alice.der)}`];
    const none = await tlsCurl('/orders', undefined, forged);
    expect([none.status, none.json.code]).toEqual([401, 'CERT_MISSING']);
    const mallory = await tlsCurl('/orders', 'mallory', forged);
    expect([mallory.status, mallory.json.code]).toEqual([403, 'IDENTITY_UNKNOWN']);
  });

  it.each(['/orders', '/whoami'])(
    'names no certificate header in the 401 of the TLS listener (%s), where the header listener names Client-Cert',
    async (path) => {
      const expected = await new Promise<string | string[] | undefined>((resolve, reject) => {
        httpsRequest(`${url}${path}`, { ca: sample.pki.root.pem, agent: false }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 401 ? resolve(res.headers['client-cert-expected']) : reject(new Error(`status ${res.statusCode}`))));
        })
          .on('error', reject)
          .end();
      });
      expect(expected).toBeUndefined();
      const plain = await request(sample.app.getHttpServer()).get(path).expect(401);
      expect(plain.headers['client-cert-expected']).toMatch(/^client-cert\b/i);
    },
  );

  it('still serves the header listener of the same app (its proxy profile reads Client-Cert from loopback)', async () => {
    const res = await request(sample.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(sample.pki.clients.alice.der)).expect(200);
    expect(res.body).toEqual(expect.objectContaining({ account: 'alice-app', matchedBy: 'san-uri' }));
    await request(sample.app.getHttpServer()).get('/orders').expect(401);
  });

  it("node's https client on one keep-alive connection: every request 200, the certificate validated and the registry asked at most twice", async () => {
    // bob: a certificate no other test used, so its first request is the one validation.
    await sample.admin.addAccount({ name: 'bob-app', roles: [] });
    await sample.admin.bind({ account: 'bob-app', kind: 'san-dns', value: 'bob.clients.test' });
    const scrape = async () => (await request(sample.app.getHttpServer()).get('/metrics').expect(200)).text;
    const before = await scrape();
    const registry = sample.app.get(ClientCertRegistry);
    const lookup = jest.spyOn(registry, 'lookup');
    const bob = sample.pki.clients.bob;
    const agent = new Agent({ keepAlive: true, maxSockets: 1, cert: bob.pem, key: bob.keyPem, ca: sample.pki.root.pem });
    const sockets = new Set<unknown>();
    try {
      for (let i = 0; i < 20; i++) {
        const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpsRequest(`${url}/orders`, { agent }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('socket', (socket) => sockets.add(socket));
          req.on('error', reject).end();
        });
        expect([status, JSON.parse(body).account]).toEqual([200, 'bob-app']);
      }
    } finally {
      agent.destroy();
    }
    expect(sockets.size).toBe(1);
    const after = await scrape();
    const delta = (name: string, labels?: string) => metric(after, name, labels) - metric(before, name, labels);
    expect(delta('client_cert_decisions_total', 'result="OK",profile="tls"')).toBe(20);
    // Cold runs (validated, the registry asked): the first, and the second that admits it to the
    // warm path (a client the warm path holds keeps no verdict, so the second validates again).
    expect(delta('client_cert_verdict_cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(delta('client_cert_verdict_cache_misses_total')).toBeLessThanOrEqual(2);
    expect(lookup.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(lookup.mock.calls.length).toBeLessThanOrEqual(2);
    lookup.mockRestore();
  });
});
