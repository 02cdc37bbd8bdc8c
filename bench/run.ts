/**
 * `npm run bench`: every benchmark of the module in one run, each in its own child process,
 * then one table of ratios (also written to bench/results/last-run.{md,json}).
 *
 *  1. HTTP (autocannon, server in a child process): open route vs a trivial guard vs
 *     ClientCertGuard vs ClientCertPassportGuard, warm cache, on Express and Fastify. Each round
 *     measures every route once (order rotated per round); a route's req/s is the median of its
 *     slices, its ratio the median of its per-round ratios to the open route. The server (run
 *     without ts-node, see test/support/ts-source.register.js) also reports its CPU per request.
 *  2. Validation micro-benchmarks (tinybench): never-seen P-256 / RSA-2048 leaf vs the raw
 *     node:crypto verification it needs (bench/micro), and the validation owner's
 *     bench/validation.bench.ts (P-256 ratio and cache hit).
 *  3. Memory: RSS growth over 100,000 distinct certificates through the authenticator.
 *  4. Hostile chains (bench/hostile-chains.bench.ts): worst request CPU per hostile category and
 *     the event-loop delay while a flood of never-seen hostile chains hits the server.
 *
 * Environment knobs (defaults in brackets): BENCH_SLICE_SECONDS [2], BENCH_ROUNDS [10],
 * BENCH_CONNECTIONS [10], BENCH_MEMORY_COUNT [100000], BENCH_ONLY (comma list of http,micro,memory,hostile).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchAdapter, type Adapter, type HttpBenchResult } from './http/http.bench';
import type { LeafValidationResult } from './micro/leaf-validation.bench';
import { parseOwnerValidationOutput, type OwnerValidationResult } from './micro/validation-owner.result';
import type { MemoryResult } from './memory/memory.bench';
import { hostileRows, type HostileChainsResult } from './hostile-chains.bench';
import { micros, renderTable, reqPerSec, type RatioRow } from './report/ratio.table';
import { firstMessage, forkBench, runForOutput } from './support/child.process';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const only = new Set((process.env.BENCH_ONLY ?? 'http,micro,memory,hostile').split(','));
const HTTP_TARGETS: Record<Adapter, number> = { fastify: 0.9, express: 0.95 };

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function httpRows(adapter: Adapter, result: HttpBenchResult): RatioRow[] {
  const open = result.open;
  const name = adapter === 'fastify' ? 'HTTP Fastify' : 'HTTP Express';
  const target = HTTP_TARGETS[adapter];
  const versus = (route: 'trivial' | 'guarded' | 'passport', comparison: string, withTarget: boolean): RatioRow => ({
    area: name,
    comparison,
    measured: reqPerSec(result[route].median),
    reference: reqPerSec(open.median),
    // Paired: each round's slice against the open route's slice of the same round (see http.bench.ts).
    ratio: result[route].pairedRatio,
    ...(withTarget ? { target: `>= ${target.toFixed(2)}x`, pass: result[route].pairedRatio >= target } : {}),
  });
  return [
    versus('trivial', 'trivial guard (Nest floor) / open route', false),
    versus('guarded', 'ClientCertGuard (warm) / open route', true),
    versus('passport', 'ClientCertPassportGuard (warm) / open route', false),
    {
      area: name,
      comparison: 'server CPU per request: open / ClientCertGuard',
      measured: micros(result.guarded.cpuUsPerRequest),
      reference: micros(open.cpuUsPerRequest),
      ratio: open.cpuUsPerRequest / result.guarded.cpuUsPerRequest,
    },
  ];
}

function leafRows(results: readonly LeafValidationResult[]): RatioRow[] {
  return results.map((r) => ({
    area: `Validation ${r.key.toUpperCase()}`,
    comparison: 'never-seen leaf, cached intermediate / raw verify',
    measured: micros(r.validateUs),
    reference: micros(r.rawVerifyUs),
    ratio: r.validateUs / r.rawVerifyUs,
    ...(r.key === 'p-256' ? { target: '<= 1.30x', pass: r.validateUs / r.rawVerifyUs <= 1.3 } : {}),
  }));
}

function ownerRows(result: OwnerValidationResult | undefined): RatioRow[] {
  if (!result) return [{ area: 'Validation P-256', comparison: 'bench/validation.bench.ts: output not recognised', measured: '', reference: '' }];
  return [
    {
      area: 'Validation P-256',
      comparison: 'bench/validation.bench.ts: never-seen leaf / raw verify',
      measured: micros(result.validateUs),
      reference: micros(result.rawVerifyUs),
      ratio: result.validateUs / result.rawVerifyUs,
      target: '<= 1.30x',
      pass: result.validateUs / result.rawVerifyUs <= 1.3,
    },
    {
      area: 'Validation cache',
      comparison: 'bench/validation.bench.ts: cache hit / raw verify',
      measured: micros(result.cacheHitUs),
      reference: micros(result.rawVerifyUs),
      ratio: result.cacheHitUs / result.rawVerifyUs,
    },
  ];
}

function memoryRows(result: MemoryResult): RatioRow[] {
  return [
    {
      area: 'Memory',
      comparison: `RSS growth over ${result.count.toLocaleString('en')} distinct certificates`,
      measured: `${result.growthMb.toFixed(1)} MB`,
      reference: `${result.baselineMb.toFixed(0)} MB at start (mid-run max +${result.maxGrowthMb.toFixed(0)} MB)`,
      target: '< 64 MB',
      pass: result.growthMb < 64,
    },
  ];
}

async function main(): Promise<void> {
  const started = Date.now();
  const rows: RatioRow[] = [];
  const raw: Record<string, unknown> = {};
  if (only.has('http')) {
    const options = {
      sliceSeconds: env('BENCH_SLICE_SECONDS', 2),
      rounds: env('BENCH_ROUNDS', 10),
      warmupSeconds: 1,
      connections: env('BENCH_CONNECTIONS', 10),
    };
    for (const adapter of ['fastify', 'express'] as const) {
      log(`HTTP ${adapter}: open / trivial / guarded / passport, ${options.rounds} rounds of ${options.sliceSeconds} s slices`);
      const result = await benchAdapter(adapter, options);
      raw[`http_${adapter}`] = result;
      rows.push(...httpRows(adapter, result));
    }
  }
  if (only.has('micro')) {
    log('validation: P-256 and RSA-2048 never-seen leaves (bench/micro/leaf-validation.bench.ts)');
    const leaf = await firstMessage<{ results: LeafValidationResult[] }>(forkBench('micro/leaf-validation.bench.ts'));
    raw.leafValidation = leaf.results;
    rows.push(...leafRows(leaf.results));
    log("validation: the validation owner's bench/validation.bench.ts");
    const owner = parseOwnerValidationOutput(await runForOutput('validation.bench.ts'));
    raw.ownerValidation = owner;
    rows.push(...ownerRows(owner));
  }
  if (only.has('memory')) {
    log(`memory: ${env('BENCH_MEMORY_COUNT', 100_000)} distinct certificates through the authenticator`);
    const memory = await firstMessage<MemoryResult>(forkBench('memory/memory.bench.ts', [], ['--expose-gc']));
    raw.memory = memory;
    rows.push(...memoryRows(memory));
  }

  if (only.has('hostile')) {
    log('hostile chains: worst request CPU per category, event-loop delay under a flood (bench/hostile-chains.bench.ts)');
    const hostile = await firstMessage<HostileChainsResult>(forkBench('hostile-chains.bench.ts'));
    raw.hostile = hostile;
    rows.push(...hostileRows(hostile));
  }

  const table = renderTable(rows);
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  const summary = `${table}\n\n${machine}; ${new Date().toISOString()}; ${((Date.now() - started) / 1000).toFixed(0)} s`;
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'last-run.md'), `${summary}\n`);
  writeFileSync(join(out, 'last-run.json'), `${JSON.stringify({ machine, date: new Date().toISOString(), rows, raw }, null, 2)}\n`);
  console.log(`\n${summary}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
