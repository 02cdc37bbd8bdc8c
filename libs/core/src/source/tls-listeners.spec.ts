import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Agent, createServer, request as httpsRequest, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { createDevPki, issueCertificate, type DevPki, type IssuedCertificate } from '@client-cert-auth/dev-pki';
import { toForwardedRequest } from '../authentication/request.adapter';
import { ClientCertError } from '../errors/client-cert.error';
import type { ClientCertProfileOptions } from '../options/tls-profile.options';
import { TrustedProxies } from './trusted-proxies';

/** What the server saw: the extraction (or its refusal) and the warm key before and after it. */
interface Seen {
  profile?: string;
  format?: string;
  leaf?: string;
  chain?: string[];
  code?: string;
  details?: Record<string, unknown>;
  keyBefore?: string;
  keyAfter?: string;
}

const pki: DevPki = createDevPki({
  clients: [
    { name: 'alice', subject: 'CN=alice' },
    { name: 'bob', subject: 'CN=bob' },
  ],
  server: true,
});
const loopbackHeaders: ClientCertProfileOptions = { name: 'loopback', from: ['127.0.0.1/32', '::1/128'], format: 'rfc9440' };

/** Runs `TrustedProxies.admit` on every request and answers with what it found. */
function handler(proxies: () => TrustedProxies) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const forwarded = toForwardedRequest(req as never);
    const describe = () => JSON.stringify(proxies().warmKey(forwarded) ?? null);
    const seen: Seen = { keyBefore: describe() };
    proxies()
      .admit(forwarded)
      .then(
        (extracted) =>
          Object.assign(seen, {
            profile: extracted.profile,
            format: extracted.format,
            leaf: extracted.certificate.leaf.toString('base64'),
            chain: extracted.certificate.chain.map((der) => der.toString('base64')),
          }),
        (error: ClientCertError) => Object.assign(seen, { code: error.code, details: error.details }),
      )
      .then(() => res.end(JSON.stringify({ ...seen, keyAfter: describe() })));
  };
}

async function listen<T extends HttpServer | HttpsServer>(server: T): Promise<T & { port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

const tlsServer = (proxies: () => TrustedProxies) =>
  listen(
    createServer({ cert: pki.server!.pem + pki.intermediate.pem, key: pki.server!.keyPem, requestCert: true, rejectUnauthorized: false }, handler(proxies)),
  );

interface ClientOptions {
  client?: IssuedCertificate;
  /** Certificates sent after the leaf. */
  chain?: IssuedCertificate[];
  headers?: Record<string, string>;
  agent?: Agent;
}

function get(port: number, { client, chain = [], headers = {}, agent }: ClientOptions = {}): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const tls = client ? { cert: [client, ...chain].map((c) => c.pem).join(''), key: client.keyPem } : {};
    httpsRequest({ host: '127.0.0.1', port, path: '/', servername: 'localhost', ca: pki.root.pem, headers, agent, ...(agent ? {} : tls) }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body) as Seen));
    })
      .on('error', reject)
      .end();
  });
}

const b64 = (cert: IssuedCertificate) => cert.der.toString('base64');

describe('TrustedProxies with a source: tls profile (real TLS connections)', () => {
  let proxies: TrustedProxies;
  let direct: HttpsServer & { port: number };
  let headerListener: HttpsServer & { port: number };

  beforeAll(async () => {
    direct = await tlsServer(() => proxies);
    // Also TLS with requestCert, but no TLS profile owns its port: a header profile's listener.
    headerListener = await tlsServer(() => proxies);
    proxies = new TrustedProxies([loopbackHeaders, { name: 'direct', source: 'tls', ports: [direct.port] }]);
  });
  afterAll(() => {
    for (const server of [direct, headerListener]) server.closeAllConnections();
    direct.close();
    headerListener.close();
  });

  it('reads the leaf and the chain the client sent, from the connection', async () => {
    const seen = await get(direct.port, { client: pki.clients.alice, chain: [pki.intermediate] });
    expect(seen).toMatchObject({ profile: 'direct', format: 'tls', leaf: b64(pki.clients.alice), chain: [b64(pki.intermediate)] });
  });

  it('ends the chain at the root that names itself its issuer (no endless walk, no duplicate)', async () => {
    const seen = await get(direct.port, { client: pki.clients.alice, chain: [pki.intermediate, pki.root] });
    expect(seen.chain).toEqual([b64(pki.intermediate), b64(pki.root)]);
  });

  it('reads a leaf sent alone (Node does not verify it: the module will)', async () => {
    const seen = await get(direct.port, { client: pki.clients.bob });
    expect(seen).toMatchObject({ profile: 'direct', leaf: b64(pki.clients.bob), chain: [] });
  });

  it('refuses a TLS request without a client certificate with CERT_MISSING, even with a certificate header from a trusted address', async () => {
    const seen = await get(direct.port, { headers: { 'Client-Cert': `:${b64(pki.clients.alice)}:` } });
    expect(seen.code).toBe('CERT_MISSING');
    expect(seen.details).toEqual({ profile: 'direct', spoofedHeaders: ['client-cert'] });
  });

  it('reads a request on a port no TLS profile owns through the header profiles, never from its TLS certificate', async () => {
    expect(await get(headerListener.port, { client: pki.clients.alice })).toMatchObject({
      code: 'CERT_MISSING',
      details: expect.objectContaining({ profile: 'loopback' }),
    });
    const seen = await get(headerListener.port, { client: pki.clients.alice, headers: { 'Client-Cert': `:${b64(pki.clients.bob)}:` } });
    expect(seen).toMatchObject({ profile: 'loopback', format: 'rfc9440', leaf: b64(pki.clients.bob) });
  });

  it('gives a connection a warm key once its certificate was read, the same on every request and on a new connection with the same certificate', async () => {
    const agent = (client: IssuedCertificate) => new Agent({ keepAlive: true, maxSockets: 1, cert: client.pem, key: client.keyPem });
    const alice = agent(pki.clients.alice);
    try {
      const first = await get(direct.port, { agent: alice });
      const second = await get(direct.port, { agent: alice });
      expect(first.keyBefore).toBe('null');
      expect(first.keyAfter).not.toBe('null');
      expect(second.keyBefore).toBe(first.keyAfter);
      alice.destroy();
      const again = agent(pki.clients.alice);
      const other = agent(pki.clients.bob);
      const [reconnected, bob] = [await get(direct.port, { agent: again }), await get(direct.port, { agent: other })];
      expect(reconnected.keyAfter).toBe(first.keyAfter);
      expect(JSON.parse(bob.keyAfter!)).not.toEqual(JSON.parse(first.keyAfter!));
      again.destroy();
      other.destroy();
    } finally {
      alice.destroy();
    }
  });
});

/**
 * One request over a raw TLS 1.2 connection (where a client may renegotiate), then a
 * renegotiation: resolves with its error, or null when the server took part in it.
 */
function renegotiateAfterRequest(port: number, client: IssuedCertificate): Promise<Error | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.root.pem, cert: client.pem, key: client.keyPem, maxVersion: 'TLSv1.2' });
    socket.once('error', reject);
    socket.once('secureConnect', () => socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    socket.once('data', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      const done = (error: Error | null) => {
        socket.destroy();
        resolve(error);
      };
      socket.once('close', () => done(new Error('connection closed')));
      socket.renegotiate({ rejectUnauthorized: false }, (error) => done(error ?? null));
    });
  });
}

describe('TrustedProxies with a source: tls profile: one certificate per connection', () => {
  let proxies: TrustedProxies;
  let direct: HttpsServer & { port: number };
  let other: HttpsServer & { port: number };
  beforeAll(async () => {
    direct = await tlsServer(() => proxies);
    other = await tlsServer(() => proxies);
    proxies = new TrustedProxies([loopbackHeaders, { name: 'direct', source: 'tls', ports: [direct.port] }]);
  });
  afterAll(() => {
    for (const server of [direct, other]) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('refuses a TLS 1.2 renegotiation once the certificate was read (it could present another one)', async () => {
    expect(await renegotiateAfterRequest(direct.port, pki.clients.alice)).toBeInstanceOf(Error);
  });

  it('leaves renegotiation alone on a listener no TLS profile owns', async () => {
    expect(await renegotiateAfterRequest(other.port, pki.clients.alice)).toBeNull();
  });
});

describe('TrustedProxies with a source: tls profile on a listener that is not TLS', () => {
  it('refuses a plain-HTTP request on the TLS profile port with SOURCE_UNTRUSTED (fail closed), certificate header or not', async () => {
    // The profile names the listener's port, known once it listens.
    const set: { proxies?: TrustedProxies } = {};
    const plain = await listen(createHttpServer(handler(() => set.proxies!)));
    set.proxies = new TrustedProxies([loopbackHeaders, { name: 'direct', source: 'tls', ports: [plain.port] }]);
    try {
      const seen = await new Promise<Seen>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port: plain.port, path: '/', headers: { 'Client-Cert': `:${b64(pki.clients.alice)}:` } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk));
          res.on('end', () => resolve(JSON.parse(body) as Seen));
        })
          .on('error', reject)
          .end();
      });
      expect(seen).toMatchObject({ code: 'SOURCE_UNTRUSTED', details: { profile: 'direct', remoteAddress: '127.0.0.1' }, keyAfter: 'null' });
    } finally {
      plain.close();
    }
  });

  it('refuses a request with no connection at all (a hand-made ForwardedRequest) on a TLS-only setup', () => {
    const proxies = new TrustedProxies([{ name: 'direct', source: 'tls', ports: [8443] }]);
    expect(() => proxies.extract({ rawHeaders: ['Client-Cert', `:${b64(pki.clients.alice)}:`], remoteAddress: '127.0.0.1' })).toThrow(
      expect.objectContaining({ code: 'SOURCE_UNTRUSTED' }),
    );
  });
});

describe('TrustedProxies with a source: tls profile: caps', () => {
  it('refuses a chain longer than limits.maxCertificates with CERT_POLICY', async () => {
    const set: { proxies?: TrustedProxies } = {};
    const server = await tlsServer(() => set.proxies!);
    set.proxies = new TrustedProxies([{ name: 'direct', source: 'tls', ports: [server.port], limits: { maxCertificates: 2 } }]);
    try {
      expect(await get(server.port, { client: pki.clients.alice, chain: [pki.intermediate] })).toMatchObject({ profile: 'direct' });
      const extra = issueCertificate({ subject: 'CN=Another CA', ca: true });
      // A fresh connection: the first one's certificate is kept for its life.
      const seen = await get(server.port, { client: pki.clients.bob, chain: [pki.intermediate, pki.root, extra] });
      expect(seen).toMatchObject({ code: 'CERT_POLICY', details: { profile: 'direct', limit: 2 } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('TrustedProxies: TLS profile options', () => {
  it.each<[string, unknown[], RegExp]>([
    ['no ports', [{ name: 'd', source: 'tls' }], /"ports" must list the local port/],
    ['port 0', [{ name: 'd', source: 'tls', ports: [0] }], /"ports" must list/],
    ['a header option', [{ name: 'd', source: 'tls', ports: [8443], from: ['10.0.0.0/8'] }], /"from" is a header profile's option/],
    [
      'one port in two profiles',
      [
        { name: 'a', source: 'tls', ports: [8443] },
        { name: 'b', source: 'tls', ports: [8443] },
      ],
      /both list port 8443/,
    ],
    ['a name a header profile has', [loopbackHeaders, { name: 'loopback', source: 'tls', ports: [8443] }], /named "loopback"/],
    ['an unknown source', [{ name: 'd', source: 'socket', ports: [8443] }], /source is "socket"; use 'header' \(the default\) or 'tls'/],
    ['a bad cap', [{ name: 'd', source: 'tls', ports: [8443], limits: { maxCertificates: 0 } }], /maxCertificates/],
  ])('refuses %s at start-up', (_label, profiles, message) => {
    expect(() => new TrustedProxies(profiles as ClientCertProfileOptions[])).toThrow(message);
  });

  it('accepts a TLS profile alone, and one next to header profiles', () => {
    expect(() => new TrustedProxies([{ name: 'd', source: 'tls', ports: [8443, 9443] }])).not.toThrow();
    expect(() => new TrustedProxies([loopbackHeaders, { name: 'd', source: 'tls', ports: [8443] }])).not.toThrow();
  });
});
