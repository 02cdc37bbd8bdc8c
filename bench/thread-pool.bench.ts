/**
 * `validation.signatureThreadPool` on vs off, side by side in one process: two bench apps (each
 * its own SQLite registry) over one bench PKI, every request a never-seen valid enrolled leaf
 * through `ClientCertAuthenticator.authenticate` (no HTTP, so the load generator does not share
 * the cores with a server). Rounds alternate which app goes first. Per app and concurrency:
 * req/s, process CPU per request (main thread and thread pool together), the main thread's
 * own CPU per request (Linux /proc schedstat: what bounds a server's cold req/s, and unlike
 * wall time not inflated by other tenants of the host) and, at concurrency 1, the mean latency.
 *
 *   npm run bench:file bench/thread-pool.bench.ts     # KEY=p-256 N=3000 ROUNDS=4 CONCURRENCY=1,10
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { ClientCertAuthenticator } from '@client-cert-auth/core';
import { benchSettings } from './support/bench.context';
import { BenchAppModule } from './http/bench-app.module';
import { BENCH_SPIFFE_ID, createBenchPki, type BenchKey } from './http/bench.pki';

const KEY = (process.env.KEY ?? 'p-256') as BenchKey;
const N = Number(process.env.N ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const CONCURRENCY = (process.env.CONCURRENCY ?? '1,10').split(',').map(Number);
const MODES = ['on', 'off'] as const;
type Mode = (typeof MODES)[number];

interface Slice {
  readonly perSecond: number;
  readonly cpuUs: number;
  readonly mainUs: number;
}

/** CPU time of the main thread alone (the first field of its /proc task's schedstat, ns), in µs. */
function mainThreadCpuUs(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
}

async function app(mode: Mode, dir: string): Promise<ClientCertAuthenticator> {
  const registryDir = mkdtempSync(join(tmpdir(), 'cca-pool-bench-'));
  const settings = {
    ...benchSettings(dir),
    CLIENT_CERT_DATABASE_URL: `sqlite:${join(registryDir, 'r.sqlite')}`,
    BENCH_ENROLLED_FINGERPRINTS: join(dir, 'enrolled.txt'),
    BENCH_SIGNATURE_THREAD_POOL: mode === 'on' ? '1' : '0',
  };
  const context = await NestFactory.createApplicationContext(BenchAppModule.register(settings), { logger: ['error'] });
  await context.init();
  const admin = context.get(RegistryAdminService);
  await admin.addAccount({ name: 'bench-app', roles: ['bench'] });
  await admin.bind({ account: 'bench-app', kind: 'san-uri', value: BENCH_SPIFFE_ID });
  return context.get(ClientCertAuthenticator);
}

/** `count` never-seen leaves from `pool[start]` on, `concurrency` at a time. */
async function slice(auth: ClientCertAuthenticator, pool: readonly string[], start: number, count: number, concurrency: number): Promise<Slice> {
  let next = start;
  const end = start + count;
  const worker = async () => {
    while (next < end) await auth.authenticate({ rawHeaders: ['Host', 'x', 'Client-Cert', pool[next++]], remoteAddress: '127.0.0.1' });
  };
  const cpu = process.cpuUsage();
  const main = mainThreadCpuUs();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { perSecond: (count * 1000) / ms, cpuUs: (used.user + used.system) / count, mainUs: (mainThreadCpuUs() - main) / count };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const pki = createBenchPki(KEY, N);
  const auths = { on: await app('on', pki.dir), off: await app('off', pki.dir) };
  const perSlice = Math.floor(N / (CONCURRENCY.length * (ROUNDS + 1)));
  let offset = 0;
  for (const concurrency of CONCURRENCY) {
    // Warm-up slice (JIT, SQLite page cache), not counted.
    for (const mode of MODES) await slice(auths[mode], pki.cold, offset, perSlice, concurrency);
    offset += perSlice;
    const results: Record<Mode, Slice[]> = { on: [], off: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of order) results[mode].push(await slice(auths[mode], pki.cold, offset, perSlice, concurrency));
      offset += perSlice;
    }
    const ratios = results.on.map((on, round) => on.perSecond / results.off[round].perSecond);
    for (const mode of MODES) {
      const r = results[mode];
      const perSecond = median(r.map((s) => s.perSecond));
      console.log(
        `${KEY} concurrency ${String(concurrency).padStart(2)} signatureThreadPool ${mode.padEnd(3)}: ${perSecond.toFixed(0).padStart(5)} req/s` +
          ` (${r.map((s) => s.perSecond.toFixed(0)).join(' ')}), CPU ${median(r.map((s) => s.cpuUs)).toFixed(0)} µs/req,` +
          ` main thread CPU ${median(r.map((s) => s.mainUs)).toFixed(0)} µs/req` +
          (concurrency === 1 ? `, latency ${(1e6 / perSecond).toFixed(0)} µs` : ''),
      );
    }
    console.log(
      `${KEY} concurrency ${String(concurrency).padStart(2)} on/off req/s, per round: ${ratios.map((r) => r.toFixed(2)).join(' ')}; median ${median(ratios).toFixed(2)}x`,
    );
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
