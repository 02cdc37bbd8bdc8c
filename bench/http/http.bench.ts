import autocannon from 'autocannon';
import { firstMessage, forkBench, stopChild } from '../support/child.process';
import type { BenchServerReady } from './bench.server';

export type Adapter = 'express' | 'fastify';
export const ROUTES = ['open', 'guarded', 'passport'] as const;
export type Route = (typeof ROUTES)[number];

export interface HttpBenchOptions {
  /** Seconds per measured slice. */
  readonly sliceSeconds: number;
  /** Slices per route, interleaved open/guarded/passport so background load hits all alike. */
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

/** Median req/s of each route, plus every slice for the record. */
export type HttpBenchResult = Record<Route, { median: number; slices: number[] }>;

/**
 * Measures the three routes of one adapter against a server in a child process. Every route
 * gets the same `Client-Cert` header, so only the guard differs. A slice with any non-2xx
 * answer or socket error aborts the run: a fast 403 must never pass for a fast 200.
 */
export async function benchAdapter(adapter: Adapter, options: HttpBenchOptions): Promise<HttpBenchResult> {
  const server = forkBench('http/bench.server.ts', [adapter]);
  try {
    const ready = await firstMessage<BenchServerReady>(server);
    const base = `http://127.0.0.1:${ready.port}/`;
    for (const route of ROUTES) await slice(base + route, ready.headers, options.warmupSeconds, options.connections);
    const result = Object.fromEntries(ROUTES.map((r) => [r, { median: 0, slices: [] as number[] }])) as HttpBenchResult;
    for (let round = 0; round < options.rounds; round++) {
      for (const route of ROUTES) {
        result[route].slices.push(await slice(base + route, ready.headers, options.sliceSeconds, options.connections));
      }
    }
    for (const route of ROUTES) result[route].median = median(result[route].slices);
    return result;
  } finally {
    await stopChild(server);
  }
}

async function slice(url: string, headers: Record<string, string>, seconds: number, connections: number): Promise<number> {
  const result = await autocannon({ url, headers, duration: seconds, connections, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return result.requests.average;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (require.main === module) {
  const adapter = (process.argv[2] ?? 'fastify') as Adapter;
  benchAdapter(adapter, { sliceSeconds: Number(process.env.SLICE ?? 3), rounds: Number(process.env.ROUNDS ?? 3), warmupSeconds: 1, connections: Number(process.env.CONN ?? 10) })
    .then((r) => {
      for (const route of ROUTES) console.log(adapter, route, r[route].median.toFixed(0), r[route].slices.map((s) => s.toFixed(0)).join(' '), (r[route].median / r.open.median).toFixed(3));
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
