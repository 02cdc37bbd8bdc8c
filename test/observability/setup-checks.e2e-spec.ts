import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ClientCertAuthModule, ClientCertOptionsError, type ClientCertAuthOptions } from '@client-cert-auth/core';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { startSample } from '../support/sample.harness';

const root = issueCertificate({ subject: 'CN=Setup Check Root', ca: true });
const albPassthrough = { name: 'alb', from: ['127.0.0.1/32'], preset: 'aws-alb-passthrough' as const };

/**
 * The start-up checks run inside the real module bootstrap (the resolved-options provider), so a
 * refused setup never gets as far as serving a request.
 */
describe('start-up checks at module bootstrap', () => {
  it.each<[string, Partial<ClientCertAuthOptions>, RegExp]>([
    ['a proxy range of 0.0.0.0/0', { proxies: [{ name: 'waf', from: ['0.0.0.0/0'], format: 'rfc9440' }] }, /proxy-trusts-everyone/],
    [
      'two profiles with one name',
      {
        proxies: [
          { name: 'waf', from: ['10.1.0.0/16'], format: 'rfc9440' },
          { name: 'waf', from: ['10.2.0.0/16'], format: 'xfcc' },
        ],
      },
      /duplicate-profile-name/,
    ],
    [
      'an unvalidating preset with a 10-minute clock skew',
      { proxies: [albPassthrough], validation: { clockSkewSeconds: 600 } },
      /unvalidated-proxy-weak-validation/,
    ],
  ])('refuses to start with %s', async (_label, options, rule) => {
    const module = Test.createTestingModule({
      imports: [ClientCertAuthModule.forRoot({ proxies: [], trustAnchors: { pem: [root.pem] }, ...options })],
    });
    const failure = await module.compile().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ClientCertOptionsError);
    expect((failure as Error).message).toMatch(rule);
  });

  it('starts the sample with the same preset and the default clock skew', async () => {
    const sample = await startSample('express', { CLIENT_CERT_PROXIES: JSON.stringify([albPassthrough]) });
    try {
      const res = await request(sample.app.getHttpServer()).get('/orders').expect(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'CERT_MISSING' });
    } finally {
      await sample.close();
    }
  });
});
