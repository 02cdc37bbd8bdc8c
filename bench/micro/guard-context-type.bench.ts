/**
 * Cost of the context-type check `ClientCertGuard.canActivate` gained for WebSocket gateways
 * (issue 15): the guard as it is, against a copy of its 0.2.0 HTTP-only `canActivate`, on the
 * same warm certificate, in one process, alternating rounds (the HTTP bench cannot resolve a few
 * nanoseconds on a shared host). The request and response are plain objects shaped like
 * Express's, so the figure is the guard's own work. Run:
 *
 *   npm run bench:file bench/micro/guard-context-type.bench.ts
 */
import 'reflect-metadata';
import type { ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/internal';
import { Test } from '@nestjs/testing';
import { Bench } from 'tinybench';
import { ClientCertAuthenticator, ClientCertGuard, ClientCertResponseHints, type AuthenticatedClient, type ForwardedRequest } from '@client-cert-auth/core';
import {
  attachClient,
  forbidSharedCaching,
  toForwardedRequest,
  type HttpRequestLike,
  type HttpResponseLike,
} from '../../libs/core/src/authentication/request.adapter';
import { toHttpException } from '../../libs/core/src/guards/http-error.mapper';
import { RouteMetadataCache } from '../../libs/core/src/guards/route-metadata.cache';
import { aliceGuardApp } from '../support/alice-guard.app';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BATCH = 200;

/** `ClientCertGuard` of 0.2.0, line for line: no context-type check. */
class HttpOnlyGuard {
  private readonly routes: RouteMetadataCache;
  constructor(
    private readonly authenticator: ClientCertAuthenticator,
    reflector: Reflector,
    private readonly hints: ClientCertResponseHints,
  ) {
    this.routes = new RouteMetadataCache(reflector);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routes.for(context);
    if (route.skip) return true;
    const request = context.getArgByIndex<HttpRequestLike>(0);
    const response = context.getArgByIndex<HttpResponseLike>(1);
    forbidSharedCaching(response);
    const forwarded = toForwardedRequest(request);
    let client: AuthenticatedClient | undefined;
    try {
      client = this.authenticator.authenticateWarm(forwarded, route.roles);
    } catch (error) {
      throw this.refusal(response, error);
    }
    if (client === undefined) return this.authenticateCold(request, response, forwarded, route.roles);
    attachClient(request, response, client);
    return true;
  }

  private async authenticateCold(
    request: HttpRequestLike,
    response: HttpResponseLike,
    forwarded: ForwardedRequest,
    roles: readonly string[],
  ): Promise<boolean> {
    try {
      attachClient(request, response, await this.authenticator.authenticate(forwarded, roles));
      return true;
    } catch (error) {
      throw this.refusal(response, error);
    }
  }

  private refusal(response: HttpResponseLike, error: unknown): HttpException {
    const exception = toHttpException(error);
    this.hints.applyTo(response, exception.getStatus());
    return exception;
  }
}

class BenchController {
  list(): void {}
}

async function main(): Promise<void> {
  const bench = aliceGuardApp('cca-guard-type');
  const { pki } = bench;
  const moduleRef = await Test.createTestingModule({ imports: bench.imports }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  await bench.enroll(app);

  const current = app.get(ClientCertGuard);
  const httpOnly = new HttpOnlyGuard(app.get(ClientCertAuthenticator), app.get(Reflector), app.get(ClientCertResponseHints));
  const header = `:${pki.clients.alice.der.toString('base64')}:`;
  const context = () => {
    const request = { rawHeaders: ['Host', 'bench', 'Client-Cert', header], socket: { remoteAddress: '127.0.0.1' } };
    const response = { setHeader: () => undefined, header: () => undefined, locals: {} };
    const host = new ExecutionContextHost([request, response, () => undefined], BenchController, BenchController.prototype.list);
    host.setType('http');
    return host as unknown as ExecutionContext;
  };
  // Cold until the warm entry exists (the registry's first answer may still be in flight).
  for (let i = 0; i < 50 && current.canActivate(context()) !== true; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (current.canActivate(context()) !== true) throw new Error('not warm');

  // A batch per sample: one call is below the timer's resolution on this VM.
  const contexts = Array.from({ length: BATCH }, context);
  const batch = (guard: { canActivate(context: ExecutionContext): unknown }) => {
    for (const c of contexts) guard.canActivate(c);
  };
  const ns: Record<string, number[]> = { 'ClientCertGuard (with the ws check)': [], 'HTTP-only canActivate (0.2.0)': [] };
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: 1000, warmup: true });
    const tasks: Array<[string, () => void]> = [
      ['ClientCertGuard (with the ws check)', () => batch(current)],
      ['HTTP-only canActivate (0.2.0)', () => batch(httpOnly)],
    ];
    for (const [name, fn] of round % 2 === 0 ? tasks : tasks.reverse()) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) ns[task.name].push((((task.result as { latency?: { p50: number } } | undefined)?.latency?.p50 ?? NaN) * 1e6) / BATCH); // ms -> ns per call;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const [withCheck, httpOnlyNs] = Object.values(ns).map(median);
  // Paired per round (both ran back to back): robust to the host's load changing between rounds.
  const ratios = ns['ClientCertGuard (with the ws check)'].map((v, i) => v / ns['HTTP-only canActivate (0.2.0)'][i]);
  for (const [name, values] of Object.entries(ns))
    console.log(`${name}: median of p50 ${median(values).toFixed(0)} ns (rounds: ${values.map((v) => v.toFixed(0)).join(', ')})`);
  console.log(
    `ratio with check / HTTP-only: ${(withCheck / httpOnlyNs).toFixed(3)}x of the medians; per round ${ratios.map((r) => r.toFixed(3)).join(', ')}, median ${median(ratios).toFixed(3)}x`,
  );
  await app.close();
  bench.dispose();
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
