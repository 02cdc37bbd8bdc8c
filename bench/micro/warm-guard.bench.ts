/**
 * ClientCertGuard's warm hit against the trivial guard of bench/http (returns `true`), on
 * Fastify-shaped requests, in one process, alternating rounds: what the guard itself costs per
 * request, without the HTTP stack and its noise around it. Unlike guard-context-type.bench.ts,
 * every call gets a fresh request, reply, header string and execution context, as over HTTP
 * (Nest builds a context per request, the HTTP parser a string per header), so the figure
 * includes the property it adds to the request and the full comparison of the certificate
 * header; and the app is built by NestFactory, not @nestjs/testing, whose logger would make the
 * decision log write every accepted decision (~35 % of the guard's time in a profile) where a
 * production logger at its default levels writes none. Run:
 *
 *   npm run bench:file bench/micro/warm-guard.bench.ts
 */
import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/internal';
import { ClientCertGuard } from '@client-cert-auth/core';
import { TrivialGuard } from '../http/trivial.guard';
import { aliceGuardApp } from '../support/alice-guard.app';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const CALLS = 5000;
/** Rounds run first and not counted: the JIT's first rounds are 10-100x slower. */
const WARMUP_ROUNDS = 5;

class BenchController {
  guarded(): void {}
}

/** Shaped like Fastify's request (fields set by its constructor) with Node's message under `raw`. */
class FastifyLikeRequest {
  readonly id = 'req-1';
  readonly params = {};
  readonly query = {};
  readonly body = undefined;
  constructor(readonly raw: { rawHeaders: string[]; socket: object; method: string; url: string }) {}
}

/** Shaped like Fastify's reply: its own header store, `header()`, no `setHeader`. */
class FastifyLikeReply {
  readonly headers: Record<string, string> = {};
  header(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
}

async function main(): Promise<void> {
  const bench = aliceGuardApp('cca-warm-guard');
  const { pki } = bench;
  // NestFactory, not @nestjs/testing: the testing logger would make the decision log write every
  // accepted decision, which a production app's logger at its default levels never does.
  const app = await NestFactory.createApplicationContext({ module: class WarmGuardBenchModule {}, imports: bench.imports }, { logger: ['error'] });
  await bench.enroll(app);

  const guards = {
    ClientCertGuard: app.get(ClientCertGuard),
    'trivial guard': new TrivialGuard(),
  };
  const headerBytes = Buffer.from(`:${pki.clients.alice.der.toString('base64')}:`, 'latin1');
  const socket = { remoteAddress: '127.0.0.1', server: { maxHeadersCount: null } };
  const contexts = (): ExecutionContext[] =>
    Array.from({ length: CALLS }, () => {
      // A new flat string per request, as the HTTP parser makes: the warm key compares it in full.
      const rawHeaders = ['host', 'bench', 'client-cert', headerBytes.toString('latin1')];
      const request = new FastifyLikeRequest({ rawHeaders, socket, method: 'GET', url: '/guarded' });
      const host = new ExecutionContextHost([request, new FastifyLikeReply(), () => undefined], BenchController, BenchController.prototype.guarded);
      host.setType('http');
      return host as unknown as ExecutionContext;
    });
  // Cold until the warm entry exists (admitted on its second success; the registry answers async).
  for (let i = 0; i < 50 && app.get(ClientCertGuard).canActivate(contexts()[0]) !== true; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (app.get(ClientCertGuard).canActivate(contexts()[0]) !== true) throw new Error('not warm');

  const ns: Record<string, number[]> = Object.fromEntries(Object.keys(guards).map((name) => [name, []]));
  for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
    const order = Object.entries(guards);
    for (const [name, guard] of round % 2 === 0 ? order : order.reverse()) {
      const batch = contexts();
      const started = process.hrtime.bigint();
      for (const context of batch) if (guard.canActivate(context) !== true) throw new Error(`${name}: not a warm hit`);
      if (round >= 0) ns[name].push(Number(process.hrtime.bigint() - started) / CALLS);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const [guarded, trivial] = Object.values(ns);
  for (const [name, values] of Object.entries(ns))
    // The fastest round is the guard's own cost; the others add whatever else ran on the host.
    console.log(
      `${name}: fastest round ${Math.min(...values).toFixed(0)} ns, median ${median(values).toFixed(0)} ns per call (rounds: ${values.map((v) => v.toFixed(0)).join(', ')})`,
    );
  // Paired per round (back to back): robust to the host's load changing between rounds.
  console.log(
    `ClientCertGuard - trivial guard: fastest rounds ${(Math.min(...guarded) - Math.min(...trivial)).toFixed(0)} ns, median of per-round differences ${median(guarded.map((v, i) => v - trivial[i])).toFixed(0)} ns per call`,
  );
  await app.close();
  bench.dispose();
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
