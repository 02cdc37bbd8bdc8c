import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import request from 'supertest';
import { rfc9440, startSample, type SampleHarness } from '../support/sample.harness';

/**
 * One GET with exactly these header lines in this order (an HTTP client would reorder or merge
 * same-named ones), over a raw socket; answers the status and the parsed JSON body.
 */
async function rawGet(
  server: Server,
  path: string,
  lines: ReadonlyArray<readonly [string, string]>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const head = [`GET ${path} HTTP/1.1`, 'Host: localhost', ...lines.map(([name, value]) => `${name}: ${value}`), 'Connection: close', '', ''].join('\r\n');
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(head));
    let text = '';
    socket
      .setEncoding('latin1')
      .on('data', (chunk: string) => (text += chunk))
      .on('end', () => resolve(text))
      .on('error', reject);
  });
  const status = Number(answer.slice(9, 12));
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  const json = body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
  return { status, body: json ? JSON.parse(json) : {} };
}

/**
 * Filler header lines: Node keeps about 1,000 header lines by default (`server.maxHeadersCount`
 * unset: 2,000 entries of `rawHeaders`) and silently drops the rest.
 */
const filler = (count: number): Array<[string, string]> => Array.from({ length: count }, (_, i) => [`x-f${i}`, '1']);

describe.each(['express', 'fastify'] as const)('header reading on %s', (adapter) => {
  describe('Node header-line limit (rfc9440)', () => {
    let sample: SampleHarness;

    beforeAll(async () => {
      sample = await startSample(adapter);
      await sample.admin.addAccount({ name: 'alice-app', roles: [] });
      await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    });
    afterAll(() => sample.close());

    const send = (extra: Array<[string, string]>, trailing?: Buffer) =>
      rawGet(sample.app.getHttpServer(), '/orders', [
        ['Client-Cert', rfc9440(sample.pki.clients.alice.der)],
        ...extra,
        ...(trailing ? [['Client-Cert', rfc9440(trailing)] as [string, string]] : []),
      ]);

    it('refuses a request whose header lines reached the limit, so a second Client-Cert past it is not dropped unseen: 400 HEADER_MALFORMED', async () => {
      // The second copy would be refused as a duplicate if Node had kept it.
      const res = await send(filler(1100), sample.pki.clients.mallory.der);
      expect(res.body.account).toBeUndefined();
      expect([res.status, res.body.code]).toEqual([400, 'HEADER_MALFORMED']);
    });

    it('refuses the same request warm, after the certificate was accepted (the warm path does not skip the check)', async () => {
      expect((await send([])).status).toBe(200);
      expect((await send([])).status).toBe(200);
      const res = await send(filler(1100), sample.pki.clients.mallory.der);
      expect([res.status, res.body.code]).toEqual([400, 'HEADER_MALFORMED']);
    });

    it('reads a request with many header lines below the limit', async () => {
      expect((await send(filler(900))).status).toBe(200);
    });
  });

  describe('single-value format (base64-der)', () => {
    let sample: SampleHarness;

    beforeAll(async () => {
      sample = await startSample(adapter, { CLIENT_CERT_PROXY_FORMAT: 'base64-der' });
      await sample.admin.addAccount({ name: 'alice-app', roles: [] });
      await sample.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    });
    afterAll(() => sample.close());

    const send = (value: string) =>
      request(sample.app.getHttpServer() as never)
        .get('/orders')
        .set('X-SSL-Client-Cert', value);

    it('reads one certificate', async () => {
      await send(sample.pki.clients.alice.der.toString('base64')).expect(200);
    });

    it('refuses "<cert>, <cert>" (a hop that merged a client copy with its own) instead of reading the first: 400 HEADER_MALFORMED', async () => {
      const { alice, mallory } = sample.pki.clients;
      const res = await send(`${alice.der.toString('base64')}, ${mallory.der.toString('base64')}`);
      expect(res.body.account).toBeUndefined();
      expect([res.status, res.body.code]).toEqual([400, 'HEADER_MALFORMED']);
    });
  });
});
