/**
 * Scratch micro bench (not part of `npm run bench`): decoding never-seen leaves (parse + the
 * subject's RFC 4514 text) with this checkout's parser and a base checkout's, interleaved in one
 * process, with distinct subjects (a fleet of devices, a flood) or one subject (one client's
 * rotated certificates): what sharing Names by their DER (shared-parts.cache.ts) buys and costs.
 *
 *   git worktree add .bench-base <commit>
 *   [SAME=1] npm run bench:file bench/micro/shared-names.bench.ts
 */
import { resolve } from 'node:path';
import { generateKeyPair, issueCertificate } from '@client-cert-auth/dev-pki';

type Parser = typeof import('../../libs/core/src/certificate/certificate.parser');

const N = 16_000;
const PER = 1_000;

function main(): void {
  const current = require(resolve(__dirname, '../../libs/core/src/certificate/certificate.parser.ts')) as Parser;
  const base = require(resolve(__dirname, '../../.bench-base/libs/core/src/certificate/certificate.parser.ts')) as Parser;
  const root = issueCertificate({ subject: 'CN=Root', key: 'p-256', ca: true });
  const ca = issueCertificate({ subject: 'CN=Issuing,O=Bench', issuer: root, key: 'p-256', ca: true });
  const key = generateKeyPair('p-256');
  const subject = (n: number) => (process.env.SAME ? 'CN=client,OU=Devices,O=Bench Clients' : `CN=client-${n},OU=Devices,O=Bench Clients`);
  const ders = Array.from({ length: N }, (_, n) => issueCertificate({ subject: subject(n), issuer: ca, key, san: { dns: [`d${n}.example`] } }).der);
  const cpu: Record<'base' | 'this', number[]> = { base: [], this: [] };
  let next = 0;
  for (let round = 0; round < N / PER; round++) {
    const sides: ['base' | 'this', Parser][] = [
      ['this', current],
      ['base', base],
    ];
    for (const [name, parser] of round % 2 ? sides.reverse() : sides) {
      const started = process.cpuUsage();
      for (let i = next; i < next + PER / 2; i++) void parser.parseCertificate(ders[i]).subject.rfc4514;
      next += PER / 2;
      const used = process.cpuUsage(started);
      if (round > 1) cpu[name].push((used.user + used.system) / (PER / 2));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(`${process.env.SAME ? 'one subject' : 'distinct subjects'}: parse + subject.rfc4514, CPU µs per certificate (median of rounds)`);
  console.log(`  base ${median(cpu.base).toFixed(2)}  this ${median(cpu.this).toFixed(2)}`);
}

main();
