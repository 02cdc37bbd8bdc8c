import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from './certificate.issuer';
import type { CertificateSpec, IssuedCertificate } from './certificate.types';

/** A root -> intermediate -> client-leaves chain. */
export interface DevPki {
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
  clients: Record<string, IssuedCertificate>;
  /** A TLS server certificate under the intermediate, when `createDevPki({ server })` asked for one. */
  server?: IssuedCertificate;
}

/** The names a dev TLS server certificate holds (subjectAltName). */
export interface DevPkiServer {
  /** @default ['localhost'] */
  dns?: string[];
  /** @default ['127.0.0.1', '::1'] */
  ip?: string[];
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
 * (EKU clientAuth, KU digitalSignature); with `server`, also a TLS server certificate (EKU
 * serverAuth) for localhost, 127.0.0.1 and ::1 unless other names are given. Every certificate
 * gets a fresh P-256 key, so no two share a pin.
 * @example const pki = createDevPki({ clients: [{ name: 'alice', subject: 'CN=alice' }] });
 * @example const pki = createDevPki({ server: true }); // pki.server for https.createServer
 */
export function createDevPki(opts: { clients?: DevPkiClient[]; server?: DevPkiServer | true } = {}): DevPki {
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
  if (!opts.server) return { root, intermediate, clients };
  const names = opts.server === true ? {} : opts.server;
  const server = issueCertificate({
    subject: 'CN=localhost,O=Dev PKI',
    issuer: intermediate,
    san: { dns: names.dns ?? ['localhost'], ip: names.ip ?? ['127.0.0.1', '::1'] },
    freshKey: true,
    keyUsage: ['digitalSignature'],
    extendedKeyUsage: ['serverAuth'],
  });
  return { root, intermediate, clients, server };
}

/**
 * Writes root.pem, intermediate.pem and, per client, <name>.pem, <name>.key.pem (mode 0600) and
 * <name>-chain.pem (leaf + intermediate); with a server certificate, server.pem (leaf +
 * intermediate, what a TLS server sends) and server.key.pem (0600). Creates `dir` if needed.
 */
export function writeDevPki(dir: string, pki: DevPki): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'root.pem'), pki.root.pem);
  writeFileSync(join(dir, 'intermediate.pem'), pki.intermediate.pem);
  for (const [name, cert] of Object.entries(pki.clients)) {
    writeFileSync(join(dir, `${name}.pem`), cert.pem);
    writePrivateKey(join(dir, `${name}.key.pem`), cert.keyPem);
    writeFileSync(join(dir, `${name}-chain.pem`), cert.pem + pki.intermediate.pem);
  }
  if (pki.server) {
    writeFileSync(join(dir, 'server.pem'), pki.server.pem + pki.intermediate.pem);
    writePrivateKey(join(dir, 'server.key.pem'), pki.server.keyPem);
  }
}

function writePrivateKey(file: string, pem: string): void {
  writeFileSync(file, pem, { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync's mode only applies on creation
}
