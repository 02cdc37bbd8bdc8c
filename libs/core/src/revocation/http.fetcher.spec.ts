import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch } from './http.fetcher';

describe('httpFetch', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') return void res.end('hello');
      if (req.url === '/big') return void res.end(Buffer.alloc(2048));
      if (req.url === '/chunked-big') {
        res.write(Buffer.alloc(600));
        return void setTimeout(() => res.end(Buffer.alloc(600)), 10);
      }
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/echo') return void req.pipe(res);
      // '/hang': never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns the body of a 200 answer, and POSTs a body', async () => {
    await expect(httpFetch({ url: `${base}/ok`, timeoutMs: 1000, maxBytes: 100 })).resolves.toEqual(Buffer.from('hello'));
    await expect(httpFetch({ url: `${base}/echo`, method: 'POST', body: Buffer.from('req'), timeoutMs: 1000, maxBytes: 100 })).resolves.toEqual(
      Buffer.from('req'),
    );
  });

  it.each([
    ['a body above maxBytes (content-length)', '/big', /exceeds 1024/],
    ['a streamed body above maxBytes', '/chunked-big', /exceeds 1024/],
    ['a redirect (not followed)', '/redirect', /HTTP 302/],
    ['a server that never answers', '/hang', /timed out after 200 ms/],
  ])('fails on %s', async (_name, path, message) => {
    await expect(httpFetch({ url: `${base}${path}`, timeoutMs: 200, maxBytes: 1024 })).rejects.toThrow(message);
  });

  it.each([['ftp://127.0.0.1/x.crl'], ['not a url']])('refuses the URL %s', async (url) => {
    await expect(httpFetch({ url, timeoutMs: 200, maxBytes: 1024 })).rejects.toThrow(/URL/);
  });
});
