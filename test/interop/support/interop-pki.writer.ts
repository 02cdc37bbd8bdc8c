import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate, writeDevPki, type DevPki } from '@client-cert-auth/dev-pki';

/** Paths of the files every proxy config and every curl call needs. */
export interface InteropFiles {
  readonly dir: string;
  /** The CA curl trusts for the proxy's server certificate (`curl --cacert`). */
  readonly serverCa: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Certificate then key in one file (HAProxy's `crt`). */
  readonly serverCertAndKey: string;
  /** Dev PKI root + intermediate: what the proxy verifies client certificates against. */
  readonly clientCa: string;
  /** The same two CAs, one file each (Caddy 2.6 reads only the first PEM block of a CA file). */
  readonly clientRootCa: string;
  readonly clientIntermediateCa: string;
  /** `<name>.pem` / `<name>.key.pem` of a dev PKI client, and of `stranger` (another CA). */
  client(name: string): { cert: string; key: string };
}

/**
 * Writes the TLS material of one interop run into `dir`: a server CA and a 127.0.0.1 server
 * certificate for the proxy (separate from the client PKI, as in production), the sample's dev
 * PKI clients, and a `stranger` client from a CA neither the proxy nor the backend trusts.
 */
export function writeInteropFiles(dir: string, pki: DevPki): InteropFiles {
  const serverCa = issueCertificate({ subject: 'CN=Interop Server CA,O=Interop', ca: { pathLen: 0 }, freshKey: true });
  const server = issueCertificate({
    subject: 'CN=127.0.0.1,O=Interop',
    issuer: serverCa,
    san: { ip: ['127.0.0.1'], dns: ['localhost'] },
    keyUsage: ['digitalSignature'],
    extendedKeyUsage: ['serverAuth'],
  });
  const strangerCa = issueCertificate({ subject: 'CN=Stranger CA', ca: { pathLen: 0 }, freshKey: true });
  const stranger = issueCertificate({ subject: 'CN=alice,O=Sample Clients', issuer: strangerCa, extendedKeyUsage: ['clientAuth'] });

  writeDevPki(dir, { ...pki, clients: { ...pki.clients, stranger } });
  const path = (name: string) => join(dir, name);
  writeFileSync(path('server-ca.pem'), serverCa.pem);
  writeFileSync(path('server.pem'), server.pem);
  writeFileSync(path('server.key.pem'), server.keyPem, { mode: 0o600 });
  writeFileSync(path('server-full.pem'), server.pem + server.keyPem, { mode: 0o600 });
  writeFileSync(path('client-ca.pem'), pki.root.pem + pki.intermediate.pem);
  return {
    dir,
    serverCa: path('server-ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key.pem'),
    serverCertAndKey: path('server-full.pem'),
    clientCa: path('client-ca.pem'),
    clientRootCa: path('root.pem'),
    clientIntermediateCa: path('intermediate.pem'),
    client: (name) => ({ cert: path(`${name}.pem`), key: path(`${name}.key.pem`) }),
  };
}
