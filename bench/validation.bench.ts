/**
 * Cost of path validation on the request path, in one run:
 *  - a never-seen P-256 leaf under a configured (bootstrap-parsed) P-256 intermediate:
 *    parseCertificate + CertificatePathValidator.validate (and validate alone, for a leaf the
 *    caller parsed anyway for the principal), against
 *  - the raw node:crypto ECDSA verification that validation cannot avoid, and
 *  - a validation-cache hit (key hash + LRU lookup).
 *
 * Run: npx ts-node --transpile-only -r tsconfig-paths/register bench/validation.bench.ts
 */
import { verify } from 'node:crypto';
import { Bench } from 'tinybench';
import { issueCertificate } from '@app/dev-pki';
import { parseCertificate } from '@app/client-cert-auth/certificate/certificate.parser';
import { CertificatePathValidator } from '@app/client-cert-auth/certificate/path.validator';
import { ValidationCache } from '@app/client-cert-auth/certificate/validation.cache';

const LEAVES = 2000;

const root = issueCertificate({ subject: 'CN=Bench Root,O=Bench', key: 'p-256', ca: true });
const issuing = issueCertificate({ subject: 'CN=Bench Issuing CA,O=Bench', issuer: root, key: 'p-256', ca: true });
const leaves = Array.from({ length: LEAVES }, (_, n) =>
  issueCertificate({ subject: `CN=client-${n},O=Bench`, issuer: issuing, key: 'p-256', san: { dns: [`client-${n}.bench.example`] } }).der,
);

// Bootstrap work: anchors and intermediates parsed and indexed once.
const validator = new CertificatePathValidator({ anchors: [parseCertificate(root.der)], intermediates: [parseCertificate(issuing.der)] });
const issuerKey = issuing.publicKey;
const signed = leaves.map((der) => {
  const cert = parseCertificate(der);
  return { tbs: cert.tbsDer, signature: cert.signature };
});
const cache = new ValidationCache({ max: 10_000 });
const version = 'bench-v1';
const keys = leaves.map((der) => ValidationCache.keyFor(der, [], version));
for (let n = 0; n < LEAVES; n++) {
  const result = validator.validate(parseCertificate(leaves[n]), []);
  if (!result.ok) throw new Error(`bench setup: leaf ${n} does not validate: ${result.reason}`);
  cache.set(keys[n], result);
}

const preParsed = leaves.map((der) => parseCertificate(der));
let a = 0;
let b = 0;
let c = 0;
let d = 0;
const tasks: Record<string, () => void> = {
  raw: () => {
    const s = signed[a++ % LEAVES];
    if (!verify('sha256', s.tbs, { key: issuerKey, dsaEncoding: 'der' }, s.signature)) throw new Error('verify failed');
  },
  full: () => {
    const result = validator.validate(parseCertificate(leaves[b++ % LEAVES]), []);
    if (!result.ok) throw new Error(result.reason);
  },
  parsed: () => {
    const result = validator.validate(preParsed[d++ % LEAVES], []);
    if (!result.ok) throw new Error(result.reason);
  },
  hit: () => {
    const n = c++ % LEAVES;
    if (!cache.get(ValidationCache.keyFor(leaves[n], [], version))) throw new Error('cache miss');
  },
};
const LABELS: Record<string, string> = {
  raw: 'raw node:crypto ECDSA P-256 verify',
  full: 'validate a never-seen leaf (parse + path validation)',
  parsed: 'validate a leaf the caller already parsed',
  hit: 'validation cache hit (key + lookup)',
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
}

void main();
