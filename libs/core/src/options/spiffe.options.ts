import { readFileSync } from 'node:fs';
import { parseCertificate } from '../certificate/certificate.parser';
import { decodePemCertificates } from '../certificate/pem';
import { ClientCertOptionsError } from './options.error';
import type { TrustStore } from './trust-store.loader';

/**
 * Which trust anchors speak for which SPIFFE trust domains.
 *
 * @example { trustDomains: { 'company.example': { anchors: ['/etc/client-ca/company-root.pem'] }, 'partner.example': { anchors: ['sha256:3f1c…'] } } }
 */
export interface SpiffeOptions {
  /**
   * Trust domain -> the trust anchors allowed to validate certificates of that domain, each a PEM
   * file of the anchor or `sha256:<hex>` of its SubjectPublicKeyInfo. A certificate with a
   * `spiffe://` URI SAN whose domain is missing here, or whose path ends at an anchor not listed
   * for it, is refused with 403 `TRUST_DOMAIN_MISMATCH`.
   * @default unset: with ONE trust anchor, that anchor speaks for every domain; with several,
   * every certificate with a `spiffe://` URI SAN is refused until the domains are mapped.
   */
  trustDomains?: Record<string, { anchors: string[] }>;
}

/** The resolved map: trust domain -> SPKI SHA-256 (lowercase hex) of its anchors. */
export interface ResolvedSpiffePolicy {
  /** `undefined` when `trustDomains` is not set. */
  readonly trustDomains?: ReadonlyMap<string, ReadonlySet<string>>;
  /** SPKI SHA-256 of every configured trust anchor. */
  readonly anchorKeys: ReadonlySet<string>;
}

const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;
const SPKI_HASH = /^(?:sha256:)?([0-9a-f]{64})$/i;

/** Validates `spiffe` against the loaded trust store (bootstrap only). */
export function resolveSpiffeOptions(options: SpiffeOptions | undefined, trustStore: TrustStore): ResolvedSpiffePolicy {
  const anchorKeys = new Set(trustStore.anchors.map((a) => a.publicKey.sha256));
  const domains = options?.trustDomains;
  if (domains === undefined) return Object.freeze({ anchorKeys });
  if (typeof domains !== 'object' || domains === null || Array.isArray(domains)) {
    throw new ClientCertOptionsError(
      'spiffe.trustDomains',
      'is not an object',
      "Map each trust domain to its anchors: { 'company.example': { anchors: ['/etc/client-ca/root.pem'] } }.",
    );
  }
  const map = new Map<string, ReadonlySet<string>>();
  for (const [domain, entry] of Object.entries(domains)) {
    const option = `spiffe.trustDomains["${domain}"]`;
    if (!TRUST_DOMAIN.test(domain)) {
      throw new ClientCertOptionsError(
        option,
        'is not a SPIFFE trust domain',
        'Use the lower-case domain of the SPIFFE IDs, e.g. company.example (no scheme, port or path).',
      );
    }
    const anchors = entry?.anchors;
    if (!Array.isArray(anchors) || anchors.length === 0) {
      throw new ClientCertOptionsError(
        `${option}.anchors`,
        'is empty',
        'List the PEM file or sha256:<SPKI hex> of every trust anchor that issues for this domain.',
      );
    }
    const keys = new Set(anchors.flatMap((anchor) => anchorKeysOf(`${option}.anchors`, anchor)));
    for (const key of keys) {
      if (!anchorKeys.has(key)) {
        throw new ClientCertOptionsError(
          `${option}.anchors`,
          `names the key sha256:${key}, which is not one of trustAnchors`,
          'List anchors from trustAnchors only (their SPKI SHA-256: openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum).',
        );
      }
    }
    map.set(domain, keys);
  }
  return Object.freeze({ trustDomains: map, anchorKeys });
}

function anchorKeysOf(option: string, anchor: string): string[] {
  const hash = SPKI_HASH.exec(String(anchor).trim());
  if (hash) return [hash[1].toLowerCase()];
  let text: string;
  try {
    text = readFileSync(anchor, 'utf8');
  } catch (error) {
    throw new ClientCertOptionsError(
      option,
      `cannot read ${anchor} (${(error as Error).message})`,
      'Give the PEM file of a trust anchor, or sha256:<SPKI hex>.',
    );
  }
  try {
    return decodePemCertificates(text).map((der) => parseCertificate(der).publicKey.sha256);
  } catch (error) {
    throw new ClientCertOptionsError(option, `${anchor} is not a PEM certificate (${(error as Error).message})`, 'Give the PEM file of a trust anchor.');
  }
}
