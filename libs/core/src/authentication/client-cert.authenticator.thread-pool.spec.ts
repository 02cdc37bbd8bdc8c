import { issueCertificate } from '@client-cert-auth/dev-pki';
import { parseCertificate } from '../certificate/certificate.parser';
import { SignaturePreVerifier } from '../certificate/signature.pre-verifier';
import { verifyCertificateSignatureOnPool } from '../certificate/signature.verifier';
import { resolveOptions } from '../options/options.resolver';
import { ClientCertAuthenticator } from './client-cert.authenticator';
import { OneAccountRegistry } from './one-account.registry.spec-helper';
import { ColdValidationGate } from './cold-validation.gate';

// The thread-pool verification, through a mock that calls the real one unless a test says otherwise.
jest.mock('../certificate/signature.verifier', () => {
  const actual = jest.requireActual('../certificate/signature.verifier');
  return { ...actual, verifyCertificateSignatureOnPool: jest.fn(actual.verifyCertificateSignatureOnPool) };
});
const onPool = jest.mocked(verifyCertificateSignatureOnPool);
const realOnPool = onPool.getMockImplementation()!;

const root = issueCertificate({ subject: 'CN=Pool Spec Root,O=Test', key: 'p-256', ca: true });
const issuing = issueCertificate({ subject: 'CN=Pool Spec CA,O=Test', issuer: root, key: 'p-256', ca: true });
// The issuing CA's name over another key, and no AKI: only the signature check refuses its leaves.
const rogue = issueCertificate({ subject: 'CN=Pool Spec CA,O=Test', key: 'p-256', ca: true });
const client = () => issueCertificate({ subject: 'CN=orders,O=Test', issuer: issuing, san: { dns: ['orders.clients.test'] } });
const forged = () =>
  issueCertificate({ subject: 'CN=orders,O=Test', issuer: rogue, san: { dns: ['orders.clients.test'] }, omitExtensions: ['authorityKeyIdentifier'] });
const request = (leaf: Buffer) => ({
  rawHeaders: ['Client-Cert', `:${leaf.toString('base64')}:`, 'Client-Cert-Chain', `:${issuing.der.toString('base64')}:`],
  remoteAddress: '127.0.0.1',
});

function authenticator(signatureThreadPool: boolean): ClientCertAuthenticator {
  return new ClientCertAuthenticator(
    resolveOptions({
      proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
      trustAnchors: { pem: [root.pem] },
      revocation: { mode: 'off' },
      decisions: { accepted: 'off', refused: 'off' },
      validation: { signatureThreadPool },
    }),
    new OneAccountRegistry(),
  );
}

describe('ClientCertAuthenticator: signatures of a never-seen certificate on the thread pool', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    onPool.mockImplementation(realOnPool);
    onPool.mockClear();
  });

  it.each([true, false])('signatureThreadPool %s: accepts five never-seen P-256 clients at once', async (on) => {
    const preVerify = jest.spyOn(SignaturePreVerifier.prototype, 'preVerify');
    const auth = authenticator(on);
    const clients = Array.from({ length: 5 }, () => auth.authenticate(request(client().der)));
    for (const accepted of await Promise.all(clients)) expect(accepted).toMatchObject({ account: { name: 'orders-app' } });
    // At least the first, which starts while the four others wait for a cold turn (how many more
    // depends on when the pool answers).
    expect(preVerify.mock.calls.length > 0).toBe(on);
  });

  it('verifies a lone never-seen certificate synchronously (an idle server saves the hop)', async () => {
    const preVerify = jest.spyOn(SignaturePreVerifier.prototype, 'preVerify');
    await expect(authenticator(true).authenticate(request(client().der))).resolves.toMatchObject({ account: { name: 'orders-app' } });
    expect(preVerify).not.toHaveBeenCalled();
  });

  it.each([true, false])('signatureThreadPool %s: refuses forged leaf signatures among genuine ones (CERT_UNTRUSTED)', async (on) => {
    const auth = authenticator(on);
    const outcomes = await Promise.allSettled([client(), forged(), client(), forged()].map((leaf) => auth.authenticate(request(leaf.der))));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'OK' : `${o.reason.code}: ${o.reason.message}`))).toEqual([
      'OK',
      expect.stringMatching(/^CERT_UNTRUSTED: .*signature on leaf .* does not verify/),
      'OK',
      expect.stringMatching(/^CERT_UNTRUSTED: .*signature on leaf .* does not verify/),
    ]);
    expect(onPool.mock.calls.length > 0).toBe(on);
  });

  it('gives the synchronous verdicts when every thread-pool call errors', async () => {
    onPool.mockImplementation(() => Promise.reject(new Error('thread pool unavailable')));
    // Every request goes to the pool (how many would depends on how the cold gate paces them on a loaded host).
    jest.spyOn(ColdValidationGate.prototype, 'contended', 'get').mockReturnValue(true);
    const auth = authenticator(true);
    const leaves = [client(), forged(), client()];
    // One after the other: each finds the pool's slots free (three at once would overflow its cap of 3 and verify synchronously).
    const outcomes: PromiseSettledResult<unknown>[] = [];
    for (const leaf of leaves) outcomes.push(...(await Promise.allSettled([auth.authenticate(request(leaf.der))])));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'OK' : (o.reason as { code: string }).code))).toEqual(['OK', 'CERT_UNTRUSTED', 'OK']);
    const triedOnPool = new Set(onPool.mock.calls.map(([child]) => child.fingerprintSha256));
    for (const leaf of leaves) expect(triedOnPool.has(parseCertificate(leaf.der).fingerprintSha256)).toBe(true);
  });
});
