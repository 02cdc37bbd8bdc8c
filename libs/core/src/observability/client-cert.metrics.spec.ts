import { Registry } from 'prom-client';
import { createDevPki } from '@client-cert-auth/dev-pki';
import { ClientCertAuthenticator } from '../authentication/client-cert.authenticator';
import { parseCertificate } from '../certificate/certificate.parser';
import type { ClientCertAuthOptions } from '../options/client-cert-auth.options';
import { resolveOptions } from '../options/options.resolver';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { RegistryMatch } from '../registry/client-account';
import { ClientCertRegistry } from '../registry/client-cert-registry';
import { ClientCertMetrics } from './client-cert.metrics';

/** A real, tiny registry: one account bound by SAN URI. */
class OneAccountRegistry extends ClientCertRegistry {
  async resolve(principal: ClientCertPrincipal): Promise<RegistryMatch | null> {
    if (!principal.san.uri.includes('spiffe://test.local/alice')) return null;
    return {
      account: { id: '1', name: 'alice-app', status: 'active', roles: [] },
      binding: { id: 'b1', kind: 'san-uri', value: 'spiffe://test.local/alice' },
    };
  }
  async isDenied(): Promise<boolean> {
    return false;
  }
}

const pki = createDevPki({ clients: [{ name: 'alice', subject: 'CN=alice', san: { uri: ['spiffe://test.local/alice'] } }] });

function build(metrics: ClientCertAuthOptions['metrics']) {
  const options = resolveOptions({
    proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
    trustAnchors: { pem: [pki.root.pem, pki.intermediate.pem] },
    // Two anchors: the SVID's trust domain must say which of them speak for it.
    spiffe: { trustDomains: { 'test.local': { anchors: [pki.root, pki.intermediate].map((ca) => `sha256:${parseCertificate(ca.der).publicKey.sha256}`) } } },
    revocation: { mode: 'off' },
    decisions: { accepted: 'off', refused: 'off' }, // the hook still fires; keep the test output quiet
    metrics,
  });
  const authenticator = new ClientCertAuthenticator(options, new OneAccountRegistry());
  return { authenticator, metrics: new ClientCertMetrics(options, authenticator) };
}

const send = (authenticator: ClientCertAuthenticator, cert?: Buffer) =>
  authenticator.authenticate({ rawHeaders: cert ? ['Client-Cert', `:${cert.toString('base64')}:`] : [], remoteAddress: '127.0.0.1' }).catch(() => undefined);

describe('ClientCertMetrics', () => {
  it('records decisions fed by the authenticator when enabled', async () => {
    const { authenticator, metrics } = build({ enabled: true });
    metrics.onModuleInit();
    await send(authenticator, pki.clients.alice.der);
    await send(authenticator);
    const { contentType, body } = await metrics.scrape();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toMatch(/client_cert_decisions_total\{result="OK",profile="waf"\} 1/);
    expect(body).toMatch(/client_cert_decisions_total\{result="CERT_MISSING",profile="waf"\} 1/);
    metrics.onModuleDestroy();
  });

  it('registers nothing and records nothing when disabled (the default)', async () => {
    const { authenticator, metrics } = build(undefined);
    metrics.onModuleInit();
    await send(authenticator, pki.clients.alice.der);
    expect(metrics.enabled).toBe(false);
    expect((await metrics.scrape()).body.trim()).toBe('');
  });

  it('leaves a shared registry clean on shutdown, so the next app instance can register again', async () => {
    const shared = new Registry();
    const first = build({ enabled: true, registry: shared });
    first.metrics.onModuleInit();
    first.metrics.onModuleDestroy();
    expect(await shared.getMetricsAsJSON()).toEqual([]);
    const second = build({ enabled: true, registry: shared });
    expect(() => second.metrics.onModuleInit()).not.toThrow();
    await send(first.authenticator, pki.clients.alice.der); // unsubscribed: not counted
    expect(await shared.metrics()).not.toMatch(/result="OK"/);
  });
});
