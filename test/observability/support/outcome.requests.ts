import request from 'supertest';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { rfc9440, type SampleHarness } from '../../support/sample.harness';

/** The shared secret the sample's only proxy profile requires (so a missing one is a spoof). */
export const PROXY_SECRET = 'observability-test-secret-0123456789';

/** One proxy profile named `waf` on loopback that also requires the shared secret. */
export const OBSERVABILITY_SETTINGS = {
  CLIENT_CERT_PROXIES: JSON.stringify([
    { name: 'waf', from: ['127.0.0.1/32', '::1/128'], format: 'rfc9440', sharedSecret: { header: 'X-Proxy-Secret', values: [PROXY_SECRET] } },
  ]),
};

/** Accounts and bindings the outcome table relies on. */
export async function enrollOutcomeClients(sample: SampleHarness): Promise<void> {
  await sample.admin.addAccount({ name: 'alice-app', roles: ['orders:write'] });
  await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
  await sample.admin.addAccount({ name: 'bob-app', roles: [] });
  await sample.admin.bind({ account: 'bob-app', kind: 'san-dns', value: 'bob.clients.test' });
  await sample.admin.addAccount({ name: 'carol-app', roles: [], status: 'disabled' });
  await sample.admin.bind({ account: 'carol-app', kind: 'san-uri', value: 'spiffe://test.local/carol' });
  await sample.admin.addAccount({ name: 'dave-app', roles: [] });
  await sample.admin.bind({ account: 'dave-app', kind: 'san-uri', value: 'spiffe://test.local/dave' });
}

type Send = (sample: SampleHarness) => Promise<request.Response> | request.Test;

const leaf = (sample: SampleHarness, name: string, extra: { notBefore?: Date; notAfter?: Date } = {}) =>
  issueCertificate({ subject: `CN=${name},O=Sample Clients`, issuer: sample.pki.intermediate, san: { uri: [`spiffe://test.local/${name}`] }, ...extra }).der;

const viaProxy = (sample: SampleHarness, cert?: Buffer | string, method: 'get' | 'post' = 'get') => {
  const req = request(sample.app.getHttpServer())[method]('/orders').set('X-Proxy-Secret', PROXY_SECRET);
  if (cert !== undefined) req.set('Client-Cert', typeof cert === 'string' ? cert : rfc9440(cert));
  return req;
};

/**
 * One request per outcome: [code, HTTP status, how to provoke it]. Every request reaches the
 * real sample backend; nothing is stubbed.
 */
export const OUTCOMES: ReadonlyArray<[string, number, Send]> = [
  ['OK', 200, (s) => viaProxy(s, s.pki.clients.alice.der)],
  ['CERT_MISSING', 401, (s) => viaProxy(s)],
  ['SOURCE_UNTRUSTED', 401, (s) => request(s.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(s.pki.clients.alice.der))],
  ['HEADER_MALFORMED', 400, (s) => viaProxy(s, 'not-a-byte-sequence')],
  ['CERT_MALFORMED', 403, (s) => viaProxy(s, Buffer.from('3003020101', 'hex'))],
  [
    'CERT_UNTRUSTED',
    403,
    (s) => {
      const rogue = issueCertificate({ subject: 'CN=Dev Root CA,O=Dev PKI', ca: { pathLen: 1 } });
      return viaProxy(s, issueCertificate({ subject: 'CN=alice,O=Sample Clients', issuer: rogue }).der);
    },
  ],
  ['CERT_EXPIRED', 403, (s) => viaProxy(s, leaf(s, 'alice', { notBefore: new Date(Date.now() - 3 * 86400_000), notAfter: new Date(Date.now() - 86400_000) }))],
  [
    'CERT_NOT_YET_VALID',
    403,
    (s) => viaProxy(s, leaf(s, 'alice', { notBefore: new Date(Date.now() + 86400_000), notAfter: new Date(Date.now() + 3 * 86400_000) })),
  ],
  ['IDENTITY_UNKNOWN', 403, (s) => viaProxy(s, s.pki.clients.mallory.der)],
  ['ACCOUNT_DISABLED', 403, (s) => viaProxy(s, leaf(s, 'carol'))],
  [
    'CERT_REVOKED',
    403,
    async (s) => {
      const dave = leaf(s, 'dave');
      await s.admin.deny({ certificate: dave }, 'observability test');
      return viaProxy(s, dave);
    },
  ],
  ['ROLE_MISSING', 403, (s) => viaProxy(s, s.pki.clients.bob.der, 'post').send({ item: 'x' })],
];
