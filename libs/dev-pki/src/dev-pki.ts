import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from './certificate.issuer';
import type { CertificateSpec, IssuedCertificate } from './certificate.types';

/** A root -> intermediate -> client-leaves chain. */
export interface DevPki {
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
  clients: Record<string, IssuedCertificate>;
}

/** One client leaf to issue under the intermediate. */
export interface DevPkiClient {
  name: string;
  subject: string;
  san?: CertificateSpec['san'];
}

const DEFAULT_CLIENTS: DevPkiClient[] = [{ name: 'client', subject: 'CN=dev-client,O=Dev PKI' }];

/**
 * Builds a ready-made chain: root (CA, pathLen 1), intermediate (CA, pathLen 0) and client leaves
 * (EKU clientAuth, KU digitalSignature). Every certificate gets a fresh P-256 key, so no two share a pin.
 * @example const pki = createDevPki({ clients: [{ name: 'alice', subject: 'CN=alice' }] });
 */
export function createDevPki(opts: { clients?: DevPkiClient[] } = {}): DevPki {
  const root = issueCertificate({
    subject: 'CN=Dev Root CA,O=Dev PKI',
    ca: { pathLen: 1 },
    freshKey: true,
    notAfter: new Date(Date.now() + 10 * 365 * 86400_000),
  });
  const intermediate = issueCertificate({
    subject: 'CN=Dev Intermediate CA,O=Dev PKI',
    issuer: root,
    ca: { pathLen: 0 },
    freshKey: true,
    notAfter: new Date(Date.now() + 5 * 365 * 86400_000),
  });
  const clients: Record<string, IssuedCertificate> = {};
  for (const c of opts.clients ?? DEFAULT_CLIENTS) {
    if (!/^[A-Za-z0-9._-]+$/.test(c.name)) throw new TypeError(`dev-pki: client name '${c.name}' is not a safe file name`);
    clients[c.name] = issueCertificate({
      subject: c.subject,
      issuer: intermediate,
      san: c.san,
      freshKey: true,
      keyUsage: ['digitalSignature'],
      extendedKeyUsage: ['clientAuth'],
    });
  }
  return { root, intermediate, clients };
}

/**
 * Writes root.pem, intermediate.pem and, per client, <name>.pem, <name>.key.pem (mode 0600) and
 * <name>-chain.pem (leaf + intermediate). Creates `dir` if needed.
 */
export function writeDevPki(dir: string, pki: DevPki): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'root.pem'), pki.root.pem);
  writeFileSync(join(dir, 'intermediate.pem'), pki.intermediate.pem);
  for (const [name, cert] of Object.entries(pki.clients)) {
    writeFileSync(join(dir, `${name}.pem`), cert.pem);
    const keyFile = join(dir, `${name}.key.pem`);
    writeFileSync(keyFile, cert.keyPem, { mode: 0o600 });
    chmodSync(keyFile, 0o600); // writeFileSync's mode only applies on creation
    writeFileSync(join(dir, `${name}-chain.pem`), cert.pem + pki.intermediate.pem);
  }
}
