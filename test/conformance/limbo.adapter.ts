import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { parseCertificate } from '@client-cert-auth/core';
import { decodePemCertificates } from '@client-cert-auth/core';
import type { ParsedCertificate } from '@client-cert-auth/core';
import { CertificatePathValidator } from '@client-cert-auth/core';
import { CrlStore } from '../../libs/core/src/revocation/crl.store';
import { resolveRevocationOptions } from '../../libs/core/src/revocation/revocation-options.resolver';
import { type ValidationMode, validateIn } from '../../libs/core/src/certificate/validation.spec-helper';

/** One x509-limbo test case (the fields this adapter reads). */
export interface LimboCase {
  id: string;
  features?: string[] | null;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  signature_algorithms?: string[] | null;
  key_usage?: string[] | null;
  extended_key_usage?: string[] | null;
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name?: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  expected_peer_names?: Array<{ kind: string; value: string }> | null;
  max_chain_depth?: number | null;
  crls?: string[] | null;
}

/**
 * Features the validator does not implement. CRLs belong to the revocation step; the one
 * `rfc5280-incompatible-with-webpki` case requires critical nameConstraints, which conflicts
 * with the web PKI profile this validator follows (its webpki:: twin is evaluated).
 */
export const UNSUPPORTED_FEATURES = new Set(['rfc5280-incompatible-with-webpki', 'pedantic-webpki-eku', 'pedantic-rfc5280']);

const PSL_FILE = '/usr/share/publicsuffix/public_suffix_list.dat';
let suffixes: Set<string> | undefined;

/** Public suffixes (for wildcard matching only); falls back to "single label" when the list is absent. */
function isPublicSuffix(domain: string): boolean {
  if (!suffixes) {
    suffixes = new Set();
    if (existsSync(PSL_FILE)) {
      for (const line of readFileSync(PSL_FILE, 'utf8').split('\n')) {
        const rule = line.trim();
        if (rule && !rule.startsWith('//') && !rule.startsWith('!')) suffixes.add(rule);
      }
    }
  }
  const parent = domain.slice(domain.indexOf('.') + 1);
  return !domain.includes('.') || suffixes.has(domain) || (domain.includes('.') && suffixes.has(`*.${parent}`));
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const validDns = (name: string) => name.split('.').every((l) => LABEL.test(l)) && !isIP(name);

/** RFC 6125 §6.4 DNS-ID matching: exact, or one whole leftmost-label wildcard not over a public suffix. */
function dnsMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return validDns(p) && p === h;
  const base = p.slice(2);
  if (!validDns(base) || isPublicSuffix(base)) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === base;
}

const canonicalIp = (text: string) => (isIP(text) === 6 ? new URL(`http://[${text}]`).hostname.slice(1, -1) : text);

/** An IPv4 address in any inet_aton spelling (hex, octal, fewer parts), as attackers write them. */
const IPV4_ANY_FORM = /^(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){0,3}$/i;
const IPV4_CANONICAL = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * A commonName that spells a host name or address in a confusable way (an IP in non-canonical
 * text, Unicode instead of A-labels, a SAN name in other case) is refused (CA/B Forum BR
 * 7.1.4.3: the CN must be a character-for-character copy of a SAN entry). Other CNs are
 * ignored, as RFC 6125 §6.4.4 says once a SAN is present.
 */
function confusableCommonName(cn: string, sans: ParsedCertificate['subjectAltNames']): boolean {
  if (sans.dns.includes(cn) || sans.ip.includes(cn)) return false;
  // An address in anything but its canonical text (hex, leading zeros, upper case, uncompressed).
  if (IPV4_ANY_FORM.test(cn)) return !IPV4_CANONICAL.test(cn);
  if (isIP(cn) === 6) return canonicalIp(cn) !== cn;
  if (/[^\p{ASCII}]/u.test(cn) && cn.includes('.')) return true;
  return sans.dns.some((name) => name.toLowerCase() === cn.toLowerCase());
}

/** Server identity as a TLS client checks it: SAN only (RFC 6125), plus the CN consistency rule above. */
export function serverNameMatches(leaf: ParsedCertificate, peer: { kind: string; value: string }): boolean {
  const sans = leaf.subjectAltNames;
  for (const rdn of leaf.subject.rdns) {
    for (const attr of rdn) if (attr.oid === '2.5.4.3' && confusableCommonName(attr.value, sans)) return false;
  }
  if (peer.kind === 'DNS') return sans.dns.some((pattern) => dnsMatches(pattern, peer.value));
  if (peer.kind === 'IP') return sans.ip.some((ip) => canonicalIp(ip) === canonicalIp(peer.value));
  return false;
}

function parseAll(pems: string[]): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  for (const pem of pems) {
    for (const der of decodePemCertificates(pem)) {
      try {
        out.push(parseCertificate(der));
      } catch {
        // A malformed anchor or pool certificate simply cannot be part of a path.
      }
    }
  }
  return out;
}

const quietLogger = { warn: () => undefined };

/**
 * The revocation step (the revocation teammate's CrlStore) in hard-fail mode over the case's
 * CRLs: a revoked certificate, or a CRL for an issuer in the path that cannot be used, fails.
 */
async function crlFailure(crls: string[], path: readonly ParsedCertificate[], at: Date): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'limbo-crl-'));
  const files = crls.map((pem, i) => {
    const file = join(dir, `${i}.crl.pem`);
    writeFileSync(file, pem);
    return file;
  });
  const store = new CrlStore(resolveRevocationOptions({ crl: { files } }).crl, 0, quietLogger);
  try {
    await store.start();
    for (let i = 0; i + 1 < path.length; i++) {
      const answer = await store.lookup(path[i], path[i + 1], at, false);
      if (answer && answer.status !== 'good') return `CRL status ${answer.status}: ${answer.reason ?? ''}`;
    }
    return undefined;
  } catch (error) {
    return `CRL unusable: ${(error as Error).message}`;
  } finally {
    store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs one case through the module's validator; returns the verdict and a reason. In
 * 'thread pool' mode the costly signatures are verified on the thread pool first, as the
 * authenticator does for a never-seen certificate.
 */
export async function runCase(c: LimboCase, mode: ValidationMode = 'sync'): Promise<{ result: 'SUCCESS' | 'FAILURE'; reason: string }> {
  let leaf: ParsedCertificate;
  try {
    leaf = parseCertificate(decodePemCertificates(c.peer_certificate)[0]);
  } catch (error) {
    return { result: 'FAILURE', reason: `leaf: ${(error as Error).message}` };
  }
  const eku = c.extended_key_usage?.length ? c.extended_key_usage : c.validation_kind === 'SERVER' ? ['serverAuth'] : [];
  const validator = new CertificatePathValidator({
    anchors: parseAll(c.trusted_certs),
    clockSkewSeconds: 0,
    requiredEku: eku,
    requiredKeyUsage: c.key_usage ?? [],
    maxPathLength: c.max_chain_depth ?? 8,
  });
  const at = c.validation_time ? new Date(c.validation_time) : new Date();
  const verdict = await validateIn(mode, validator, leaf, parseAll(c.untrusted_intermediates), { at });
  if (!verdict.ok) return { result: 'FAILURE', reason: `${verdict.code}: ${verdict.reason}` };
  const revoked = c.crls?.length ? await crlFailure(c.crls, verdict.path, at) : undefined;
  if (revoked) return { result: 'FAILURE', reason: revoked };
  if (c.validation_kind === 'SERVER' && c.expected_peer_name && !serverNameMatches(leaf, c.expected_peer_name)) {
    return { result: 'FAILURE', reason: `peer name ${c.expected_peer_name.value} does not match` };
  }
  for (const peer of c.validation_kind === 'CLIENT' ? (c.expected_peer_names ?? []) : []) {
    if (peer.kind === 'RFC822' && !leaf.subjectAltNames.email.includes(peer.value)) {
      return { result: 'FAILURE', reason: `client name ${peer.value} not in SAN` };
    }
  }
  return { result: 'SUCCESS', reason: 'path validated' };
}
