import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { firstMessage, forkBench, stopChild } from '../support/child.process';
import type { BenchPki } from './bench.pki';
import type { BenchServerReady } from './bench.server';

export type Adapter = 'express' | 'fastify';
export const ROUTES = ['open', 'trivial', 'guarded', 'passport', 'hand-written', 'raw-verify'] as const;
export type Route = (typeof ROUTES)[number];
/** Routes behind a certificate check: in the flood they must refuse every request. */
const CHECKING: ReadonlySet<Route> = new Set(['guarded', 'passport', 'hand-written', 'raw-verify']);

/**
 * What the requests carry. `warm`: the one known certificate on every request (`pki` absent: the
 * server's own PKI). `cold`: every request a different valid, enrolled certificate. `flood`: every
 * request a different certificate from an untrusted signer (open and trivial answer 200, every
 * checking route must refuse with a 4xx).
 */
export interface HttpScenario {
  readonly name: 'warm' | 'cold' | 'flood';
  readonly pki?: BenchPki;
}

export interface HttpBenchOptions {
  /** Seconds per measured slice. */
  readonly sliceSeconds: number;
  /** Rounds; each measures every route once, in an order rotated by one per round and reversed every other round. */
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** @default every route of ROUTES */
  readonly routes?: readonly Route[];
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
  /**
   * Cold and flood: requests that carried a certificate this route had already been sent (the
   * pool ran out and wrapped around); 0 means every request was a never-seen certificate.
   */
  readonly repeats: number;
}

/**
 * Per route: median req/s, the median of per-round ratios to the open route, and the server's
 * CPU per request. On a shared 2-core machine (autocannon and the server share the cores, and
 * other tenants come and go) one slice can be 15 % off its neighbours: comparing the routes
 * within a round, and rotating which route goes first (the first slice after a pause runs
 * colder), keeps that out of the ratios.
 */
export type HttpBenchResult = Partial<Record<Route, RouteResult>> & { readonly open: RouteResult };

/**
 * Measures the routes of one adapter against a server in a child process. Every route gets the
 * same `Client-Cert` headers (in cold and flood, the same sequence of certificates, each route
 * walking it from the start), so only the guard differs. A slice with an unexpected status or a
 * socket error aborts the run: a fast 403 must never pass for a fast 200, nor a 500 for a 403.
 */
export async function benchAdapter(adapter: Adapter, options: HttpBenchOptions, scenario: HttpScenario = { name: 'warm' }): Promise<HttpBenchResult> {
  const routes = options.routes ?? ROUTES;
  if (!routes.includes('open')) throw new Error('http bench: the open route is the reference of every ratio');
  const server = forkBench('http/bench.server.ts', scenario.pki ? [adapter, scenario.pki.dir] : [adapter]);
  try {
    const ready = await firstMessage<BenchServerReady>(server);
    const base = `http://127.0.0.1:${ready.port}/`;
    const pool = scenario.name === 'warm' ? undefined : scenario.pki?.[scenario.name];
    const load = Object.fromEntries(routes.map((r) => [r, new RouteLoad(base + r, ready.headers, pool, expectRefusal(scenario, r))])) as Record<
      Route,
      RouteLoad
    >;
    for (const route of routes) await load[route].slice(options.warmupSeconds, options.connections);
    const slices = Object.fromEntries(routes.map((r) => [r, { perSecond: [] as number[], cpu: [] as number[] }])) as Record<
      Route,
      { perSecond: number[]; cpu: number[] }
    >;
    // Rotated by one per round, and reversed every other round: in a fixed cyclic order each route
    // always ran right after the same one (the open route after the hand-written guard, leaving
    // it that guard's X.509 garbage to collect), a bias no ratio could show.
    const reversed = [...routes].reverse();
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? routes : reversed;
      for (let i = 0; i < order.length; i++) {
        const route = order[(i + round) % order.length];
        const cpuBefore = await serverCpu(server);
        const { perSecond, total } = await load[route].slice(options.sliceSeconds, options.connections);
        slices[route].perSecond.push(perSecond);
        slices[route].cpu.push(((await serverCpu(server)) - cpuBefore) / total);
      }
    }
    const open = slices.open.perSecond;
    return Object.fromEntries(
      routes.map((route) => {
        const { perSecond, cpu } = slices[route];
        const result: RouteResult = {
          median: median(perSecond),
          slices: perSecond,
          pairedRatio: pairedRatio(perSecond, open),
          cpuUsPerRequest: median(cpu),
          cpuSlices: cpu,
          repeats: load[route].repeats,
        };
        return [route, result];
      }),
    ) as HttpBenchResult;
  } finally {
    await stopChild(server);
  }
}

/** Median over rounds of `slices[round] / reference[round]`: two routes compared within each round. */
export function pairedRatio(slices: readonly number[], reference: readonly number[]): number {
  return median(slices.map((value, round) => value / reference[round]));
}

/**
 * Median over rounds of what `route` costs above `base` over what `reference` costs above it, each
 * round's CPU per request against the same round's (`cpuSlices`): a slow phase of the host moves
 * all three alike. Rounds where `reference` is not above `base` (noise) are left out; none left: NaN.
 */
export function pairedCpuAbove(route: RouteResult, reference: RouteResult, base: RouteResult): number {
  const ratios: number[] = [];
  route.cpuSlices.forEach((cpu, round) => {
    const floor = reference.cpuSlices[round] - base.cpuSlices[round];
    if (floor > 0) ratios.push((cpu - base.cpuSlices[round]) / floor);
  });
  return ratios.length === 0 ? Number.NaN : median(ratios);
}

function expectRefusal(scenario: HttpScenario, route: Route): boolean {
  return scenario.name === 'flood' && CHECKING.has(route);
}

/**
 * The load on one route. With a pool (cold, flood) each request takes the route's next
 * certificate, shared by all connections, so a route never sees one twice until the pool wraps.
 */
class RouteLoad {
  private next = 0;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly pool: readonly string[] | undefined,
    private readonly refuse: boolean,
  ) {}

  get repeats(): number {
    return this.pool ? Math.max(0, this.next - this.pool.length) : 0;
  }

  async slice(seconds: number, connections: number): Promise<{ perSecond: number; total: number }> {
    const pool = this.pool;
    const requests = pool
      ? [
          {
            method: 'GET' as const,
            setupRequest: (request: autocannon.Request) => ({ ...request, headers: { ...request.headers, 'client-cert': pool[this.next++ % pool.length] } }),
          },
        ]
      : undefined;
    const result = await autocannon({ url: this.url, headers: this.headers, requests, duration: seconds, connections, pipelining: 1 });
    const wrong = this.refuse ? result['2xx'] + result['5xx'] : result.non2xx;
    if (wrong > 0 || result.errors > 0 || result.timeouts > 0 || (this.refuse && result['4xx'] !== result.requests.total)) {
      throw new Error(
        `${this.url}: expected ${this.refuse ? '4xx' : '2xx'}; ${result['2xx']} 2xx, ${result['4xx']} 4xx, ${result['5xx']} 5xx, ${result.errors} errors, ${result.timeouts} timeouts`,
      );
    }
    return { perSecond: result.requests.average, total: result.requests.total };
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
        if (!x) continue;
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
