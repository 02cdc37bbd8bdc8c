/**
 * Scratch profiler (not part of `npm run bench`): the cold path in-process, i.e.
 * `ClientCertAuthenticator.authenticate` for never-seen valid certificates (bench PKI, P-256,
 * enrolled through one SAN URI binding, SQLite registry, revocation off), under V8's sampling
 * profiler. Prints CPU per request, self time per request by area (registry, TypeORM,
 * better-sqlite3, core, GC...) and the top functions. Issue 14 "before/after" profiles: run it
 * on both trees (bench/results/issue14-registry-profile.md says how).
 *
 *   npm run bench:file bench/profile/cold-path.profile.ts
 *
 * Env: N (3000 measured certificates), KEY (p-256 | rsa-2048), NO_PROFILE=1 (CPU per request only).
 */
import { Session } from 'node:inspector/promises';
import { NestFactory } from '@nestjs/core';
import { ClientCertAuthenticator } from '@client-cert-auth/core';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { BenchAppModule } from '../http/bench-app.module';
import { BENCH_SPIFFE_ID, createBenchPki, type BenchKey } from '../http/bench.pki';
import { benchSettings } from '../support/bench.context';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const WARMUP = 500;

/** The area a sample belongs to: by its own script, and for native code by its caller's. */
function area(url: string, callerUrl: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)' || name === '(program)') return name;
  const where = url === '' ? callerUrl : url;
  if (/better-sqlite3|sqlite-candidate\.reader/.test(where) && url === '') return 'better-sqlite3 (native)';
  if (/node_modules\/typeorm/.test(where)) return 'TypeORM';
  if (/libs\/registry/.test(where)) return 'registry code (libs/registry)';
  if (/lru-cache/.test(where)) return 'lru-cache';
  if (url === '' && /libs\/core|node:crypto|internal\/crypto/.test(where)) return 'crypto (native, from core)';
  if (/libs\/core/.test(where)) return 'core code (libs/core)';
  if (/node_modules\/@nestjs/.test(where)) return 'Nest';
  return 'other (node internals, ...)';
}

async function main(): Promise<void> {
  const count = Number(process.env.N ?? 3000);
  const key = (process.env.KEY ?? 'p-256') as BenchKey;
  const pki = createBenchPki(key, count + WARMUP);
  const app = await NestFactory.createApplicationContext(BenchAppModule.register(benchSettings(pki.dir)), { logger: ['error'] });
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'bench-app', roles: ['bench'] });
  await admin.bind({ account: 'bench-app', kind: 'san-uri', value: BENCH_SPIFFE_ID });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const auth = app.get(ClientCertAuthenticator);
  const request = (header: string) => ({
    rawHeaders: ['Host', 'x', 'Client-Cert', header],
    remoteAddress: '127.0.0.1',
    socket: { remoteAddress: '127.0.0.1' },
  });
  const run = async (headers: readonly string[]) => {
    for (const header of headers) {
      const client = await auth.authenticate(request(header) as never);
      if (!client) throw new Error('cold certificate refused');
    }
  };
  await run(pki.cold.slice(0, WARMUP));
  if (process.env.NO_PROFILE) {
    // CPU per request without the sampling profiler's own cost (it grows with stack depth).
    const cpu = process.cpuUsage();
    await run(pki.cold.slice(WARMUP));
    const used = process.cpuUsage(cpu);
    console.log(`cold path, ${key}, no profiler: CPU per request ${((used.user + used.system) / count).toFixed(1)} µs over ${count} never-seen certificates`);
    await app.close();
    return;
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await run(pki.cold.slice(WARMUP));
  const wallUs = Number(process.hrtime.bigint() - started) / 1000 / count;
  const used = process.cpuUsage(cpu);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  await app.close();

  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const caller = nodes.get(parents.get(id) ?? -1)?.callFrame.url ?? '';
    const us = profile.timeDeltas[i] ?? 0;
    const fn = `${functionName || '(anonymous)'} ${url.replace(/.*\/(node_modules\/)?/, '')}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const a = area(url, caller, functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
  });
  const busy = [...byArea].filter(([a]) => a !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
  const lines = [
    `cold path, ${key}: ${count} never-seen certificates through ClientCertAuthenticator.authenticate (after ${WARMUP} unmeasured)`,
    `CPU per request ${((used.user + used.system) / count).toFixed(1)} µs (process.cpuUsage, all threads), wall ${wallUs.toFixed(1)} µs, profiled busy ${(busy / count).toFixed(1)} µs`,
    '',
    'self time per request by area (µs, share of busy):',
    ...[...byArea]
      .filter(([a]) => a !== '(idle)')
      .sort((x, y) => y[1] - x[1])
      .map(([a, us]) => `  ${(us / count).toFixed(1).padStart(7)}  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${a}`),
    '',
    'top functions, self time per request (µs):',
    ...[...byFunction]
      .filter(([fn]) => !fn.startsWith('(idle)'))
      .sort((x, y) => y[1] - x[1])
      .slice(0, 30)
      .map(([fn, us]) => `  ${(us / count).toFixed(2).padStart(7)}  ${fn}`),
  ];
  console.log(lines.join('\n'));
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
