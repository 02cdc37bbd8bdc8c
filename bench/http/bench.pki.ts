import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { CertificateVariants } from '../memory/certificate.variants';

/** Key of every certificate in a bench PKI (root, intermediate, leaves, the untrusted signer). */
export type BenchKey = 'p-256' | 'rsa-2048';

/** The SPIFFE URI SAN every bench leaf carries: one `san-uri` binding enrolls them all. */
export const BENCH_SPIFFE_ID = 'spiffe://bench.local/client';

/** A bench PKI on disk plus the `Client-Cert` header values (RFC 9440) to send. */
export interface BenchPki {
  /** Holds root.pem, intermediate.pem, warm.der and enrolled.txt (see bench.server.ts). */
  readonly dir: string;
  /** The one known certificate of the warm scenario. */
  readonly warm: string;
  /** Distinct valid leaves, each enrolled in both guards: the cold scenario. */
  readonly cold: readonly string[];
  /** Distinct leaves from an untrusted signer that copies the intermediate's name: the flood. */
  readonly flood: readonly string[];
}

const header = (der: Buffer) => `:${der.toString('base64')}:`;

/**
 * Builds root -> intermediate -> leaf with `key` everywhere, then `count` variants of the leaf
 * re-signed by the intermediate (new serial, so new DER and fingerprint, same subject, SAN and
 * key: the ClientCertGuard enrolls them all through one SAN binding, the hand-written guard
 * through enrolled.txt) and `count` variants re-signed by an impostor intermediate (same name,
 * its own key, not trusted: both guards must refuse them after a signature check).
 */
export function createBenchPki(key: BenchKey, count: number): BenchPki {
  const dir = mkdtempSync(join(tmpdir(), 'cca-bench-'));
  const ca = (pathLen: number) => ({ pathLen });
  const root = issueCertificate({ subject: 'CN=Bench Root CA,O=Bench', ca: ca(1), key, freshKey: true, notAfter: years(10) });
  const intermediate = issueCertificate({ subject: 'CN=Bench Intermediate CA,O=Bench', issuer: root, ca: ca(0), key, freshKey: true, notAfter: years(5) });
  const impostor = issueCertificate({ subject: 'CN=Bench Intermediate CA,O=Bench', ca: ca(0), key, freshKey: true, notAfter: years(5) });
  const leaf = (issuer: typeof intermediate) =>
    issueCertificate({
      subject: 'CN=bench,O=Bench Clients',
      issuer,
      san: { uri: [BENCH_SPIFFE_ID] },
      key,
      keyUsage: ['digitalSignature'],
      extendedKeyUsage: ['clientAuth'],
    });
  const template = leaf(intermediate);
  const ec = key === 'p-256';
  const valid = new CertificateVariants(template.der, intermediate.privateKey, ec);
  const untrusted = new CertificateVariants(leaf(impostor).der, impostor.privateKey, ec);
  const cold: Buffer[] = [];
  const flood: Buffer[] = [];
  for (let n = 1; n <= count; n++) {
    cold.push(valid.make(n));
    flood.push(untrusted.make(n));
  }
  writeFileSync(join(dir, 'root.pem'), root.pem);
  writeFileSync(join(dir, 'intermediate.pem'), intermediate.pem);
  writeFileSync(join(dir, 'warm.der'), template.der);
  const enrolled = [template.der, ...cold].map((der) => `${new X509Certificate(der).fingerprint256} bench-app\n`);
  writeFileSync(join(dir, 'enrolled.txt'), enrolled.join(''));
  return { dir, warm: header(template.der), cold: cold.map(header), flood: flood.map(header) };
}

function years(n: number): Date {
  return new Date(Date.now() + n * 365 * 86400_000);
}
