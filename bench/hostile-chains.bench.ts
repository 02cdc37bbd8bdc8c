/**
 * Hostile chains (issue 13, finding 2): what never-seen hostile certificate chains cost a real
 * HTTP server (the bench app: rfc9440 profile, SQLite registry, revocation off) on 127.0.0.1,
 * in a child process, over an RSA PKI (RSA-3072 root and intermediate, RSA-2048 client: junk
 * RSA CAs are only ever tried against RSA signatures).
 *
 *  1. Per category (bench/hostile/hostile.corpus.ts), HOSTILE_REQUESTS sequential requests with
 *     fresh bytes each: the server's CPU time per request (process.cpuUsage read over IPC just
 *     before and after each request; includes HTTP handling), median and worst. Three requests
 *     of every category go first, unmeasured: the first use of a code path (JIT, lazy requires)
 *     is start-up cost, not what a flood costs.
 *  2. A flood: HOSTILE_CONNECTIONS connections send pre-built never-seen hostile requests
 *     (all categories in turn) for HOSTILE_FLOOD_SECONDS or HOSTILE_FLOOD_MAX requests, whichever
 *     ends first, while a genuine client sends a request every 20 ms; the server's event-loop
 *     delay (monitorEventLoopDelay, 1 ms resolution) over the flood and the genuine requests'
 *     latency as the client sees it. The same genuine traffic without the flood, just before it,
 *     gives the machine's own floor for both figures (on a shared machine it is not zero).
 *
 * Goals: no request over 20 ms of CPU; event-loop delay p99 under 50 ms during the flood.
 * Run: npx ts-node --transpile-only -r tsconfig-paths/register bench/hostile-chains.bench.ts
 * (or BENCH_ONLY=hostile npm run bench). Prints a Markdown table; exits 0 whatever it measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { type DevPki, issueCertificate, writeDevPki } from '@client-cert-auth/dev-pki';
import { type HostileRequest, hostileCategories } from './hostile/hostile.corpus';
import type { LoopDelay } from './hostile/hostile.server';
import { renderTable, type RatioRow } from './report/ratio.table';
import { firstMessage, forkBench, stopChild } from './support/child.process';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const REQUESTS = env('HOSTILE_REQUESTS', 30);
const FLOOD_SECONDS = env('HOSTILE_FLOOD_SECONDS', 10);
const FLOOD_MAX = env('HOSTILE_FLOOD_MAX', 2000);
const CONNECTIONS = env('HOSTILE_CONNECTIONS', 4);
const GENUINE_EVERY_MS = 20;
const CPU_GOAL_MS = 20;
const LOOP_GOAL_MS = 50;

export interface CategoryResult {
  readonly name: string;
  readonly description: string;
  readonly statuses: Record<string, number>;
  readonly medianCpuMs: number;
  readonly worstCpuMs: number;
  /** GC pauses of 10 ms or more in the server while this category was measured. */
  readonly longGc: { readonly count: number; readonly longestMs: number };
}

export interface GenuineTraffic {
  readonly genuine: { readonly count: number; readonly ok: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  readonly loop: LoopDelay;
}

export interface FloodResult {
  readonly hostileSent: number;
  readonly seconds: number;
  /** Server CPU per hostile request over the flood, µs (genuine requests included, they are a few %). */
  readonly cpuPerRequestUs: number;
  readonly baseline: GenuineTraffic;
  readonly genuine: { readonly count: number; readonly ok: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  readonly loop: LoopDelay;
}

export interface HostileChainsResult {
  readonly categories: CategoryResult[];
  readonly flood: FloodResult;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const byteSequence = (der: Buffer) => `:${der.toString('base64')}:`;

function headersOf(req: HostileRequest): Record<string, string> {
  return req.chain.length
    ? { 'client-cert': byteSequence(req.leaf), 'client-cert-chain': req.chain.map(byteSequence).join(', ') }
    : { 'client-cert': byteSequence(req.leaf) };
}

/** One message of the child whose payload has `key`. */
function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (reply: Record<string, unknown>) => {
      if (reply && key in reply) {
        child.off('message', onMessage);
        resolve(reply[key] as T);
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

/** One GET /guarded. A keep-alive socket the server closed meanwhile is retried once on a new one; status 0 is a transport error. */
function send(port: number, agent: Agent, headers: Record<string, string>, retry = true): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/guarded', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', () => {
      if (retry && req.reusedSocket) resolve(send(port, agent, headers, false));
      else resolve({ status: 0, ms: performance.now() - started });
    });
    req.end();
  });
}

/** root (RSA-3072) -> intermediate (RSA-3072) -> the genuine client (RSA-2048), as createDevPki names them. */
function rsaPki(): DevPki {
  const root = issueCertificate({ subject: 'CN=Bench Root CA,O=Bench', ca: { pathLen: 1 }, key: 'rsa-3072' });
  const intermediate = issueCertificate({ subject: 'CN=Bench Intermediate CA,O=Bench', issuer: root, ca: { pathLen: 0 }, key: 'rsa-3072' });
  const bench = issueCertificate({ subject: 'CN=bench,O=Bench Clients', issuer: intermediate, key: 'rsa-2048', san: { uri: ['spiffe://bench.local/client'] } });
  return { root, intermediate, clients: { bench } };
}

export async function runHostileChains(): Promise<HostileChainsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cca-hostile-'));
  const pki = rsaPki();
  writeDevPki(dir, pki);
  const categories = hostileCategories(pki, pki.clients.bench);
  const server = forkBench('hostile/hostile.server.ts', [dir], ['--expose-gc']);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS + 1 });
  try {
    const { port } = await firstMessage<{ port: number }>(server);
    const genuine = headersOf({ leaf: pki.clients.bench.der, chain: [] });
    for (let n = 0; n < 20; n++) {
      const { status } = await send(port, agent, genuine);
      if (status !== 200) throw new Error(`bench setup: the genuine client got ${status}`);
    }

    for (const category of categories) for (let n = 0; n < 3; n++) await send(port, agent, headersOf(category.next()));
    const results: CategoryResult[] = [];
    for (const category of categories) {
      await ask(server, 'gc', 'gc');
      const cpu: number[] = [];
      const statuses: Record<string, number> = {};
      for (let n = 0; n < REQUESTS; n++) {
        const headers = headersOf(category.next());
        const before = await ask<number>(server, 'cpu', 'cpuMicros');
        const { status } = await send(port, agent, headers);
        const after = await ask<number>(server, 'cpu', 'cpuMicros');
        cpu.push((after - before) / 1000);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      const longGc = await ask<{ count: number; longestMs: number }>(server, 'gc', 'gc');
      results.push({
        name: category.name,
        description: category.description,
        statuses,
        medianCpuMs: percentile(cpu, 50),
        worstCpuMs: Math.max(...cpu),
        longGc,
      });
    }

    // The flood: requests built before it starts, so building them does not compete with the server.
    const pending = Array.from({ length: FLOOD_MAX }, (_, n) => headersOf(categories[n % categories.length].next()));
    const genuineOnly = async (seconds: number): Promise<GenuineTraffic> => {
      await ask(server, 'loop-reset', 'reset');
      const latency: number[] = [];
      let ok = 0;
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        const { status, ms } = await send(port, agent, genuine);
        latency.push(ms);
        if (status === 200) ok++;
        await new Promise((resolve) => setTimeout(resolve, GENUINE_EVERY_MS));
      }
      const loop = await ask<LoopDelay>(server, 'loop', 'delay');
      return { genuine: { count: latency.length, ok, p50Ms: percentile(latency, 50), p99Ms: percentile(latency, 99), maxMs: Math.max(...latency) }, loop };
    };
    await ask(server, 'gc', 'gc');
    const baseline = await genuineOnly(Math.min(FLOOD_SECONDS, 5));
    await ask(server, 'loop-reset', 'reset');
    const cpuBefore = await ask<number>(server, 'cpu', 'cpuMicros');
    const started = performance.now();
    const deadline = started + FLOOD_SECONDS * 1000;
    let hostileSent = 0;
    const hostileWorker = async () => {
      while (pending.length && performance.now() < deadline) {
        await send(port, agent, pending.shift()!);
        hostileSent++;
      }
    };
    const genuineLatency: number[] = [];
    let genuineOk = 0;
    const genuineWorker = async () => {
      const genuineAgent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (performance.now() < deadline && (pending.length || hostileSent === 0)) {
        const { status, ms } = await send(port, genuineAgent, genuine);
        genuineLatency.push(ms);
        if (status === 200) genuineOk++;
        await new Promise((resolve) => setTimeout(resolve, GENUINE_EVERY_MS));
      }
      genuineAgent.destroy();
    };
    await Promise.all([...Array.from({ length: CONNECTIONS }, hostileWorker), genuineWorker()]);
    const seconds = (performance.now() - started) / 1000;
    const loop = await ask<LoopDelay>(server, 'loop', 'delay');
    const cpuPerRequestUs = ((await ask<number>(server, 'cpu', 'cpuMicros')) - cpuBefore) / Math.max(1, hostileSent + genuineLatency.length);
    return {
      categories: results,
      flood: {
        hostileSent,
        seconds,
        cpuPerRequestUs,
        baseline,
        genuine: {
          count: genuineLatency.length,
          ok: genuineOk,
          p50Ms: percentile(genuineLatency, 50),
          p99Ms: percentile(genuineLatency, 99),
          maxMs: Math.max(...genuineLatency),
        },
        loop,
      },
    };
  } finally {
    agent.destroy();
    await stopChild(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

/** The result as rows of the bench table. */
export function hostileRows(result: HostileChainsResult): RatioRow[] {
  const rows: RatioRow[] = result.categories.map((c) => ({
    area: 'Hostile chains',
    comparison: `${c.name}: worst request CPU (median ${ms(c.medianCpuMs)}; ${Object.entries(c.statuses)
      .map(([s, n]) => `${n}x ${s}`)
      .join(', ')}; GC pauses >= 10 ms: ${c.longGc.count}${c.longGc.count ? `, longest ${ms(c.longGc.longestMs)}` : ''})`,
    measured: ms(c.worstCpuMs),
    reference: `${CPU_GOAL_MS} ms`,
    ratio: c.worstCpuMs / CPU_GOAL_MS,
    target: `< ${CPU_GOAL_MS} ms`,
    pass: c.worstCpuMs < CPU_GOAL_MS,
  }));
  const f = result.flood;
  const b = f.baseline;
  rows.push(
    {
      area: 'Baseline',
      comparison: `genuine traffic alone (same cadence, before the flood): event-loop delay p99 (p50 ${ms(b.loop.p50)}, max ${ms(b.loop.max)})`,
      measured: ms(b.loop.p99),
      reference: '',
    },
    {
      area: 'Baseline',
      comparison: `genuine traffic alone: client latency p99 (p50 ${ms(b.genuine.p50Ms)}, max ${ms(b.genuine.maxMs)}; ${b.genuine.ok}/${b.genuine.count} answered 200)`,
      measured: ms(b.genuine.p99Ms),
      reference: '',
    },
    {
      area: 'Hostile flood',
      comparison: `event-loop delay p99 (p50 ${ms(f.loop.p50)}, max ${ms(f.loop.max)}) over ${f.hostileSent} hostile requests in ${f.seconds.toFixed(1)} s, ${CONNECTIONS} connections, server CPU ${ms(f.cpuPerRequestUs / 1000)}/request`,
      measured: ms(f.loop.p99),
      reference: `${LOOP_GOAL_MS} ms`,
      ratio: f.loop.p99 / LOOP_GOAL_MS,
      target: `< ${LOOP_GOAL_MS} ms`,
      pass: f.loop.p99 < LOOP_GOAL_MS,
    },
    {
      area: 'Hostile flood',
      comparison: `genuine client latency p99 (p50 ${ms(f.genuine.p50Ms)}, max ${ms(f.genuine.maxMs)}; ${f.genuine.ok}/${f.genuine.count} answered 200)`,
      measured: ms(f.genuine.p99Ms),
      reference: '',
    },
  );
  return rows;
}

async function main(): Promise<void> {
  const result = await runHostileChains();
  if (process.send) {
    process.send(result);
    return;
  }
  console.log(renderTable(hostileRows(result)));
  console.log(`\n${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; ${new Date().toISOString()}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
