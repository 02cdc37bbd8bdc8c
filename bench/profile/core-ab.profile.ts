/**
 * Scratch profiler (not part of `npm run bench`): the core's cold path (ClientCertGuard ->
 * authenticator -> validation -> principal), with an in-memory registry that answers at once,
 * so what is measured is the core alone. With BASE set to another checkout's
 * `libs/core/src/index.ts` (a `git worktree` inside this repository, so that it resolves the
 * same node_modules), runs that core and this one side by side in one process, in alternating
 * rounds of never-seen certificates: a loaded host slows both alike and the ratio holds.
 *
 *   git worktree add .bench-base <commit>
 *   BASE=.bench-base/libs/core/src/index.ts npm run bench:file bench/profile/core-ab.profile.ts
 *
 * Env: KEY (p-256 | rsa-2048), MODE (cold | flood), ADAPTER (fastify | express), N (8000), ROUNDS (8);
 * PROFILE=1 (without BASE): a CPU profile of the rounds after the first, summarized per request.
 */
import { verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { BENCH_SPIFFE_ID, createBenchPki, type BenchKey } from '../http/bench.pki';
import { startProfile } from './cpuprofile.summary';

type Core = typeof import('@client-cert-auth/core');

const KEY = (process.env.KEY ?? 'p-256') as BenchKey;
const MODE = (process.env.MODE ?? 'cold') as 'cold' | 'flood';
const ADAPTER = process.env.ADAPTER ?? 'fastify';
const N = Number(process.env.N ?? 8000);
const ROUNDS = Number(process.env.ROUNDS ?? 8);

class Routes {
  guarded(): void {}
}

/** A guard over `core` with a registry that binds every bench leaf (by its SPIFFE ID) without I/O. */
function guardOf(core: Core, dir: string): { canActivate(context: unknown): unknown } {
  const match = {
    account: Object.freeze({ id: 'a1', name: 'bench-app', status: 'active' as const, roles: Object.freeze(['bench']) }),
    binding: Object.freeze({ id: 'b1', kind: 'san-uri' as const, value: BENCH_SPIFFE_ID }),
  };
  class MemoryRegistry extends core.ClientCertRegistry {
    async resolve(principal: { san: { uri: readonly string[] } }) {
      return principal.san.uri[0] === BENCH_SPIFFE_ID ? match : null;
    }
    async isDenied() {
      return false;
    }
    override generation() {
      return 0;
    }
  }
  const options = core.resolveOptions({
    proxies: [{ name: 'waf', from: ['127.0.0.1/32'], format: 'rfc9440' }],
    trustAnchors: { files: [join(dir, 'root.pem')], intermediateFiles: [join(dir, 'intermediate.pem')] },
    revocation: { mode: 'off' },
    // CACHE_ENTRIES: the verdict and warm caches' size (0: off), to see what holding cold results costs.
    ...(process.env.CACHE_ENTRIES ? { cache: { maxEntries: Number(process.env.CACHE_ENTRIES) } } : {}),
  });
  const authenticator = new core.ClientCertAuthenticator(options, new MemoryRegistry() as never);
  return new core.ClientCertGuard(authenticator, new Reflector(), new core.ClientCertResponseHints(options));
}

const socket = { remoteAddress: '127.0.0.1', server: { maxHeadersCount: null } };
function contextFor(header: string): ExecutionContextHost {
  const message = { rawHeaders: ['Host', 'x', 'Client-Cert', header], socket, method: 'GET', url: '/guarded' };
  const args =
    ADAPTER === 'express' ? [message, { locals: {}, setHeader: () => undefined, header: () => undefined }] : [{ raw: message }, { header: () => undefined }];
  return new ExecutionContextHost(args, Routes, Routes.prototype.guarded);
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const pki = createBenchPki(KEY, N);
  const pool = MODE === 'cold' ? pki.cold : pki.flood;
  const current = require(resolve(__dirname, '../../libs/core/src/index.ts')) as Core;
  const sides: [string, Core][] = [['this', current]];
  if (process.env.BASE) sides.unshift(['base', require(resolve(process.env.BASE)) as Core]);
  const guards = sides.map(([name, core]) => [name, guardOf(core, pki.dir)] as const);
  const intermediate = new X509Certificate(readFileSync(join(pki.dir, 'intermediate.pem')));
  const per = Math.floor(N / ((ROUNDS + 1) * (guards.length + 1 + (process.env.STEPS ? 6 : 0))));
  let next = 0;
  const cpu: Record<string, number[]> = {};
  const run = async (name: string, f: (header: string) => unknown) => {
    const from = next;
    next += per;
    const started = process.cpuUsage();
    for (let i = from; i < from + per; i++) {
      try {
        await f(pool[i]);
      } catch {
        // the flood's refusals are the measured outcome
      }
    }
    const used = process.cpuUsage(started);
    (cpu[name] ??= []).push((used.user + used.system) / per);
  };
  // Two guards request by request (A, B, A, B...), each one's CPU summed over its own requests:
  // a change in the host's load between two rows can no longer favour one side.
  const runPaired = async (order: readonly (readonly [string, { canActivate(context: unknown): unknown }])[]) => {
    const from = next;
    next += 2 * per;
    const sums = [0, 0];
    for (let i = from; i < from + 2 * per; i++) {
      const side = i % 2;
      const started = process.cpuUsage();
      try {
        await order[side][1].canActivate(contextFor(pool[i]));
      } catch {
        // the flood's refusals are the measured outcome
      }
      const used = process.cpuUsage(started);
      sums[side] += used.user + used.system;
    }
    order.forEach(([name], side) => (cpu[name] ??= []).push(sums[side] / per));
  };
  const ec = KEY === 'p-256';
  // One raw node:crypto verification of the leaf by the intermediate's key, the floor (leaves parsed beforehand).
  const leaves = new Map(pool.map((h) => [h, current.parseCertificate(Buffer.from(h.slice(1, -1), 'base64'))]));
  const rawVerify = (header: string) => {
    const leaf = leaves.get(header)!;
    return verify('sha256', leaf.tbsDer, ec ? { key: intermediate.publicKey, dsaEncoding: 'der' } : intermediate.publicKey, leaf.signature);
  };
  console.log(
    `${MODE} ${KEY} ${ADAPTER}: ${per} never-seen certificates per row and round, ${ROUNDS} rounds; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  // STEPS=1: each step of the cold path alone, on this core, each over never-seen certificates.
  const a = (guards[guards.length - 1][1] as unknown as { authenticator: Record<string, any> }).authenticator;
  const parsedLeaves = new Map<string, any>();
  const validated = new Map<string, any>();
  const at = new Date();
  const steps = async (step: typeof run) => {
    await step('step extract', (h) => a.proxies.extract({ rawHeaders: ['Client-Cert', h], remoteAddress: '127.0.0.1' }));
    await step('step verdict key', (h) => a.verdicts.keyFor('waf', leaves.get(h)!.der, []));
    await step('step parse', (h) => parsedLeaves.set(h, current.parseCertificate(Buffer.from(h.slice(1, -1), 'base64'))));
    for (const [h, leaf] of parsedLeaves) validated.set(h, a.validator.validate(leaf, [], { at }));
    await step('step validate (parsed)', (h) => a.validator.validate(current.parseCertificate(Buffer.from(h.slice(1, -1), 'base64')), [], { at }));
    await step('step parse again (to subtract)', (h) => current.parseCertificate(Buffer.from(h.slice(1, -1), 'base64')));
    if (MODE === 'cold') {
      const paths = [...validated.values()].map((r) => r.path);
      let k = 0;
      await step('step createPrincipal', () => current.createPrincipal(paths[k++ % paths.length], { profile: 'waf', format: 'rfc9440' }));
    }
    parsedLeaves.clear();
    validated.clear();
  };
  let profiler: Awaited<ReturnType<typeof startProfile>> | undefined;
  for (let round = 0; round <= ROUNDS; round++) {
    if (round === 1 && process.env.PROFILE && !process.env.BASE) profiler = await startProfile();
    // Alternate the order each round; round 0 is the JIT's warm-up and is dropped.
    const order = round % 2 === 0 ? guards : [...guards].reverse();
    if (order.length === 2) await runPaired(order);
    else for (const [name, guard] of order) await run(name, (header) => guard.canActivate(contextFor(header)));
    await run('raw verify', rawVerify);
    if (process.env.STEPS) await steps(run);
  }
  // Every row of a round is profiled, the raw verification too: per request of the guard, it counts once.
  await profiler?.stopAndPrint(per * ROUNDS);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = Object.entries(cpu).map(([name, xs]) => [name, median(xs.slice(1))] as const);
  for (const [name, us] of rows) console.log(`  ${name.padEnd(22)} ${us.toFixed(1).padStart(7)} µs CPU per request (median of rounds)`);
  if (guards.length === 2) {
    const ratios = cpu.this.slice(1).map((t, i) => t / cpu.base[i + 1]);
    console.log(`  this / base: median ${median(ratios).toFixed(3)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(' ')})`);
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
