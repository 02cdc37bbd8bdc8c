import type { ParsedCertificate } from './parsed-certificate';

function append(out: ParsedCertificate[], list: readonly ParsedCertificate[] | undefined): void {
  if (list) for (const c of list) out.push(c);
}

function addTo(index: Map<string, ParsedCertificate[]>, key: string, cert: ParsedCertificate): void {
  const list = index.get(key);
  if (list) list.push(cert);
  else index.set(key, [cert]);
}

/**
 * The configured trust anchors and intermediates, indexed once at bootstrap by subject
 * (normalized name), subjectKeyIdentifier and fingerprint, so that finding a certificate's
 * candidate issuers per request is a few map lookups.
 */
export class TrustPoolIndex {
  /** Anchors and intermediates, deduplicated by fingerprint. */
  readonly configured = new Set<ParsedCertificate>();
  private readonly anchors = new Set<ParsedCertificate>();
  private readonly anchorsBySubject = new Map<string, ParsedCertificate[]>();
  private readonly intermediatesBySubject = new Map<string, ParsedCertificate[]>();
  private readonly anchorsBySki = new Map<string, ParsedCertificate[]>();
  private readonly intermediatesBySki = new Map<string, ParsedCertificate[]>();
  private readonly byFingerprint = new Map<string, ParsedCertificate>();

  constructor(anchors: readonly ParsedCertificate[], intermediates: readonly ParsedCertificate[]) {
    for (const anchor of anchors) {
      if (!this.add(anchor)) continue;
      this.anchors.add(anchor);
      addTo(this.anchorsBySubject, anchor.subject.normalized, anchor);
      if (anchor.subjectKeyIdentifier) addTo(this.anchorsBySki, anchor.subjectKeyIdentifier, anchor);
    }
    for (const cert of intermediates) {
      if (!this.add(cert)) continue;
      addTo(this.intermediatesBySubject, cert.subject.normalized, cert);
      if (cert.subjectKeyIdentifier) addTo(this.intermediatesBySki, cert.subjectKeyIdentifier, cert);
    }
  }

  isAnchor(cert: ParsedCertificate): boolean {
    return this.anchors.has(cert);
  }

  /** Whether these bytes are already configured (a forwarded copy of an anchor or intermediate adds nothing). */
  hasFingerprint(fingerprintSha256: string): boolean {
    return this.byFingerprint.has(fingerprintSha256);
  }

  /**
   * Candidate issuers of `cert`: anchors first, then configured intermediates, then `local` (the
   * forwarded chain, by subject). Configured ones go before forwarded ones so that whatever a
   * client appends to its chain (junk CAs that copy a CA's name and SKI) is only tried once the
   * operator's own certificates failed: it costs a genuine client nothing. Names must chain
   * (RFC 5280 §6.1.3 (a)(4)); when `cert` has an AKI, a candidate with another SKI is pruned and
   * configured ones come from the SKI index.
   */
  issuersOf(cert: ParsedCertificate, local: ReadonlyMap<string, ParsedCertificate[]>): ParsedCertificate[] {
    const key = cert.issuer.normalized;
    const aki = cert.authorityKeyIdentifier;
    const forwarded = local.size === 0 ? undefined : local.get(key);
    const out: ParsedCertificate[] = [];
    // Plain loops, no spreads or closures: this runs for every certificate of every new path.
    if (!aki) {
      append(out, this.anchorsBySubject.get(key));
      append(out, this.intermediatesBySubject.get(key));
      append(out, forwarded);
      return out;
    }
    this.byKey(out, this.anchorsBySki, this.anchorsBySubject, key, aki);
    this.byKey(out, this.intermediatesBySki, this.intermediatesBySubject, key, aki);
    if (forwarded) for (const c of forwarded) if (!c.subjectKeyIdentifier || c.subjectKeyIdentifier === aki) out.push(c);
    return out;
  }

  /** Configured certificates with the subject `key` whose SKI is `aki`, then those without an SKI. */
  private byKey(
    out: ParsedCertificate[],
    bySki: Map<string, ParsedCertificate[]>,
    bySubject: Map<string, ParsedCertificate[]>,
    key: string,
    aki: string,
  ): void {
    const withSki = bySki.get(aki);
    if (withSki) for (const c of withSki) if (c.subject.normalized === key) out.push(c);
    const withSubject = bySubject.get(key);
    if (withSubject) for (const c of withSubject) if (!c.subjectKeyIdentifier) out.push(c);
  }

  private add(cert: ParsedCertificate): boolean {
    if (this.byFingerprint.has(cert.fingerprintSha256)) return false;
    this.byFingerprint.set(cert.fingerprintSha256, cert);
    this.configured.add(cert);
    void cert.publicKey.key; // import issuer keys now, not on the first request
    return true;
  }
}

const NO_FORWARDED: ReadonlyMap<string, ParsedCertificate[]> = new Map();

/** Groups the forwarded chain by subject, without the leaf, duplicates and configured copies. */
export function indexForwardedChain(
  leaf: ParsedCertificate,
  chain: readonly ParsedCertificate[],
  pool: TrustPoolIndex,
): ReadonlyMap<string, ParsedCertificate[]> {
  if (chain.length === 0) return NO_FORWARDED;
  const local = new Map<string, ParsedCertificate[]>();
  for (const cert of chain) {
    if (cert === leaf || cert.der.equals(leaf.der) || pool.hasFingerprint(cert.fingerprintSha256)) continue;
    if (local.get(cert.subject.normalized)?.some((c) => c.der.equals(cert.der))) continue;
    addTo(local, cert.subject.normalized, cert);
  }
  return local;
}
