import { issueCertificate } from '@client-cert-auth/dev-pki';
import type { ClientCertAuthOptions } from '../options/client-cert-auth.options';
import { resolveOptions } from '../options/options.resolver';
import { ClientCertResponseHints, EXPECTED_HEADER_HINT } from './response.hints';

const root = issueCertificate({ subject: 'CN=Hint Root', ca: true });
const hints = (proxies: ClientCertAuthOptions['proxies'], responses?: ClientCertAuthOptions['responses']) =>
  new ClientCertResponseHints(resolveOptions({ proxies, trustAnchors: { pem: [root.pem] }, responses }));

describe('ClientCertResponseHints', () => {
  it.each([
    [[{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' as const }], 'client-cert'],
    [[{ name: 'mesh', from: ['10.0.0.0/8'], format: 'xfcc' as const }], 'x-forwarded-client-cert'],
    [[{ name: 'edge', from: ['10.0.0.0/8'], preset: 'nginx' as const, headers: { cert: 'X-Client-Cert' } }], 'x-client-cert'],
    [
      [
        { name: 'a', from: ['10.1.0.0/16'], format: 'rfc9440' as const },
        { name: 'b', from: ['10.2.0.0/16'], format: 'rfc9440' as const },
        { name: 'c', from: ['10.3.0.0/16'], preset: 'azure-app-service' as const },
      ],
      'client-cert, x-arr-clientcert',
    ],
  ])('names the certificate header(s) of %j', (proxies, expected) => {
    expect(hints(proxies).expectedHeaders).toBe(expected);
  });

  it('sets Client-Cert-Expected on 401 only, from configuration alone', () => {
    const set: Array<[string, string]> = [];
    const response = { header: (name: string, value: string) => set.push([name, value]) };
    const subject = hints([{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }]);
    subject.applyTo(response, 403);
    subject.applyTo(response, 401);
    expect(set).toEqual([[EXPECTED_HEADER_HINT, 'client-cert']]);
  });

  it('sends nothing when expectedHeaderHint is off', () => {
    const set: unknown[] = [];
    const subject = hints([{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }], { expectedHeaderHint: false });
    subject.applyTo({ header: (...args: unknown[]) => set.push(args) }, 401);
    expect(subject.expectedHeaders).toBeUndefined();
    expect(set).toEqual([]);
  });
});
