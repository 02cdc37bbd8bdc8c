import { ClientCertOptionsError } from '../options/options.error';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import type { ResolvedRevocationOptions } from './revocation-options.resolver';
import type { ParsedCrl } from './crl.parser';
import { CrlSource, type CrlLocation } from './crl.source';
import type { RevocationLogger } from './revocation.logger';
import { importSpki, verifySignature } from './signature.verifier';
import { describeName } from './name.describer';

/** What the CRLs say about one certificate. */
export interface CrlAnswer {
  status: 'good' | 'revoked' | 'unknown';
  reason?: string;
  thisUpdate?: Date;
  /** The CRL's nextUpdate: the answer holds until then. */
  validUntil?: Date;
}

/** Health of one CRL location. */
export interface CrlHealth {
  source: string;
  issuer?: string;
  thisUpdate?: Date;
  nextUpdate?: Date;
  fresh: boolean;
  revokedCount?: number;
  lastError?: string;
}

/**
 * All CRL locations: configured files and URLs (loaded at start) and distribution points met
 * in certificates (loaded on first sight, then refreshed in the background). Lookups read only
 * memory, except the first request for an unseen distribution point.
 */
export class CrlStore {
  private readonly sources = new Map<string, CrlSource>();
  /** Signature checks are memoized per CRL copy and issuer key: a CRL is verified once, not per request. */
  private readonly verified = new WeakMap<ParsedCrl, Map<string, boolean>>();
  /** Bumped whenever any location gets a new CRL copy (load, refresh). */
  version = 0;

  constructor(
    private readonly options: ResolvedRevocationOptions['crl'],
    private readonly clockSkewMs: number,
    private readonly logger: RevocationLogger,
  ) {}

  /** Loads configured files and URLs. A configured file that cannot be loaded stops start-up. */
  async start(): Promise<void> {
    const locations: CrlLocation[] = [
      ...this.options.files.map((ref) => ({ kind: 'file' as const, ref })),
      ...this.options.urls.map((ref) => ({ kind: 'url' as const, ref })),
    ];
    const sources = locations.map((location) => this.track(location));
    await Promise.all(sources.map((source) => source.refresh()));
    const broken = sources.find((source) => source.location.kind === 'file' && !source.crl);
    if (broken) {
      const problem = `entry ${broken.location.ref} cannot be used (${broken.lastError})`;
      throw new ClientCertOptionsError('revocation.crl.files', problem, 'Fix the file or remove it from the list.');
    }
  }

  stop(): void {
    for (const source of this.sources.values()) source.stop();
  }

  /** The CRL status of `cert` issued by `issuer` at `at`; undefined when no CRL covers that issuer. */
  async lookup(cert: ParsedCertificate, issuer: ParsedCertificate, at: Date, useDistributionPoints: boolean): Promise<CrlAnswer | undefined> {
    if (useDistributionPoints) await this.loadDistributionPoints(cert);
    let best: ParsedCrl | undefined;
    let unusable: string | undefined;
    for (const source of this.sources.values()) {
      const crl = source.crl;
      if (!crl || !crl.issuerDer.equals(cert.issuer.der) || !this.covers(crl, cert)) continue;
      if (!this.verify(crl, issuer)) {
        unusable = `CRL from ${source.location.ref} does not verify with the issuer's key`;
        continue;
      }
      if (crl.thisUpdate.getTime() > at.getTime() + this.clockSkewMs) {
        unusable = `CRL from ${source.location.ref} is not yet valid (thisUpdate ${crl.thisUpdate.toISOString()})`;
        continue;
      }
      if (!crl.nextUpdate || crl.nextUpdate.getTime() + this.clockSkewMs <= at.getTime()) {
        unusable = `CRL from ${source.location.ref} expired (nextUpdate ${crl.nextUpdate?.toISOString() ?? 'absent'})`;
        continue;
      }
      if (!best || crl.thisUpdate > best.thisUpdate) best = crl;
    }
    if (!best) {
      // A distribution point the certificate names but that never loaded is data we lack, not absent data.
      const failed = cert.crlDistributionPoints.map((url) => this.sources.get(`url:${url}`)).find((s) => s && !s.crl && s.lastError);
      unusable ??= failed && `CRL from ${failed.location.ref} unavailable: ${failed.lastError}`;
      return unusable ? { status: 'unknown', reason: unusable } : undefined;
    }
    const entry = best.revoked.get(cert.serialNumber);
    if (entry) return { status: 'revoked', reason: entry.reason ?? 'listed in CRL', thisUpdate: best.thisUpdate, validUntil: best.nextUpdate };
    return { status: 'good', thisUpdate: best.thisUpdate, validUntil: best.nextUpdate };
  }

  health(at = new Date()): CrlHealth[] {
    return [...this.sources.values()].map((source) => ({
      source: source.location.ref,
      issuer: source.crl ? describeName(source.crl.issuerDer) : undefined,
      thisUpdate: source.crl?.thisUpdate,
      nextUpdate: source.crl?.nextUpdate,
      fresh: !!source.crl?.nextUpdate && source.crl.nextUpdate > at && source.crl.thisUpdate.getTime() <= at.getTime() + this.clockSkewMs,
      revokedCount: source.crl?.revoked.size,
      lastError: source.lastError,
    }));
  }

  /** For tests and the health indicator: how many times each location was loaded. */
  loadCounts(): Record<string, number> {
    return Object.fromEntries([...this.sources.values()].map((s) => [s.location.ref, s.loads]));
  }

  private async loadDistributionPoints(cert: ParsedCertificate): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const url of cert.crlDistributionPoints) {
      if (!/^https?:\/\//i.test(url) || this.sources.has(`url:${url}`)) continue;
      if (this.sources.size >= this.options.files.length + this.options.urls.length + this.options.maxDistributionPoints) {
        this.logger.warn('client-cert.revocation.crl_dp_limit', { url, limit: this.options.maxDistributionPoints });
        continue;
      }
      pending.push(this.track({ kind: 'url', ref: url }).refresh());
    }
    // Only a distribution point never seen before costs a fetch on the request path; later ones
    // are refreshed by their timers. Concurrent first requests share the one load (CrlSource.refresh).
    await Promise.all(pending);
  }

  private track(location: CrlLocation): CrlSource {
    const key = `${location.kind}:${location.ref}`;
    let source = this.sources.get(key);
    if (!source) {
      source = new CrlSource(location, this.options, this.logger, () => this.version++);
      this.sources.set(key, source);
    }
    return source;
  }

  /** RFC 5280 §6.3.3: a CRL with an issuingDistributionPoint only covers what it names. */
  private covers(crl: ParsedCrl, cert: ParsedCertificate): boolean {
    const isCa = cert.basicConstraints?.ca === true;
    if ((crl.onlyUserCerts && isCa) || (crl.onlyCaCerts && !isCa)) return false;
    return !crl.scopeUris || crl.scopeUris.some((uri) => cert.crlDistributionPoints.includes(uri));
  }

  private verify(crl: ParsedCrl, issuer: ParsedCertificate): boolean {
    // Name chaining: the CRL must be issued by the certificate that issued `cert`.
    if (!crl.issuerDer.equals(issuer.subject.der)) return false;
    let memo = this.verified.get(crl);
    if (!memo) this.verified.set(crl, (memo = new Map()));
    const keyId = issuer.publicKey.sha256;
    let ok = memo.get(keyId);
    if (ok === undefined) {
      const usageOk = !issuer.keyUsage || issuer.keyUsage.has('cRLSign');
      ok = usageOk && verifySignature(crl.signatureAlgorithm, crl.tbs, crl.signature, issuer.publicKey.key ?? importSpki(issuer.publicKey.der));
      memo.set(keyId, ok);
    }
    return ok;
  }
}
