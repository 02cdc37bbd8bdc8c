/**
 * The warm path inside a real Fastify app, without sockets or a load generator: the bench app
 * (bench/http) on NestFactory + FastifyAdapter, the warm certificate injected (light-my-request)
 * into `open`, `trivial` and `guarded`, one request after another, in blocks that alternate
 * between the routes, many rounds, in one process. Per route: the 10th percentile of the
 * blocks' time per request (host noise only ever adds time; process CPU time comes in 4 ms
 * scheduler ticks, too coarse for a block), and minus the trivial guard's: what ClientCertGuard
 * costs beyond Nest's floor (its code, the `no-store` header, the client on the request) to a
 * few tenths of a µs, where the HTTP bench's slices move by 2x on this shared 2-core host.
 * Run:
 *
 *   npm run bench:file bench/micro/warm-inject.bench.ts
 *
 * Env: BENCH_ROUNDS (150), BENCH_BLOCK (200 requests per route per round),
 * BENCH_INJECT_ROUTES (comma-separated routes of bench/http/bench.controller.ts; default
 * open,trivial,guarded).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { RegistryAdminService } from '@client-cert-auth/registry';
import { benchSettings } from '../support/bench.context';
import { BenchAppModule } from '../http/bench-app.module';
import { BENCH_SPIFFE_ID, createBenchPki } from '../http/bench.pki';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 150);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 200);
const ROUTES = (process.env.BENCH_INJECT_ROUTES ?? 'open,trivial,guarded').split(',');

/** Wall time: process CPU time comes in scheduler ticks (4 ms here), too coarse for a block. */
function nowMicros(): number {
  return Number(process.hrtime.bigint()) / 1000;
}

/** The 10th percentile: a block's time only grows with what else the host runs. */
function low(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 10)];
}

async function main(): Promise<void> {
  const pki = createBenchPki('p-256', 0);
  const module = BenchAppModule.register({ ...benchSettings(pki.dir), BENCH_ENROLLED_FINGERPRINTS: join(pki.dir, 'enrolled.txt') });
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const admin = app.get(RegistryAdminService);
  await admin.addAccount({ name: 'bench-app', roles: ['bench'] });
  await admin.bind({ account: 'bench-app', kind: 'san-uri', value: BENCH_SPIFFE_ID });
  const headers = { 'client-cert': `:${readFileSync(join(pki.dir, 'warm.der')).toString('base64')}:` };

  const block = async (route: string, count: number): Promise<number> => {
    const before = nowMicros();
    for (let i = 0; i < count; i++) {
      const response = await fastify.inject({ method: 'GET', url: `/${route}`, headers, remoteAddress: '127.0.0.1' });
      if (response.statusCode !== 200) throw new Error(`/${route}: ${response.statusCode} ${response.body}`);
    }
    return (nowMicros() - before) / count;
  };
  for (let i = 0; i < 5; i++) for (const route of ROUTES) await block(route, BLOCK);
  const perRequest: Record<string, number[]> = Object.fromEntries(ROUTES.map((r) => [r, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ROUTES : [...ROUTES].reverse();
    for (let i = 0; i < order.length; i++) {
      const route = order[(i + round) % order.length];
      perRequest[route].push(await block(route, BLOCK));
    }
  }
  const reference = low(perRequest.trivial ?? perRequest[ROUTES[0]]);
  console.log(`${ROUNDS} rounds x ${BLOCK} injected requests per route; µs per request, 10th percentile of the blocks:`);
  for (const route of ROUTES) {
    const value = low(perRequest[route]);
    console.log(`${route.padEnd(10)} ${value.toFixed(2).padStart(7)} µs   minus trivial ${(value - reference).toFixed(2).padStart(6)} µs`);
  }
  await app.close();
  rmSync(pki.dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
