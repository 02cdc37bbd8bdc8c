/**
 * Scratch profiler (not part of `npm run bench`): the HTTP bench server under load on one route,
 * with V8's CPU profiler on. Writes `<dir>/<route>-<adapter>.cpuprofile` and a `.json` beside it
 * with the request count of the measured window; `cpuprofile.diff.js` turns two of them into
 * per-request time by function.
 *
 *   npm run bench:file bench/profile/server.profile.ts -- trivial fastify
 *   npm run bench:file bench/profile/server.profile.ts -- guarded fastify
 *   node bench/profile/cpuprofile.diff.js /tmp/cca-profiles/trivial-fastify /tmp/cca-profiles/guarded-fastify
 *
 * A third argument `cold` or `flood` (and a fourth, the key: p-256 | rsa-2048) sends every
 * request a never-seen certificate of a bench PKI instead (bench.pki.ts), as `npm run bench`'s
 * scenarios do; the profile is then named `<route>-<adapter>-<scenario>-<key>`:
 *
 *   npm run bench:file bench/profile/server.profile.ts -- hand-written express flood rsa-2048
 *   npm run bench:file bench/profile/server.profile.ts -- guarded express flood rsa-2048
 *
 * Env: PROFILE_DIR (/tmp/cca-profiles), SECONDS_LOADED (8), PROFILE_CERTS (60000, the pool),
 * PROFILE_RATE (requests per second across all connections; unset: as fast as the server answers).
 * At a fixed rate two routes see the same load, so per-request costs that depend on it (the
 * kernel's wake-ups of a waiting client) can be told apart from the guard's own.
 */
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchServerReady } from '../http/bench.server';
import { TS_FLAGS } from '../support/child.process';
import { createBenchPki, type BenchKey } from '../http/bench.pki';

async function main(): Promise<void> {
  const route = process.argv[2] ?? 'guarded';
  const adapter = process.argv[3] ?? 'fastify';
  const dir = process.env.PROFILE_DIR ?? '/tmp/cca-profiles';
  const seconds = Number(process.env.SECONDS_LOADED ?? 8);
  mkdirSync(dir, { recursive: true });
  const scenario = process.argv[4] as 'cold' | 'flood' | undefined;
  const key = (process.argv[5] ?? 'p-256') as BenchKey;
  const pki = scenario ? createBenchPki(key, Number(process.env.PROFILE_CERTS ?? 60_000)) : undefined;
  const pool = pki?.[scenario!];
  const name = scenario ? `${route}-${adapter}-${scenario}-${key}` : `${route}-${adapter}`;
  const child = fork(join(__dirname, '..', 'http', 'bench.server.ts'), pki ? [adapter, pki.dir] : [adapter], {
    execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`, '--cpu-prof-interval=50', ...TS_FLAGS],
    cwd: join(__dirname, '..', '..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<BenchServerReady>((resolve) => child.once('message', (m) => resolve(m as BenchServerReady)));
  const url = `http://127.0.0.1:${ready.port}/${route}`;
  let next = 0;
  const requests = pool
    ? [
        {
          method: 'GET' as const,
          setupRequest: (request: autocannon.Request) => ({ ...request, headers: { ...request.headers, 'client-cert': pool[next++ % pool.length] } }),
        },
      ]
    : undefined;
  const rate = process.env.PROFILE_RATE ? { overallRate: Number(process.env.PROFILE_RATE) } : {};
  await autocannon({ url, headers: ready.headers, requests, duration: 2, connections: 10, ...rate }); // warm-up, then the measured window
  const result = await autocannon({ url, headers: ready.headers, requests, duration: seconds, connections: 10, ...rate });
  if (scenario === 'flood' ? result['2xx'] + result['5xx'] > 0 : result.non2xx > 0)
    throw new Error(`unexpected answers: ${result['2xx']} 2xx, ${result.non2xx} non-2xx`);
  if (pool && next > pool.length) console.log(`pool wrapped: ${next - pool.length} repeated certificates`);
  // The window ends when the server is told to stop: the profile's last `seconds` are this load.
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ route, adapter, seconds, requests: result.requests.total }));
  console.log(name, Math.round(result.requests.average), 'req/s');
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
}

void main();
