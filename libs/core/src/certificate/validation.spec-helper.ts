import { type CertificateSpec, type IssuedCertificate, type KeySpec, issueCertificate } from '@client-cert-auth/dev-pki';
import { parseCertificate } from './certificate.parser';
import type { ParsedCertificate } from './parsed-certificate';

/** Test-only helpers: named chains generated at test time through @client-cert-auth/dev-pki. */
export const parse = (issued: IssuedCertificate): ParsedCertificate => parseCertificate(issued.der);

export function root(name = 'Root CA', key: KeySpec = 'p-256', extra: Partial<CertificateSpec> = {}): IssuedCertificate {
  return issueCertificate({ subject: `CN=${name},O=Test`, key, ca: true, ...extra });
}

export function intermediate(issuer: IssuedCertificate, name = 'Issuing CA', key: KeySpec = 'p-256', extra: Partial<CertificateSpec> = {}): IssuedCertificate {
  return issueCertificate({ subject: `CN=${name},O=Test`, issuer, key, ca: true, ...extra });
}

export function leaf(issuer: IssuedCertificate, extra: Partial<CertificateSpec> = {}, key: KeySpec = 'p-256'): IssuedCertificate {
  return issueCertificate({ subject: 'CN=client-1,O=Test', issuer, key, san: { dns: ['client-1.example.com'] }, ...extra });
}

/** root -> intermediate -> leaf with one key algorithm throughout. */
export function chainOf(key: KeySpec): { root: IssuedCertificate; intermediate: IssuedCertificate; leaf: IssuedCertificate } {
  const r = root(`Root ${key}`, key);
  const i = intermediate(r, `Issuing ${key}`, key);
  return { root: r, intermediate: i, leaf: leaf(i, {}, key) };
}
