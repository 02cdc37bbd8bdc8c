import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createDevPki, issueCertificate, writeDevPki, type IssuedCertificate } from '@client-cert-auth/dev-pki';
import { rfc9440, SAMPLE_CLIENTS, startSample, type SampleHarness } from '../support/sample.harness';

/**
 * Issue 13, finding 3, through the sample: two trust anchors, the company's dev PKI and a
 * partner's root. The partner's intermediate copies the name of the company's issuing CA.
 */
const pki = createDevPki({
  clients: [...SAMPLE_CLIENTS, { name: 'orders', subject: 'CN=orders,O=Company', san: { uri: ['spiffe://company.example/orders'] } }],
});
const partnerRoot = issueCertificate({ subject: 'CN=Partner Root CA,O=Partner', ca: { pathLen: 1 } });
const partnerIssuing = issueCertificate({ subject: 'CN=Dev Intermediate CA,O=Dev PKI', issuer: partnerRoot, ca: { pathLen: 0 } });
const partner = {
  alice: issueCertificate({ subject: 'CN=alice,O=Sample Clients', issuer: partnerIssuing, san: { dns: ['alice.partner.test'] } }),
  orders: issueCertificate({ subject: 'CN=orders,O=Partner', issuer: partnerIssuing, san: { uri: ['spiffe://company.example/orders'] } }),
};

const dir = mkdtempSync(join(tmpdir(), 'cca-two-anchors-'));
writeDevPki(dir, pki);
writeFileSync(join(dir, 'partner-root.pem'), partnerRoot.pem);
const bothAnchors = {
  CLIENT_CERT_CA_FILES: `${join(dir, 'root.pem')},${join(dir, 'partner-root.pem')}`,
  CLIENT_CERT_INTERMEDIATE_FILES: join(dir, 'intermediate.pem'),
};
const mapped = JSON.stringify({
  'company.example': { anchors: [join(dir, 'root.pem')] },
  'test.local': { anchors: [join(dir, 'root.pem')] },
  'partner.example': { anchors: [join(dir, 'partner-root.pem')] },
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GET /orders with a leaf (and the chain the proxy forwarded); the status and code. */
async function call(sample: SampleHarness, leaf: IssuedCertificate, chain: IssuedCertificate[] = []) {
  const req = request(sample.app.getHttpServer()).get('/orders').set('Client-Cert', rfc9440(leaf.der));
  if (chain.length > 0) req.set('Client-Cert-Chain', chain.map((c) => rfc9440(c.der)).join(', '));
  const res = await req;
  return { status: res.status, code: res.body.code as string | undefined };
}

describe.each(['express', 'fastify'] as const)('two trust anchors with mapped SPIFFE trust domains on %s', (adapter) => {
  let sample: SampleHarness;
  beforeAll(async () => {
    sample = await startSample(adapter, { ...bothAnchors, CLIENT_CERT_SPIFFE_TRUST_DOMAINS: mapped }, { pki });
    await sample.admin.addAccount({ name: 'alice-app', roles: [] });
    await sample.admin.bind({
      account: 'alice-app',
      kind: 'subject',
      value: 'CN=alice,O=Sample Clients',
      issuerCertificate: Buffer.from(pki.intermediate.pem),
    });
    await sample.admin.addAccount({ name: 'company-orders', roles: [] });
    await sample.admin.bind({
      account: 'company-orders',
      kind: 'spiffe',
      value: 'spiffe://company.example/orders',
      issuerCertificate: Buffer.from(pki.root.pem),
    });
    await sample.admin.addAccount({ name: 'company-orders-by-uri', roles: [] });
    await sample.admin.bind({
      account: 'company-orders-by-uri',
      kind: 'san-uri',
      value: 'spiffe://company.example/orders',
      issuerCertificate: Buffer.from(pki.root.pem),
    });
  });
  afterAll(() => sample?.close());

  it('serves the company client bound by subject, scoped to the company issuing CA key', async () => {
    expect(await call(sample, pki.clients.alice)).toEqual({ status: 200, code: undefined });
  });

  it('does not match that binding for a partner leaf under an intermediate copying the issuing CA name', async () => {
    expect(await call(sample, partner.alice, [partnerIssuing])).toEqual({ status: 403, code: 'IDENTITY_UNKNOWN' });
  });

  it('refuses an SVID for spiffe://company.example/... validated by the partner root: 403 TRUST_DOMAIN_MISMATCH', async () => {
    expect(await call(sample, partner.orders, [partnerIssuing])).toEqual({ status: 403, code: 'TRUST_DOMAIN_MISMATCH' });
  });

  it('resolves the company SVID of that trust domain', async () => {
    await sample.admin.unbind({ kind: 'san-uri', value: 'spiffe://company.example/orders' });
    expect(await call(sample, pki.clients.orders)).toEqual({ status: 200, code: undefined });
  });
});

describe('two trust anchors, SPIFFE trust domains not mapped', () => {
  let sample: SampleHarness;
  beforeAll(async () => {
    sample = await startSample('express', bothAnchors, { pki });
    await sample.admin.addAccount({ name: 'company-orders', roles: [] });
    await sample.admin.bind({ account: 'company-orders', kind: 'spiffe', value: 'spiffe://company.example/orders' });
    await sample.admin.addAccount({ name: 'bob-app', roles: [] });
    await sample.admin.bind({ account: 'bob-app', kind: 'san-dns', value: 'bob.clients.test', issuerCertificate: Buffer.from(pki.intermediate.pem) });
  });
  afterAll(() => sample?.close());

  it.each([
    ['the partner SVID', () => call(sample, partner.orders, [partnerIssuing])],
    ['the company SVID too (fails closed until the domains are mapped)', () => call(sample, pki.clients.orders)],
  ])('refuses %s: 403 TRUST_DOMAIN_MISMATCH', async (_label, attempt) => {
    expect(await attempt()).toEqual({ status: 403, code: 'TRUST_DOMAIN_MISMATCH' });
  });

  it('still serves certificates without a SPIFFE ID', async () => {
    expect(await call(sample, pki.clients.bob)).toEqual({ status: 200, code: undefined });
  });
});
