import { issueCertificate } from '@client-cert-auth/dev-pki';
import { clearedParseSpy } from './parser-spy.spec-helper';
import { CertificatePathValidator } from '../certificate/path.validator';
import { resolveOptions } from '../options/options.resolver';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import { ClientCertRegistry } from '../registry/client-cert-registry';
import type { RegistryMatch } from '../registry/client-account';
import type { ClientCertDecision } from './client-cert-decision';
import { ClientCertAuthenticator } from './client-cert.authenticator';

// The parser module, with a spy on parseCertificate (see parser-spy.spec-helper.ts).
jest.mock('../certificate/certificate.parser', () => {
  const actual = jest.requireActual('../certificate/certificate.parser');
  return { ...actual, parseCertificate: jest.fn(actual.parseCertificate) };
});

/** A real (small) registry: one account bound by SAN DNS; counts its lookups. */
class OneAccountRegistry extends ClientCertRegistry {
  lookups = 0;
  private readonly match: RegistryMatch = {
    account: { id: 'a1', name: 'orders-app', status: 'active', roles: ['orders:read'] },
    binding: { id: 'b1', kind: 'san-dns', value: 'orders.clients.test' },
  };
  async resolve(principal: ClientCertPrincipal): Promise<RegistryMatch | null> {
    this.lookups++;
    return principal.san.dns.includes('orders.clients.test') ? this.match : null;
  }
  async isDenied(): Promise<boolean> {
    return false;
  }
}

const root = issueCertificate({ subject: 'CN=Auth Spec Root,O=Test', key: 'p-256', ca: true });
const client = issueCertificate({ subject: 'CN=orders,O=Test', issuer: root, san: { dns: ['orders.clients.test'] } });
const stranger = issueCertificate({ subject: 'CN=stranger,O=Test', issuer: root, san: { dns: ['stranger.clients.test'] } });
const request = (der: Buffer) => ({ rawHeaders: ['Client-Cert', `:${der.toString('base64')}:`], remoteAddress: '127.0.0.1' });

function setup() {
  const decisions: ClientCertDecision[] = [];
  const registry = new OneAccountRegistry();
  const authenticator = new ClientCertAuthenticator(
    resolveOptions({
      proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
      trustAnchors: { pem: [root.pem] },
      revocation: { mode: 'off' },
      decisions: { accepted: 'off', refused: 'off', onDecision: (d) => decisions.push(d) },
    }),
    registry,
  );
  return { authenticator, registry, decisions };
}

describe('ClientCertAuthenticator', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [
      'a registered client',
      client.der,
      [
        'remoteAddress',
        'profile',
        'format',
        'cached',
        'fingerprintSha256',
        'subject',
        'revocationMs',
        'revocation',
        'account',
        'binding',
        'result',
        'durationMs',
      ],
      'OK',
    ],
    [
      'an unknown client',
      stranger.der,
      ['remoteAddress', 'profile', 'format', 'cached', 'fingerprintSha256', 'subject', 'revocationMs', 'revocation', 'result', 'reason', 'durationMs'],
      'IDENTITY_UNKNOWN',
    ],
  ])('records one decision for %s, fields in pipeline order', async (_label, der, keys, result) => {
    const { authenticator, decisions } = setup();
    await authenticator.authenticate(request(der)).catch(() => undefined);
    expect(decisions).toHaveLength(1);
    expect(Object.keys(decisions[0])).toEqual(keys);
    expect(decisions[0]).toMatchObject({ result, remoteAddress: '127.0.0.1', profile: 'waf', cached: false });
  });

  it('records ROLE_MISSING with the account it matched', async () => {
    const { authenticator, decisions } = setup();
    await expect(authenticator.authenticate(request(client.der), ['orders:write'])).rejects.toMatchObject({ code: 'ROLE_MISSING' });
    expect(decisions[0]).toMatchObject({ result: 'ROLE_MISSING', account: 'orders-app', binding: 'san-dns:orders.clients.test' });
  });

  it('answers a warm request without decoding or validating again, but asks the registry', async () => {
    const { authenticator, registry, decisions } = setup();
    const first = await authenticator.authenticate(request(client.der));
    const parse = clearedParseSpy();
    const validate = jest.spyOn(CertificatePathValidator.prototype, 'validate');
    const second = await authenticator.authenticate(request(client.der));
    expect(parse).not.toHaveBeenCalled();
    expect(validate).not.toHaveBeenCalled();
    expect(registry.lookups).toBe(2);
    expect(decisions.map((d) => d.cached)).toEqual([false, true]);
    expect(second).toEqual(first);
    expect(second.principal).toMatchObject({ subject: 'CN=orders,O=Test', san: { dns: ['orders.clients.test'] }, binding: { kind: 'san-dns' } });
  });

  it("takes the registry's answer from memory (lookupNow) when it has one, and awaits lookup when it has none", async () => {
    const { authenticator, registry } = setup();
    const lookup = jest.spyOn(registry, 'lookup');
    const fromMemory: { denied: boolean; match: RegistryMatch | null } = { denied: true, match: null };
    const now = ((registry as ClientCertRegistry).lookupNow = jest.fn(() => fromMemory));
    // Denied in memory: refused although lookup would admit it.
    await expect(authenticator.authenticate(request(client.der))).rejects.toMatchObject({ code: 'CERT_REVOKED' });
    expect(now).toHaveBeenCalledTimes(1);
    expect(lookup).not.toHaveBeenCalled();
    now.mockReturnValue(undefined as never);
    await expect(authenticator.authenticate(request(client.der))).resolves.toMatchObject({ account: { name: 'orders-app' } });
    expect(lookup).toHaveBeenCalledTimes(1);
  });
});

describe('ClientCertAuthenticator decision fields', () => {
  // Attacker-chosen text: a self-made certificate's subject and issuer, 20 KB each (within the 64 KB header cap).
  const huge = `CN=${'x'.repeat(20_000)},O=Test`;
  const selfMade = issueCertificate({ subject: huge, ca: true });
  const hugeClient = issueCertificate({ subject: huge, issuer: root, san: { dns: ['orders.clients.test'] } });
  const longest = (decision: ClientCertDecision): number =>
    Math.max(
      ...Object.values(decision)
        .flatMap((v) => (typeof v === 'object' && v !== null ? Object.values(v) : [v]))
        .map((v) => (typeof v === 'string' ? v.length : 0)),
    );

  it('caps every field of a refusal (subject, reason naming the issuer) to 512 characters', async () => {
    const { authenticator, decisions } = setup();
    await expect(authenticator.authenticate(request(selfMade.der))).rejects.toMatchObject({ code: 'CERT_UNTRUSTED' });
    expect(decisions).toHaveLength(1);
    expect(longest(decisions[0])).toBeLessThanOrEqual(512);
    expect(decisions[0].subject).toMatch(/^CN=x+…\(20010 chars\)$/);
  });

  it('caps the fields of an accepted decision, cold and warm, and of a ROLE_MISSING refusal', async () => {
    const { authenticator, decisions } = setup();
    await authenticator.authenticate(request(hugeClient.der));
    await authenticator.authenticate(request(hugeClient.der));
    await authenticator.authenticate(request(hugeClient.der), ['orders:write']).catch(() => undefined);
    expect(decisions.map((d) => [d.result, d.cached])).toEqual([
      ['OK', false],
      ['OK', true],
      ['ROLE_MISSING', true],
    ]);
    for (const decision of decisions) expect(longest(decision)).toBeLessThanOrEqual(512);
  });
});
