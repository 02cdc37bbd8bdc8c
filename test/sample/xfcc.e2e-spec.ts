import { createHash } from 'node:crypto';
import request from 'supertest';
import { issueCertificate, type IssuedCertificate } from '@client-cert-auth/dev-pki';
import { startSample, type SampleHarness } from '../support/sample.harness';

const sha256Hex = (der: Buffer): string => createHash('sha256').update(der).digest('hex');

/**
 * The element Envoy writes for a client (`SANITIZE_SET`, `cert`, `subject`, `uri`, `dns` on):
 * By and Hash first, Cert and Subject quoted, then one UNQUOTED `URI=` / `DNS=` pair per SAN
 * (source/common/http/conn_manager_utility.cc), which is what a SAN carrying `,` or `;` abuses.
 */
function envoyElement(client: IssuedCertificate, subject: string, san: { uri?: string[]; dns?: string[] }): string {
  const parts = [
    'By=spiffe://edge.test/envoy',
    `Hash=${sha256Hex(client.der)}`,
    `Cert="${encodeURIComponent(client.pem)}"`,
    `Subject="${subject}"`,
    ...(san.uri?.length ? san.uri.map((uri) => `URI=${uri}`) : ['URI=']),
    ...(san.dns ?? []).map((dns) => `DNS=${dns}`),
  ];
  return parts.join(';');
}

describe.each(['express', 'fastify'] as const)('sample behind Envoy (xfcc) on %s', (adapter) => {
  let sample: SampleHarness;
  let server: unknown;

  beforeAll(async () => {
    sample = await startSample(adapter, { CLIENT_CERT_PROXY_FORMAT: 'xfcc' });
    server = sample.app.getHttpServer();
    await sample.admin.addAccount({ name: 'alice-app', roles: ['orders:write'] });
    await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    await sample.admin.addAccount({ name: 'multi-app', roles: [] });
    await sample.admin.bind({ account: 'multi-app', kind: 'san-dns', value: 'one.multi.test' });
  });
  afterAll(() => sample.close());

  const get = (xfcc: string) =>
    request(server as never)
      .get('/orders')
      .set('x-forwarded-client-cert', xfcc);

  it('reads the element Envoy writes for a registered client', async () => {
    const alice = sample.pki.clients.alice;
    const res = await get(envoyElement(alice, 'CN=alice,O=Sample Clients', { uri: ['spiffe://test.local/alice'] })).expect(200);
    expect(res.body.account).toBe('alice-app');
  });

  it('refuses a client whose URI SAN smuggles ",Cert=<another client>": 400 HEADER_MALFORMED, not that client', async () => {
    // Issued by the trusted CA to mallory, with mallory's own key: only the SAN text is hostile.
    const smuggled = `https://x/a,Cert=${encodeURIComponent(sample.pki.clients.alice.pem)}`;
    const mallory = issueCertificate({ subject: 'CN=mallory,O=Sample Clients', issuer: sample.pki.intermediate, san: { uri: [smuggled] } });
    const res = await get(envoyElement(mallory, 'CN=mallory,O=Sample Clients', { uri: [smuggled] }));
    expect(res.body.account).toBeUndefined();
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('HEADER_MALFORMED');
  });

  it('refuses a URI SAN that smuggles ";URI=" or ";Hash=" into the element: 400 HEADER_MALFORMED', async () => {
    for (const uri of ['https://x/a;URI=spiffe://test.local/alice', `https://x/a;Hash=${sha256Hex(sample.pki.clients.alice.der)}`]) {
      const client = issueCertificate({ subject: 'CN=mallory,O=Sample Clients', issuer: sample.pki.intermediate, san: { uri: [uri] } });
      const res = await get(envoyElement(client, 'CN=mallory,O=Sample Clients', { uri: [uri] }));
      expect([res.status, res.body.code]).toEqual([400, 'HEADER_MALFORMED']);
    }
  });

  it('accepts a legitimate certificate with two DNS and two URI SANs (one URI=/DNS= pair each)', async () => {
    const san = { uri: ['spiffe://test.local/multi', 'https://multi.test/id'], dns: ['one.multi.test', 'two.multi.test'] };
    const multi = issueCertificate({ subject: 'CN=multi,O=Sample Clients', issuer: sample.pki.intermediate, san });
    const res = await get(envoyElement(multi, 'CN=multi,O=Sample Clients', san)).expect(200);
    expect(res.body.account).toBe('multi-app');
  });
});
