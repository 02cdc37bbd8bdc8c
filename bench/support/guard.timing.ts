import { ClientCertGuard } from '@client-cert-auth/core';
import { TrivialGuard } from '../http/trivial.guard';

/**
 * BENCH_GUARD_TIMING=1 (bench.server.ts): the synchronous part of each guard's `canActivate`
 * (all of a warm hit) timed inside the loaded server, printed every 2 s as ns per call. Inside
 * a server the same code runs several times slower than in an in-process loop (its caches are
 * cold between two requests), so this is the guard's cost as the HTTP bench sees it. One
 * `hrtime.bigint()` pair per call is included: the trivial guard's reading is that floor.
 *
 *   BENCH_GUARD_TIMING=1 ROUNDS=3 npm run bench:file bench/http/http.bench.ts -- fastify
 */
export function timeGuards(): void {
  for (const [name, guard] of [
    ['ClientCertGuard', ClientCertGuard],
    ['trivial guard', TrivialGuard],
  ] as const) {
    const canActivate = guard.prototype.canActivate as (this: unknown, ...args: unknown[]) => unknown;
    let nanoseconds = 0n;
    let calls = 0;
    guard.prototype.canActivate = function timed(this: unknown, ...args: unknown[]) {
      const started = process.hrtime.bigint();
      try {
        return canActivate.apply(this, args);
      } finally {
        nanoseconds += process.hrtime.bigint() - started;
        calls++;
      }
    } as never;
    setInterval(() => {
      if (calls > 1000) console.error(`[guard timing] ${name}: ${(Number(nanoseconds) / calls).toFixed(0)} ns per call over ${calls} calls`);
      nanoseconds = 0n;
      calls = 0;
    }, 2000).unref();
  }
}
