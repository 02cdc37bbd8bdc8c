import { createHash } from 'node:crypto';
import { issueCertificate, type IssuedCertificate } from '@client-cert-auth/dev-pki';

/** A small chain generated at test time (never committed): root -> intermediate -> leaves. */
export interface ForwardedPki {
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
  /** A plain client. */
  leaf: IssuedCertificate;
  /** Another client: the certificate an attacker would try to smuggle in. */
  hostile: IssuedCertificate;
}

let cached: ForwardedPki | undefined;

export function forwardedPki(): ForwardedPki {
  if (cached) return cached;
  const root = issueCertificate({ subject: 'CN=Header Test Root,O=Example', ca: true });
  const intermediate = issueCertificate({ subject: 'CN=Header Test Issuing CA,O=Example', issuer: root, ca: { pathLen: 0 } });
  const leaf = issueCertificate({ subject: 'CN=alice,O=Example', issuer: intermediate, san: { dns: ['alice.example'] } });
  const hostile = issueCertificate({ subject: 'CN=mallory,O=Evil', issuer: intermediate });
  cached = { root, intermediate, leaf, hostile };
  return cached;
}

export const sha256Hex = (der: Buffer): string => createHash('sha256').update(der).digest('hex');

/** How each proxy writes a certificate, as close to the real thing as a string can be. */
export const encode = {
  /** RFC 8941 byte sequence. */
  item: (der: Buffer): string => `:${der.toString('base64')}:`,
  /** RFC 8941 list of byte sequences. */
  list: (ders: Buffer[]): string => ders.map((der) => `:${der.toString('base64')}:`).join(', '),
  /** nginx `$ssl_client_escaped_cert`, Envoy: every reserved character escaped. */
  urlPem: (pem: string): string => encodeURIComponent(pem),
  /** AWS ALB: only spaces and newlines escaped; `+`, `/`, `=` left as they are. */
  albPem: (pem: string): string => pem.replace(/ /g, '%20').replace(/\n/g, '%0A'),
  /** Apache `%{SSL_CLIENT_CERT}s` through mod_headers: newlines become spaces. */
  spacedPem: (pem: string): string => pem.trim().replace(/\n/g, ' '),
  /** nginx legacy `$ssl_client_cert` as an insecure parser hands it over: tab continuations. */
  tabbedPem: (pem: string): string => pem.trim().replace(/\n/g, '\t'),
  base64: (der: Buffer): string => der.toString('base64'),
  /** Envoy XFCC element; values quoted and `"` escaped the way Envoy does. */
  xfcc: (fields: Record<string, string>): string =>
    Object.entries(fields)
      .map(([key, value]) => (/[,;="]/.test(value) ? `${key}="${value.replace(/"/g, '\\"')}"` : `${key}=${value}`))
      .join(';'),
};

/** What a table row expects: the certificates, or the error code. */
export type Expected = { leaf: Buffer; chain?: Buffer[] } | string;

/** Runs `read` and checks it against a row's expectation (certificates by bytes, or ClientCertError code). */
export function expectOutcome(read: () => { leaf: Buffer; chain: readonly Buffer[] }, expected: Expected): void {
  if (typeof expected === 'string') {
    let error: unknown;
    try {
      read();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: 'ClientCertError', code: expected });
    return;
  }
  const result = read();
  expect(result.leaf.equals(expected.leaf)).toBe(true);
  expect(result.chain.map((der) => der.toString('hex'))).toEqual((expected.chain ?? []).map((der) => der.toString('hex')));
}
