import { request as httpRequest } from 'node:http';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';

/** A real request from ::1 to the sample listening on ::1: the TCP peer is an IPv6 address. */
function getFromIpv6Loopback(port: number, headers: Record<string, string>): Promise<{ status: number; code?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '::1', port, path: '/orders', headers, localAddress: '::1' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(body) as { code?: string }).code }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Source-trust edges (issue 13, finding 6), through the sample over real HTTP on IPv6 loopback:
 * an IPv4-compatible IPv6 address is not the IPv4 host it embeds, and a load balancer cannot be
 * both a hop that only passes requests on and a proxy trusted to write certificate headers.
 */
describe.each(['express', 'fastify'] as const)('source trust edges on %s', (adapter) => {
  describe('a load balancer on ::1 in front of the proxies at 10.0.0.0/8', () => {
    let sample: SampleHarness;
    let port: number;

    beforeAll(async () => {
      sample = await startSample(adapter, {
        CLIENT_CERT_PROXIES: JSON.stringify([{ name: 'behind-lb', from: ['10.0.0.0/8'], format: 'rfc9440', trustedHops: 1, hopsFrom: ['::1/128'] }]),
      });
      await sample.admin.addAccount({ name: 'alice-app', roles: [] });
      await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
      await sample.app.listen(0, '::1');
      port = (sample.app.getHttpServer().address() as { port: number }).port;
    });
    afterAll(() => sample?.close());

    const asClient = (xForwardedFor: string) =>
      getFromIpv6Loopback(port, { 'X-Forwarded-For': xForwardedFor, 'Client-Cert': rfc9440(sample.pki.clients.alice.der) });

    it('control: the proxy 10.1.2.3 behind the load balancer is trusted: 200', async () => {
      expect(await asClient('10.1.2.3')).toEqual({ status: 200, code: undefined });
    });

    it.each(['::10.1.2.3', '::a01:203', '0:0:0:0:0:0:10.1.2.3'])(
      'an IPv6 client %s (IPv4-compatible, not IPv4-mapped) is not the proxy 10.1.2.3: 401 SOURCE_UNTRUSTED',
      async (client) => {
        expect(await asClient(client)).toEqual({ status: 401, code: 'SOURCE_UNTRUSTED' });
      },
    );

    it('the IPv4-mapped form ::ffff:10.1.2.3 is the IPv4 proxy: 200', async () => {
      expect(await asClient('::ffff:10.1.2.3')).toEqual({ status: 200, code: undefined });
    });
  });

  it('refuses to start when the load balancer in "hopsFrom" is also trusted as a proxy in "from"', async () => {
    const started = startSample(adapter, {
      CLIENT_CERT_PROXIES: JSON.stringify([
        { name: 'behind-lb', from: ['10.0.0.0/8'], format: 'rfc9440', trustedHops: 1, hopsFrom: ['::1/128'] },
        // Before the fix, a client reaching the load balancer directly fell through to this profile.
        { name: 'lb', from: ['::1/128'], format: 'rfc9440' },
      ]),
    });
    await expect(
      started.then(async (sample) => {
        await sample.close();
        return 'started';
      }),
    ).rejects.toThrow(/"lb" trusts ::1\/128 \/ ::1\/128 in "from", which "behind-lb" lists in "hopsFrom"/);
  });
});
