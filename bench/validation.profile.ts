// Scratch profiler for the validation hot path (not a benchmark; safe to delete).
import { verify } from 'node:crypto';
import { issueCertificate } from '@app/dev-pki';
import { parseCertificate } from '@app/client-cert-auth/certificate/certificate.parser';
import { CertificatePathValidator } from '@app/client-cert-auth/certificate/path.validator';
const root = issueCertificate({ subject: 'CN=Bench Root,O=Bench', key: 'p-256', ca: true });
const issuing = issueCertificate({ subject: 'CN=Bench Issuing CA,O=Bench', issuer: root, key: 'p-256', ca: true });
const leaves = Array.from({ length: 500 }, (_, n) => issueCertificate({ subject: `CN=client-${n},O=Bench`, issuer: issuing, key: 'p-256', san: { dns: [`client-${n}.bench.example`] } }).der);
const ica = parseCertificate(issuing.der);
const validator = new CertificatePathValidator({ anchors: [parseCertificate(root.der)], intermediates: [ica] });
const parsed = leaves.map((d) => parseCertificate(d));
const key = ica.publicKey.key!;
const N = 10000;
function time(name: string, f: (i: number) => void) {
  for (let i = 0; i < 2000; i++) f(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f(i);
  console.log(name.padEnd(12), (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(1), 'us');
}
for (let round = 0; round < 2; round++) {
  time('raw', (i) => verify('sha256', parsed[i % 500].tbsDer, { key, dsaEncoding: 'der' }, parsed[i % 500].signature));
  time('parse', (i) => parseCertificate(leaves[i % 500]));
  time('validate', (i) => validator.validate(parsed[i % 500], []));
  time('both', (i) => validator.validate(parseCertificate(leaves[i % 500]), []));
}
