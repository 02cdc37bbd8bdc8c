/**
 * Child process: cost of validating a never-seen leaf under a configured (bootstrap-parsed)
 * intermediate, per key type, against the raw node:crypto signature verification it cannot
 * avoid. Every iteration takes the next of LEAVES distinct leaves, parsed afresh, so no memo of
 * the validator can help. Sends `{ results: LeafValidationResult[] }` to the parent.
 *
 * bench/validation.bench.ts (the validation owner's) measures the same for P-256 with its
 * cache hit; `npm run bench` runs both and shows both.
 */
import { verify, type KeyObject } from 'node:crypto';
import { Bench } from 'tinybench';
import { generateKeyPair, issueCertificate, type KeySpec } from '@client-cert-auth/dev-pki';
import { parseCertificate } from '@client-cert-auth/core';
import { CertificatePathValidator } from '@client-cert-auth/core';

export interface LeafValidationResult {
  readonly key: KeySpec;
  /** Mean µs of one `crypto.verify` of a leaf's signature with the intermediate's key. */
  readonly rawVerifyUs: number;
  /** Mean µs of parseCertificate + CertificatePathValidator.validate of a never-seen leaf. */
  readonly validateUs: number;
}

const LEAVES = 1000;

async function measure(key: KeySpec): Promise<LeafValidationResult> {
  const root = issueCertificate({ subject: `CN=Bench ${key} Root`, key, ca: true });
  const issuing = issueCertificate({ subject: `CN=Bench ${key} Issuing CA`, issuer: root, key, ca: true });
  // One reused leaf key: issuing 1000 leaves must not cost 1000 RSA key generations.
  const leafKey = generateKeyPair(key);
  const leaves = Array.from(
    { length: LEAVES },
    (_, n) => issueCertificate({ subject: `CN=client-${n},O=Bench`, issuer: issuing, key: leafKey, san: { dns: [`client-${n}.bench.example`] } }).der,
  );
  const validator = new CertificatePathValidator({ anchors: [parseCertificate(root.der)], intermediates: [parseCertificate(issuing.der)] });
  const signed = leaves.map((der) => parseCertificate(der));
  const issuerKey: KeyObject = issuing.publicKey;
  const ec = key.startsWith('p-');
  for (const cert of signed) {
    const result = validator.validate(cert, []);
    if (!result.ok) throw new Error(`bench setup: a ${key} leaf does not validate: ${result.reason}`);
  }
  let a = 0;
  let b = 0;
  const bench = new Bench({ time: 1500, warmup: true, warmupTime: 300 });
  bench
    .add('raw', () => {
      const cert = signed[a++ % LEAVES];
      const ok = verify('sha256', cert.tbsDer, ec ? { key: issuerKey, dsaEncoding: 'der' } : issuerKey, cert.signature);
      if (!ok) throw new Error('verify failed');
    })
    .add('validate', () => {
      const result = validator.validate(parseCertificate(leaves[b++ % LEAVES]), []);
      if (!result.ok) throw new Error(result.reason);
    });
  await bench.run();
  return { key, rawVerifyUs: meanUs(bench, 'raw'), validateUs: meanUs(bench, 'validate') };
}

function meanUs(bench: Bench, name: string): number {
  const result = bench.tasks.find((t) => t.name === name)?.result as { latency?: { mean: number }; mean?: number } | undefined;
  return (result?.latency?.mean ?? result?.mean ?? NaN) * 1000;
}

async function main(): Promise<void> {
  const results = [await measure('p-256'), await measure('rsa-2048')];
  if (process.send) process.send({ results });
  else console.table(results.map((r) => ({ ...r, ratio: r.validateUs / r.rawVerifyUs })));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
