import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevPki } from '@client-cert-auth/dev-pki';
import { TcpProxy } from '../../libs/registry/src/testing/tcp.proxy';
import { POSTGRES_URL, createTestSchema } from '../support/postgres.schema';
import { SAMPLE_CLIENTS, startSample, type SampleHarness } from '../support/sample.harness';
import { findBinary } from './support/binary.locator';
import { curl, type CurlRequest } from './support/curl.client';
import { startEchoServer, type EchoServer } from './support/echo.server';
import { HAPROXY_HMAC_LINES, haproxyHmacProfile, startHaproxyHmac } from './support/haproxy-hmac.recipe';
import { writeInteropFiles, type InteropFiles } from './support/interop-pki.writer';
import { freePort } from './support/port.finder';
import type { ProxyProcess } from './support/proxy.process';
import { describeUnless, POSTGRES_SKIP_REASON } from '../support/skip-unless';

/**
 * The HMAC-signed profile behind a real HAProxy (>= 2.6, `hmac` converter) with the recipe of
 * docs/PROXIES.md, and two sample instances sharing one PostgreSQL registry (A behind the proxy,
 * B next to it). curl is the client. A signed request is captured at the echo server (exactly
 * what the backend would get) and replayed or altered straight to A and B from 127.0.0.1, the
 * address the profile trusts: only the MAC and the shared nonce store stand in the way.
 */
const haproxy = findBinary('haproxy');
const maybe = describeUnless(!haproxy ? "haproxy's binary is not installed (apt-get install haproxy)" : POSTGRES_SKIP_REASON);

/** Headers of a captured request that curl sets itself for the replay. */
const TRANSPORT = new Set(['host', 'content-length', 'connection', 'x-interop-route']);

maybe('HMAC-signed forwarding through HAProxy, two instances sharing PostgreSQL', () => {
  const secret = randomBytes(32).toString('hex');
  let dir: string;
  let files: InteropFiles;
  let schema: { url: string; drop(): Promise<void> };
  let echo: EchoServer;
  let proxy: ProxyProcess;
  let a: SampleHarness;
  let b: SampleHarness;
  let ports: { proxy: number; a: number; b: number };
  /** B reaches PostgreSQL through this forwarder: stopping it is the shared store going down for B. */
  let database: TcpProxy;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cca-hmac-'));
    chmodSync(dir, 0o755);
    const pki = createDevPki({ clients: SAMPLE_CLIENTS });
    files = writeInteropFiles(join(dir, 'pki'), pki);
    schema = await createTestSchema('cc_hmac');
    ports = { proxy: await freePort(), a: await freePort(), b: await freePort() };
    const settings = {
      CLIENT_CERT_CA_FILES: files.clientRootCa,
      CLIENT_CERT_INTERMEDIATE_FILES: files.clientIntermediateCa,
      CLIENT_CERT_DATABASE_URL: schema.url,
      CLIENT_CERT_PROXIES: JSON.stringify([{ name: 'edge', from: ['127.0.0.1/32'], ...haproxyHmacProfile(secret) }]),
    };
    a = await startSample('express', settings, { pki });
    await a.app.listen(ports.a, '127.0.0.1');
    const pg = new URL(POSTGRES_URL!);
    database = new TcpProxy(pg.hostname, Number(pg.port || 5432));
    await database.start();
    const viaForwarder = new URL(schema.url);
    viaForwarder.port = String(database.port);
    b = await startSample('fastify', { ...settings, CLIENT_CERT_DATABASE_URL: viaForwarder.toString() }, { pki });
    await b.app.listen(ports.b, '127.0.0.1');
    await a.admin.addAccount({ name: 'alice-app', roles: [] });
    await a.admin.bind({ account: 'alice-app', kind: 'san-uri', value: 'spiffe://test.local/alice' });
    echo = await startEchoServer();
    const proxyDir = join(dir, 'haproxy');
    mkdirSync(proxyDir, { mode: 0o755 });
    proxy = await startHaproxyHmac(haproxy!, { files, dir: proxyDir, port: ports.proxy, backendPort: ports.a, echoPort: echo.port }, secret);
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await echo?.close();
    await a?.close();
    await database?.start().catch(() => undefined);
    await b?.close();
    await database?.stop();
    await schema?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const viaProxy = (path: string, client: string | undefined, headers: string[] = []) => {
    const request: CurlRequest = { url: `https://localhost:${ports.proxy}${path}`, cacert: files.serverCa, pinToLoopback: true, headers };
    return curl(client ? { ...request, ...files.client(client) } : request);
  };

  /** A request as HAProxy signed and forwarded it, taken at the echo server. */
  async function capture(path = '/orders') {
    const r = await viaProxy(path, 'alice', ['X-Interop-Route: echo']);
    expect(r.status).toBe(200);
    const { method, url, headers } = r.json as { method: string; url: string; headers: Array<[string, string]> };
    return { method, url, headers: headers.filter(([name]) => !TRANSPORT.has(name.toLowerCase())) };
  }

  /** Sends a captured request straight to an instance (from 127.0.0.1, inside the profile). */
  function replay(port: number, captured: Awaited<ReturnType<typeof capture>>, change: { method?: string; url?: string } = {}) {
    // curl sends `Name;` as a header with an empty value (`Name:` would remove it).
    const headers = captured.headers.map(([name, value]) => (value === '' ? `${name};` : `${name}: ${value}`));
    return curl({ url: `http://127.0.0.1:${port}${change.url ?? captured.url}`, method: change.method ?? captured.method, headers, from: '127.0.0.1' });
  }
  const outcome = (r: { status: number; json?: { code?: string } }) => ({ status: r.status, code: r.json?.code });

  it('docs/PROXIES.md shows every line of the recipe verbatim', () => {
    const doc = readFileSync(join(__dirname, '../../docs/PROXIES.md'), 'utf8');
    for (const line of HAPROXY_HMAC_LINES) expect(doc).toContain(line);
  });

  it('accepts two requests of one client in the same second: 200 and 200', async () => {
    let sameSecond = false;
    for (let attempt = 0; attempt < 5 && !sameSecond; attempt++) {
      const before = Date.now();
      const results = await Promise.all([viaProxy('/orders', 'alice'), viaProxy('/orders', 'alice')]);
      // HAProxy's %[date] is the same clock: both were signed within the same second.
      sameSecond = Math.floor(before / 1000) === Math.floor(Date.now() / 1000);
      expect(results.map(outcome)).toEqual([
        { status: 200, code: undefined },
        { status: 200, code: undefined },
      ]);
    }
    expect(sameSecond).toBe(true);
  });

  it('answers a client without a certificate 401 CERT_MISSING (the absent headers are signed as absent)', async () => {
    expect(outcome(await viaProxy('/orders', undefined))).toEqual({ status: 401, code: 'CERT_MISSING' });
  });

  it('accepts a signed request once: a replay is refused with 401 SOURCE_UNTRUSTED by the same instance and by the other one', async () => {
    const first = await capture();
    expect(outcome(await replay(ports.a, first))).toEqual({ status: 200, code: undefined });
    expect(outcome(await replay(ports.a, first))).toEqual({ status: 401, code: 'SOURCE_UNTRUSTED' });
    expect(outcome(await replay(ports.b, first))).toEqual({ status: 401, code: 'SOURCE_UNTRUSTED' });
    // And the other way round: what B accepted, A refuses.
    const second = await capture();
    expect(outcome(await replay(ports.b, second))).toEqual({ status: 200, code: undefined });
    expect(outcome(await replay(ports.a, second))).toEqual({ status: 401, code: 'SOURCE_UNTRUSTED' });
  });

  it('refuses a signed request whose method or path was changed (401), and accepts it as signed', async () => {
    const signed = await capture();
    // Every change reaches a guarded route: a refusal is the MAC's, not a 404.
    for (const change of [{ method: 'POST' }, { url: '/orders?all=1' }, { url: '/orders/' }, { url: '/whoami' }]) {
      expect({ change, ...outcome(await replay(ports.a, signed, change)) }).toEqual({ change, status: 401, code: 'SOURCE_UNTRUSTED' });
    }
    expect(outcome(await replay(ports.a, signed))).toEqual({ status: 200, code: undefined });
  });

  it('refuses a signed request with another certificate header (401), and accepts it as signed', async () => {
    const signed = await capture();
    const mallory = (await viaProxy('/orders', 'mallory', ['X-Interop-Route: echo'])).json as { headers: Array<[string, string]> };
    const swapped = mallory.headers.find(([name]) => name.toLowerCase() === 'x-ssl-client-cert')!;
    const headers = signed.headers.map(([name, value]): [string, string] => (name.toLowerCase() === 'x-ssl-client-cert' ? [name, swapped[1]] : [name, value]));
    expect(outcome(await replay(ports.a, { ...signed, headers }))).toEqual({ status: 401, code: 'SOURCE_UNTRUSTED' });
    // A refused MAC never claims its nonce: the request as signed still passes.
    expect(outcome(await replay(ports.a, signed))).toEqual({ status: 200, code: undefined });
  });

  it('answers 503 REPLAY_CHECK_UNAVAILABLE while the shared store is down (never accepts), and 200 once it is back', async () => {
    const signed = await capture();
    await database.stop();
    try {
      expect(outcome(await replay(ports.b, signed))).toEqual({ status: 503, code: 'REPLAY_CHECK_UNAVAILABLE' });
    } finally {
      await database.start();
    }
    // The refused request never claimed its nonce: as signed, it passes once the store answers.
    let result = outcome(await replay(ports.b, signed));
    for (let attempt = 0; attempt < 20 && result.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      result = outcome(await replay(ports.b, signed));
    }
    expect(result).toEqual({ status: 200, code: undefined });
  });
});
