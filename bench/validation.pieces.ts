import { createHash } from 'node:crypto';
import * as forge from 'node-forge';
import { issueCertificate } from '@app/dev-pki';
import { parseCertificate } from '@app/client-cert-auth/certificate/certificate.parser';
import { checkDer } from '@app/client-cert-auth/certificate/asn1.reader';
const root = issueCertificate({ subject: 'CN=Bench Root,O=Bench', key: 'p-256', ca: true });
const issuing = issueCertificate({ subject: 'CN=Bench Issuing CA,O=Bench', issuer: root, key: 'p-256', ca: true });
const leaves = Array.from({ length: 500 }, (_, n) => issueCertificate({ subject: `CN=client-${n},O=Bench`, issuer: issuing, key: 'p-256', san: { dns: [`client-${n}.bench.example`] } }).der);
const N = 100000;
function time(name: string, f: (i: number) => void) {
  for (let i = 0; i < 5000; i++) f(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f(i);
  console.log(name.padEnd(12), (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(2), 'us');
}
const fromDer = forge.asn1.fromDer as any;
time('latin1', (i) => leaves[i % 500].toString('latin1'));
time('forge', (i) => fromDer(leaves[i % 500].toString('latin1'), { strict: true, parseAllBytes: true, decodeBitStrings: false }));
time('checkDer', (i) => checkDer(leaves[i % 500], 0, leaves[i % 500].length, 'x'));
time('sha256', (i) => createHash('sha256').update(leaves[i % 500]).digest('hex'));
time('parse', (i) => parseCertificate(leaves[i % 500]));
