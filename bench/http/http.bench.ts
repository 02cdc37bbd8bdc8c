import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { firstMessage, forkBench, stopChild } from '../support/child.process';
import type { BenchServerReady } from './bench.server';

export type Adapter = 'express' | 'fastify';
export const ROUTES = ['open', 'trivial', 'guarded', 'passport'] as const;
export type Route = (typeof ROUTES)[number];

export interface HttpBenchOptions {
  /** Seconds per measured slice. */
  readonly sliceSeconds: number;
  /** Rounds; each measures every route once, in an order rotated by one per round. */
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

export interface RouteResult {
  /** Median req/s over the route's slices. */
  readonly median: number;
  /** req/s of each round's slice, in round order. */
  readonly slices: number[];
  /** Median over rounds of this route's req/s divided by the open route's in the same round. */
  readonly pairedRatio: number;
  /** Server CPU time per request (user + system µs, from the server process itself), median. */
  readonly cpuUsPerRequest: number;
  readonly cpuSlices: number[];
}

/**
 * Per route: median req/s, the median of per-round ratios to the open route, and the server's
 * CPU per request. On a shared 2-core machine (autocannon and the server share the cores, and
 * other tenants come and go) one slice can be 15 % off its neighbours: comparing the routes
 * within a round, and rotating which route goes first (the first slice after a pause runs
 * colder), keeps that out of the ratios.
 */
export type HttpBenchResult = Record<Route, RouteResult>;

/**
 * Measures the routes of one adapter against a server in a child process. Every route
 * gets the same `Client-Cert` header, so only the guard differs. A slice with any non-2xx
 * answer or socket error aborts the run: a fast 403 must never pass for a fast 200.
 */
export async function benchAdapter(adapter: Adapter, options: HttpBenchOptions): Promise<HttpBenchResult> {
  const server = forkBench('http/bench.server.ts', [adapter]);
  try {
    const ready = await firstMessage<BenchServerReady>(server);
    const base = `http://127.0.0.1:${ready.port}/`;
    for (const route of ROUTES) await slice(base + route, ready.headers, options.warmupSeconds, options.connections);
    const slices = Object.fromEntries(ROUTES.map((r) => [r, { perSecond: [] as number[], cpu: [] as number[] }])) as Record<
      Route,
      { perSecond: number[]; cpu: number[] }
    >;
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < ROUTES.length; i++) {
        const route = ROUTES[(i + round) % ROUTES.length];
        const cpuBefore = await serverCpu(server);
        const { perSecond, total } = await slice(base + route, ready.headers, options.sliceSeconds, options.connections);
        slices[route].perSecond.push(perSecond);
        slices[route].cpu.push(((await serverCpu(server)) - cpuBefore) / total);
      }
    }
    const open = slices.open.perSecond;
    return Object.fromEntries(
      ROUTES.map((route) => {
        const { perSecond, cpu } = slices[route];
        const result: RouteResult = {
          median: median(perSecond),
          slices: perSecond,
          pairedRatio: median(perSecond.map((value, round) => value / open[round])),
          cpuUsPerRequest: median(cpu),
          cpuSlices: cpu,
        };
        return [route, result];
      }),
    ) as HttpBenchResult;
  } finally {
    await stopChild(server);
  }
}

function serverCpu(server: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const cpu = (message as { cpuMicros?: number }).cpuMicros;
      if (typeof cpu !== 'number') return;
      server.off('message', onMessage);
      resolve(cpu);
    };
    server.on('message', onMessage);
    server.send('cpu');
  });
}

async function slice(url: string, headers: Record<string, string>, seconds: number, connections: number): Promise<{ perSecond: number; total: number }> {
  const result = await autocannon({ url, headers, duration: seconds, connections, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { perSecond: result.requests.average, total: result.requests.total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (require.main === module) {
  const adapter = (process.argv[2] ?? 'fastify') as Adapter;
  benchAdapter(adapter, {
    sliceSeconds: Number(process.env.SLICE ?? 3),
    rounds: Number(process.env.ROUNDS ?? 3),
    warmupSeconds: 1,
    connections: Number(process.env.CONN ?? 10),
  })
    .then((r) => {
      for (const route of ROUTES) {
        const x = r[route];
        console.log(
          adapter,
          route,
          x.median.toFixed(0),
          x.slices.map((s) => s.toFixed(0)).join(' '),
          'paired',
          x.pairedRatio.toFixed(3),
          'cpu/req',
          x.cpuUsPerRequest.toFixed(1),
          'cpu ratio',
          (r.open.cpuUsPerRequest / x.cpuUsPerRequest).toFixed(3),
        );
      }
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
