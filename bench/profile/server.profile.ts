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
 * Env: PROFILE_DIR (/tmp/cca-profiles), SECONDS_LOADED (8).
 */
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchServerReady } from '../http/bench.server';
import { TS_FLAGS } from '../support/child.process';

async function main(): Promise<void> {
  const route = process.argv[2] ?? 'guarded';
  const adapter = process.argv[3] ?? 'fastify';
  const dir = process.env.PROFILE_DIR ?? '/tmp/cca-profiles';
  const seconds = Number(process.env.SECONDS_LOADED ?? 8);
  mkdirSync(dir, { recursive: true });
  const name = `${route}-${adapter}`;
  const child = fork(join(__dirname, '..', 'http', 'bench.server.ts'), [adapter], {
    execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`, '--cpu-prof-interval=50', ...TS_FLAGS],
    cwd: join(__dirname, '..', '..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<BenchServerReady>((resolve) => child.once('message', (m) => resolve(m as BenchServerReady)));
  const url = `http://127.0.0.1:${ready.port}/${route}`;
  await autocannon({ url, headers: ready.headers, duration: 2, connections: 10 }); // warm-up, then the measured window
  const result = await autocannon({ url, headers: ready.headers, duration: seconds, connections: 10 });
  if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers`);
  // The window ends when the server is told to stop: the profile's last `seconds` are this load.
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ route, adapter, seconds, requests: result.requests.total }));
  console.log(name, Math.round(result.requests.average), 'req/s');
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
}

void main();
