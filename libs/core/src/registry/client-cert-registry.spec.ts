import { issueCertificate } from '@client-cert-auth/dev-pki';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { ClientCertError } from '../errors/client-cert.error';
import { resolveOptions } from '../options/options.resolver';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { RegistryMatch } from './client-account';
import { ClientCertRegistry, type RegistryLookup } from './client-cert-registry';

const MATCH: RegistryMatch = {
  account: { id: 'a1', name: 'orders-app', status: 'active', roles: [] },
  binding: { id: 'b1', kind: 'san-dns', value: 'orders.clients.test' },
};

/** A registry with only the two required methods, recording the calls the default `lookup` makes. */
class TwoMethodRegistry extends ClientCertRegistry {
  readonly calls: string[] = [];
  constructor(private readonly answers: { denied: boolean; match?: RegistryMatch | null; ambiguous?: boolean }) {
    super();
  }
  async isDenied(): Promise<boolean> {
    this.calls.push('isDenied');
    return this.answers.denied;
  }
  async resolve(): Promise<RegistryMatch | null> {
    this.calls.push('resolve');
    if (this.answers.ambiguous) throw new ClientCertError('IDENTITY_AMBIGUOUS', 'two accounts');
    return this.answers.match ?? null;
  }
}

/** A registry answering both questions in one call, as the TypeORM one does. */
class OnePassRegistry extends TwoMethodRegistry {
  override async lookup(): Promise<RegistryLookup> {
    this.calls.push('lookup');
    return { denied: await this.isDenied(), match: MATCH };
  }
}

const principal = {} as ClientCertPrincipal;

describe('ClientCertRegistry.lookup (default)', () => {
  it.each([
    ['denied: resolve is not asked', { denied: true, match: MATCH }, { denied: true, match: null }, ['isDenied']],
    ['not denied, bound', { denied: false, match: MATCH }, { denied: false, match: MATCH }, ['isDenied', 'resolve']],
    ['not denied, unbound', { denied: false }, { denied: false, match: null }, ['isDenied', 'resolve']],
  ])('%s', async (_label, answers, expected, calls) => {
    const registry = new TwoMethodRegistry(answers);
    await expect(registry.lookup(principal)).resolves.toEqual(expected);
    expect(registry.calls).toEqual(calls);
  });

  it('passes IDENTITY_AMBIGUOUS on from resolve', async () => {
    await expect(new TwoMethodRegistry({ denied: false, ambiguous: true }).lookup(principal)).rejects.toMatchObject({ code: 'IDENTITY_AMBIGUOUS' });
  });
});

describe('the authenticator asks the registry once per cold request', () => {
  const root = issueCertificate({ subject: 'CN=Lookup Spec Root,O=Test', key: 'p-256', ca: true });
  const client = issueCertificate({ subject: 'CN=orders,O=Test', issuer: root, san: { dns: ['orders.clients.test'] } });
  const authenticate = (registry: ClientCertRegistry) =>
    new ClientCertAuthenticator(
      resolveOptions({
        proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
        trustAnchors: { pem: [root.pem] },
        revocation: { mode: 'off' },
        decisions: { accepted: 'off', refused: 'off' },
      }),
      registry,
    ).authenticate({ rawHeaders: ['Client-Cert', `:${client.der.toString('base64')}:`], remoteAddress: '127.0.0.1' });

  it('through lookup when the registry overrides it (CERT_REVOKED before any binding)', async () => {
    const denied = new OnePassRegistry({ denied: true });
    await expect(authenticate(denied)).rejects.toMatchObject({ code: 'CERT_REVOKED' });
    expect(denied.calls).toEqual(['lookup', 'isDenied']);
    const allowed = new OnePassRegistry({ denied: false });
    await expect(authenticate(allowed)).resolves.toMatchObject({ account: { name: 'orders-app' } });
    expect(allowed.calls).toEqual(['lookup', 'isDenied']);
  });

  it.each([
    ['denied', { denied: true, match: MATCH }, 'CERT_REVOKED'],
    ['unbound', { denied: false }, 'IDENTITY_UNKNOWN'],
    ['ambiguous', { denied: false, ambiguous: true }, 'IDENTITY_AMBIGUOUS'],
    ['bound to a disabled account', { denied: false, match: { ...MATCH, account: { ...MATCH.account, status: 'disabled' as const } } }, 'ACCOUNT_DISABLED'],
  ])('through isDenied + resolve otherwise: %s → %s', async (_label, answers, code) => {
    await expect(authenticate(new TwoMethodRegistry(answers))).rejects.toMatchObject({ code });
  });
});
