/**
 * Scratch micro bench (not part of `npm run bench`): the core's per-certificate steps of a cold
 * request, each over never-seen bench leaves (bench/http/bench.pki.ts), in CPU µs per call.
 * Rounds alternate the steps' order; the median of rounds is printed. Used to size what each
 * cut of the cold path can buy before measuring the sum with bench/profile/core-ab.profile.ts.
 *
 *   KEY=rsa-2048 npm run bench:file bench/micro/cold-core-parts.bench.ts
 */
import { X509Certificate, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate } from '../../libs/core/src/certificate/certificate.parser';
import { CertificatePathValidator } from '../../libs/core/src/certificate/path.validator';
import { tryReadSpiffeId } from '../../libs/core/src/certificate/spiffe-id';
import { createPrincipal } from '../../libs/core/src/principal/principal.factory';
import { trustDomainRefusal } from '../../libs/core/src/principal/spiffe-trust-domain.check';
import { compactPath } from '../../libs/core/src/authentication/compact-certificate';
import { decodeByteSequenceItem } from '../../libs/core/src/header/formats/rfc9440.parser';
import { createBenchPki, type BenchKey } from '../http/bench.pki';

const KEY = (process.env.KEY ?? 'rsa-2048') as BenchKey;
const N = Number(process.env.N ?? 4000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);

function main(): void {
  const pki = createBenchPki(KEY, N);
  const anchor = parseCertificate(new X509Certificate(readFileSync(join(pki.dir, 'root.pem'))).raw);
  const intermediate = parseCertificate(new X509Certificate(readFileSync(join(pki.dir, 'intermediate.pem'))).raw);
  const validator = new CertificatePathValidator({ anchors: [anchor], intermediates: [intermediate] });
  const ders = pki.cold.map((h) => Buffer.from(h.slice(1, -1), 'base64'));
  const spiffe = { trustDomains: undefined, anchorKeys: new Set([anchor.publicKey.sha256]) } as never;
  const at = { at: new Date() };
  const per = Math.floor(N / ROUNDS);
  const parsed = ders.map((der) => parseCertificate(der));
  const issuerKey = new X509Certificate(readFileSync(join(pki.dir, 'intermediate.pem'))).publicKey;
  const key = KEY === 'p-256' ? { key: issuerKey, dsaEncoding: 'der' as const } : issuerKey;
  const steps: [string, (i: number) => unknown][] = [
    ['raw verify (the floor)', (i) => verify('sha256', parsed[i].tbsDer, key, parsed[i].signature)],
    ['decode header (rfc9440)', (i) => decodeByteSequenceItem(pki.cold[i], 'client-cert')],
    ['parseCertificate', (i) => parseCertificate(ders[i])],
    ['parse + validate', (i) => validator.validate(parseCertificate(ders[i]), [], at)],
    [
      'parse + tryReadSpiffeId + trustDomainRefusal',
      (i) => {
        const leaf = parseCertificate(ders[i]);
        return [tryReadSpiffeId(leaf), trustDomainRefusal(leaf.subjectAltNames.uri, anchor.publicKey.sha256, spiffe)];
      },
    ],
    [
      'parse + createPrincipal',
      (i) => {
        const leaf = parseCertificate(ders[i]);
        return createPrincipal([leaf, intermediate, anchor], { profile: 'waf', format: 'rfc9440' });
      },
    ],
    [
      'parse + compactPath',
      (i) => {
        const leaf = parseCertificate(ders[i]);
        return compactPath([leaf, intermediate, anchor], [leaf]);
      },
    ],
  ];
  const cpu = new Map<string, number[]>();
  for (let round = 0; round <= ROUNDS; round++) {
    const order = round % 2 === 0 ? steps : [...steps].reverse();
    for (const [name, step] of order) {
      const from = (round % ROUNDS) * per;
      const started = process.cpuUsage();
      for (let i = from; i < from + per; i++) step(i);
      const used = process.cpuUsage(started);
      if (round > 0) (cpu.get(name) ?? cpu.set(name, []).get(name)!).push((used.user + used.system) / per);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${KEY}: ${per} leaves per step and round, ${ROUNDS} rounds (CPU µs per call, median)`);
  for (const [name, xs] of cpu) console.log(`  ${name.padEnd(48)} ${median(xs).toFixed(2).padStart(8)}`);
}

main();
