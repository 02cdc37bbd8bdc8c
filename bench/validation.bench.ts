/**
 * Cost of path validation on the request path, in one run:
 *  - a never-seen leaf under a configured (bootstrap-parsed) intermediate, P-256 and RSA-2048:
 *    parseCertificate + CertificatePathValidator.validate (and validate alone, for a leaf the
 *    caller parsed anyway for the principal), against
 *  - the raw node:crypto signature verification that validation cannot avoid, and
 *  - a cache hit through the VerdictCache the authentication pipeline uses (key hash + LRU lookup).
 *
 * Run: npm run bench:file bench/validation.bench.ts
 * The `raw verify`, `full validation` and `cache hit` lines are read by `npm run bench`
 * (bench/micro/validation-owner.result.ts): keep their format.
 */
import { verify, type KeyObject } from 'node:crypto';
import { Bench } from 'tinybench';
import { generateKeyPair, issueCertificate, type KeySpec } from '@client-cert-auth/dev-pki';
import { parseCertificate } from '@client-cert-auth/core';
import { CertificatePathValidator } from '@client-cert-auth/core';
import type { ParsedCertificate } from '@client-cert-auth/core';
import { createPrincipal } from '@client-cert-auth/core';
import { VerdictCache } from '../libs/core/src/authentication/verdict.cache';

const LEAVES = 2000;

interface Fixture {
  readonly validator: CertificatePathValidator;
  readonly issuerKey: KeyObject;
  readonly leaves: Buffer[];
  readonly signed: Array<{ tbs: Buffer; signature: Buffer }>;
  readonly preParsed: ParsedCertificate[];
}

/** Root -> issuing CA -> LEAVES distinct leaves; leaves share one key when RSA keygen would be slow. */
function fixture(key: KeySpec, count: number): Fixture {
  const root = issueCertificate({ subject: `CN=Bench ${key} Root,O=Bench`, key, ca: true });
  const issuing = issueCertificate({ subject: `CN=Bench ${key} Issuing CA,O=Bench`, issuer: root, key, ca: true });
  const leafKey = key === 'p-256' ? undefined : generateKeyPair(key);
  const leaves = Array.from(
    { length: count },
    (_, n) => issueCertificate({ subject: `CN=client-${n},O=Bench`, issuer: issuing, key: leafKey ?? key, san: { dns: [`client-${n}.bench.example`] } }).der,
  );
  // Bootstrap work: anchors and intermediates parsed and indexed once.
  const validator = new CertificatePathValidator({ anchors: [parseCertificate(root.der)], intermediates: [parseCertificate(issuing.der)] });
  const preParsed = leaves.map((der) => parseCertificate(der));
  for (const cert of preParsed) {
    const result = validator.validate(cert, []);
    if (!result.ok) throw new Error(`bench setup: a ${key} leaf does not validate: ${result.reason}`);
  }
  return { validator, issuerKey: issuing.publicKey, leaves, signed: preParsed.map((c) => ({ tbs: c.tbsDer, signature: c.signature })), preParsed };
}

const p256 = fixture('p-256', LEAVES);
const rsa = fixture('rsa-2048', 500);

// Cache hits through the pipeline's own cache, with a verdict per leaf as the authenticator stores it.
const verdicts = new VerdictCache({ maxEntries: 10_000, maxBytes: 2 ** 30, ttlSeconds: 300, failureTtlSeconds: 5 }, 'bench-v1');
for (const cert of p256.preParsed) {
  const result = p256.validator.validate(cert, []);
  if (!result.ok) throw new Error(result.reason);
  // A real principal: the cache sizes its entries from it (cache.maxBytes).
  const principal = createPrincipal(result.path, { profile: 'default', format: 'rfc9440' });
  verdicts.set(verdicts.keyFor('default', cert.der, []), { ok: true, path: result.path, principal }, Date.now());
}

const counters: Record<string, number> = {};
const next = (name: string, size: number) => (counters[name] = ((counters[name] ?? -1) + 1) % size);
const tasks: Record<string, () => void> = {};
for (const [prefix, f, ec] of [
  ['', p256, true],
  ['rsa-', rsa, false],
] as const) {
  tasks[`${prefix}raw`] = () => {
    const s = f.signed[next(`${prefix}raw`, f.signed.length)];
    const ok = ec ? verify('sha256', s.tbs, { key: f.issuerKey, dsaEncoding: 'der' }, s.signature) : verify('sha256', s.tbs, f.issuerKey, s.signature);
    if (!ok) throw new Error('verify failed');
  };
  tasks[`${prefix}full`] = () => {
    const result = f.validator.validate(parseCertificate(f.leaves[next(`${prefix}full`, f.leaves.length)]), []);
    if (!result.ok) throw new Error(result.reason);
  };
  tasks[`${prefix}parsed`] = () => {
    const result = f.validator.validate(f.preParsed[next(`${prefix}parsed`, f.preParsed.length)], []);
    if (!result.ok) throw new Error(result.reason);
  };
}
tasks.hit = () => {
  if (!verdicts.get(verdicts.keyFor('default', p256.leaves[next('hit', LEAVES)], []))) throw new Error('cache miss');
};

const LABELS: Record<string, string> = {
  raw: 'P-256: raw node:crypto ECDSA verify',
  full: 'P-256: validate a never-seen leaf (parse + path validation)',
  parsed: 'P-256: validate a leaf the caller already parsed',
  'rsa-raw': 'RSA-2048: raw node:crypto PKCS#1 v1.5 verify',
  'rsa-full': 'RSA-2048: validate a never-seen leaf (parse + path validation)',
  'rsa-parsed': 'RSA-2048: validate a leaf the caller already parsed',
  hit: 'VerdictCache hit (key + lookup)',
};
/** The machine is shared: tasks run interleaved over several rounds and each keeps its best median. */
const ROUNDS = 5;

async function main(): Promise<void> {
  const best: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: 300, warmup: true, warmupTime: 100 });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result as { latency?: { p50: number } } | undefined;
      const p50 = (result?.latency?.p50 ?? NaN) * 1000; // ms -> µs
      best[task.name] = Math.min(best[task.name] ?? Infinity, p50);
    }
  }
  console.table(Object.fromEntries(Object.entries(best).map(([name, us]) => [LABELS[name], { 'median µs (best of 5 rounds)': Number(us.toFixed(2)) }])));
  console.log(`raw verify          ${best.raw.toFixed(1)} µs`);
  console.log(`full validation     ${best.full.toFixed(1)} µs  (ratio ${(best.full / best.raw).toFixed(2)}x, target <= 1.30x)`);
  console.log(`validate (parsed)   ${best.parsed.toFixed(1)} µs  (ratio ${(best.parsed / best.raw).toFixed(2)}x)`);
  console.log(`cache hit           ${best.hit.toFixed(2)} µs`);
  console.log(`rsa-2048 raw verify        ${best['rsa-raw'].toFixed(1)} µs`);
  console.log(`rsa-2048 full validation   ${best['rsa-full'].toFixed(1)} µs  (ratio ${(best['rsa-full'] / best['rsa-raw']).toFixed(2)}x)`);
  console.log(`rsa-2048 validate (parsed) ${best['rsa-parsed'].toFixed(1)} µs  (ratio ${(best['rsa-parsed'] / best['rsa-raw']).toFixed(2)}x)`);
}

void main();
