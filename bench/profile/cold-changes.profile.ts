/**
 * Scratch profiler (not part of `npm run bench`): what each issue-14 change of the core's cold
 * path buys, measured function by function against another checkout's version of the same
 * function (BASE: a `git worktree` inside this repository, see core-ab.profile.ts), interleaved
 * in rounds in one process. CPU µs per call, median of rounds, each call on its own input where
 * the input matters (never-seen certificates).
 *
 *   git worktree add .bench-base <commit>
 *   BASE=.bench-base npm run bench:file bench/profile/cold-changes.profile.ts
 */
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { createBenchPki } from '../http/bench.pki';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const CALLS = Number(process.env.CALLS ?? 2000);

type Module = Record<string, any>;
const load = (root: string, file: string): Module => require(resolve(root, 'libs/core/src', file));

/** Calls `f` CALLS times at a stack depth like the guard's (~15 frames), so an Error's capture costs what it costs there. */
function deep(depth: number, f: () => unknown): unknown {
  return depth === 0 ? f() : deep(depth - 1, f);
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const roots = { base: resolve(process.env.BASE ?? '.bench-base'), this: resolve('.') };
  const pki = createBenchPki('p-256', CALLS);
  const ders = pki.cold.map((h) => Buffer.from(h.slice(1, -1), 'base64'));
  const pairs: Record<string, Record<'base' | 'this', (i: number) => unknown>> = {};
  for (const side of ['base', 'this'] as const) {
    const root = roots[side];
    const rfc = load(root, 'header/formats/rfc9440.parser.ts');
    const principal = load(root, 'principal/principal.factory.ts');
    const errors = load(root, 'errors/client-cert.error.ts');
    const mapper = load(root, 'guards/http-error.mapper.ts');
    const source = load(root, 'source/source-address.resolver.ts');
    const reader = load(root, 'header/raw-header.reader.ts');
    const revocation = load(root, 'revocation/revocation.checker.ts');
    const core = load(root, 'index.ts');
    const anchors = core.decodePemCertificates(require('node:fs').readFileSync(`${pki.dir}/root.pem`, 'utf8')).map(core.parseCertificate);
    const issuing = core.decodePemCertificates(require('node:fs').readFileSync(`${pki.dir}/intermediate.pem`, 'utf8')).map(core.parseCertificate);
    const validator = new core.CertificatePathValidator({ anchors, intermediates: issuing });
    const paths = ders.map((der) => validator.validate(core.parseCertificate(der)).path);
    const checker = new revocation.RevocationChecker({ mode: 'off' });
    const raw = new reader.RawHeaderReader(['Host', 'x', 'Client-Cert', pki.cold[0]]);
    const set = (name: string, f: (i: number) => unknown) => ((pairs[name] ??= {} as never)[side] = f);
    set('RFC 9440 item -> DER (canonical check + decode)', (i) => rfc.decodeByteSequenceItem(pki.cold[i], 'Client-Cert'));
    set('createPrincipal', (i) => principal.createPrincipal(paths[i], { profile: 'waf', format: 'rfc9440' }));
    set('new ClientCertError at guard depth', () => deep(15, () => new errors.ClientCertError('CERT_UNTRUSTED', 'no issuer of leaf found')));
    set('exceptionFor (the HttpException) at guard depth', () => deep(15, () => mapper.exceptionFor('CERT_UNTRUSTED')));
    set('resolveSourceAddress, peer 127.0.0.1', () => source.resolveSourceAddress({ trustedHops: 0 }, '127.0.0.1', raw));
    set('resolveSourceAddress, peer ::ffff:127.0.0.1', () => source.resolveSourceAddress({ trustedHops: 0 }, '::ffff:127.0.0.1', raw));
    const proxies = new core.TrustedProxies([{ name: 'waf', from: ['127.0.0.1/32', '::1/128'], format: 'rfc9440' }]);
    set('TrustedProxies.extract (source + header + decode), peer 127.0.0.1', (i) =>
      proxies.extract({ rawHeaders: ['Host', 'x', 'Client-Cert', pki.cold[i]], remoteAddress: '127.0.0.1' }),
    );
    set('TrustedProxies.extract, peer ::ffff:127.0.0.1', (i) =>
      proxies.extract({ rawHeaders: ['Host', 'x', 'Client-Cert', pki.cold[i]], remoteAddress: '::ffff:127.0.0.1' }),
    );
    // The pipeline's call: `checkMaybeAsync` where this side has it (awaited only when it is a promise).
    set('revocation check as the pipeline calls it, mode off (+ await)', (i) => (checker.checkMaybeAsync ?? checker.check).call(checker, paths[i]));
    set('TrustedProxies admit as the pipeline calls it (+ await)', (i) =>
      (proxies.admitMaybeAsync ?? proxies.admit).call(proxies, { rawHeaders: ['Host', 'x', 'Client-Cert', pki.cold[i]], remoteAddress: '127.0.0.1' }),
    );
    const DecodedCertificate = load(root, 'certificate/decoded-certificate.ts').DecodedCertificate;
    const verdicts = new (load(root, 'authentication/verdict.cache.ts').VerdictCache)(
      { maxEntries: 10_000, maxBytes: 2 ** 26, ttlSeconds: 300, failureTtlSeconds: 5 },
      'v1',
    );
    // A fresh copy per call: a never-seen leaf is a new Buffer.
    set('verdict key + leaf fingerprint (SHA-256 of the leaf DER)', (i) => {
      const der = Buffer.from(ders[i]);
      verdicts.keyFor('waf', der, []);
      return new DecodedCertificate({ der }).fingerprintSha256;
    });
    // 10 cold requests arriving in one turn, each ~50 µs of synchronous work (a fraction of a validation).
    const ColdValidationGate = load(root, 'authentication/cold-validation.gate.ts').ColdValidationGate;
    const gate = new ColdValidationGate();
    const work = () => {
      const until = performance.now() + 0.05;
      while (performance.now() < until);
    };
    const through = async () => {
      const wait = gate.turn();
      if (wait) await wait;
      work();
    };
    set('cold gate: 10 concurrent requests of 50 µs each (per 10)', () => Promise.all(Array.from({ length: 10 }, through)));
  }
  const cpu: Record<string, Record<string, number[]>> = {};
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, sides] of Object.entries(pairs)) {
      for (const side of (round % 2 ? ['base', 'this'] : ['this', 'base']) as ('base' | 'this')[]) {
        const f = sides[side];
        const started = process.cpuUsage();
        for (let i = 0; i < CALLS; i++) {
          const result = f(i);
          if (result instanceof Promise) await result;
        }
        const used = process.cpuUsage(started);
        if (round > 0) ((cpu[name] ??= {})[side] ??= []).push((used.user + used.system) / CALLS);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `load ${require('node:os')
      .loadavg()
      .map((l: number) => l.toFixed(2))
      .join(' ')}; CPU µs per call, median of ${ROUNDS} rounds of ${CALLS}`,
  );
  console.log(`| step | base | this | saved |\n|---|---|---|---|`);
  for (const [name, sides] of Object.entries(cpu)) {
    const [b, t] = [median(sides.base), median(sides.this)];
    console.log(`| ${name} | ${b.toFixed(2)} | ${t.toFixed(2)} | ${(b - t).toFixed(2)} |`);
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
