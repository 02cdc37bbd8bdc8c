import type { ParsedCertificate } from '../certificate/parsed-certificate';
import type { RevocationMode, RevocationOptions } from '../options/revocation.options';
import type { BreakerState } from './circuit.breaker';
import { CrlStore, type CrlHealth } from './crl.store';
import { OcspClient } from './ocsp.client';
import { resolveRevocationOptions, type ResolvedRevocationOptions } from './revocation-options.resolver';
import { consoleRevocationLogger, type RevocationLogger } from './revocation.logger';
import type { RevocationVerdict } from './revocation.verdict';

export { enforceRevocationVerdict, type RevocationVerdict } from './revocation.verdict';

/** State for a health indicator. */
export interface RevocationHealth {
  crls: CrlHealth[];
  ocsp: Array<{ url: string; breaker: BreakerState }>;
}

interface PathSettings {
  mode: RevocationMode;
  crl: boolean;
  ocsp: boolean;
}

type CertVerdict = Omit<RevocationVerdict, 'mode'> & { thisUpdate?: Date };

/**
 * The answer whenever checking is off for the path's anchor, returned as it is (not in a
 * promise): the cold path then spends no date, verdict object, async frame or microtask on a
 * step that does nothing.
 */
const OFF: RevocationVerdict = Object.freeze({ status: 'unknown', source: 'none', mode: 'off', reason: 'revocation checking is off' });

/**
 * Revocation step of the pipeline. For each certificate of a validated path (leaf first, anchor
 * last; the anchor itself is not checked): a fresh, verified CRL answers first, from memory;
 * otherwise OCSP (cached, coalesced, behind a circuit breaker). The leaf must get an answer;
 * an intermediate is checked where data exists. Any `revoked` wins; then any `unknown`.
 * @example
 * const checker = new RevocationChecker({ mode: 'hard-fail', crl: { files: ['/etc/ca.crl'] } }, logger);
 * await checker.start();
 * enforceRevocationVerdict(await checker.check(path));
 */
export class RevocationChecker {
  private readonly options: ResolvedRevocationOptions;
  private readonly crls: CrlStore;
  private readonly ocsp: OcspClient;
  private readonly settingsByAnchor = new Map<string, PathSettings>();

  constructor(
    options: RevocationOptions | undefined,
    private readonly logger: RevocationLogger = consoleRevocationLogger,
  ) {
    this.options = resolveRevocationOptions(options);
    this.crls = new CrlStore(this.options.crl, this.options.clockSkewMs, logger);
    this.ocsp = new OcspClient(this.options.ocsp, this.options.clockSkewMs, logger);
  }

  /** Loads configured CRL files and URLs and starts their background refresh. */
  async start(): Promise<void> {
    if (this.options.mode === 'off' && this.options.anchors.every((a) => a.mode === undefined || a.mode === 'off')) return;
    if (this.options.crl.enabled) await this.crls.start();
  }

  /** Stops every refresh timer. */
  stop(): void {
    this.crls.stop();
  }

  /** @param path validated path, leaf first, anchor last. */
  async check(path: readonly ParsedCertificate[], at?: Date): Promise<RevocationVerdict> {
    return this.checkMaybeAsync(path, at);
  }

  /**
   * `check`, with the verdict itself (not a promise) when checking is off for the path's anchor.
   * @internal the authenticator's; use `check`.
   */
  checkMaybeAsync(path: readonly ParsedCertificate[], at?: Date): RevocationVerdict | Promise<RevocationVerdict> {
    const settings = this.settingsFor(path[path.length - 1]);
    return settings.mode === 'off' ? OFF : this.checkPath(path, at ?? new Date(), settings);
  }

  private async checkPath(path: readonly ParsedCertificate[], at: Date, settings: PathSettings): Promise<RevocationVerdict> {
    if (path.length < 2) return { status: 'good', source: 'none', mode: settings.mode, reason: 'the certificate is a trust anchor' };
    // Never reject: a bug or an odd certificate must become `unknown` (decided by the mode), not a 500.
    const failed = (cert: ParsedCertificate, error: Error): CertVerdict => ({
      status: 'unknown',
      source: 'none',
      reason: `revocation check failed: ${error.message}`,
      serialNumber: cert.serialNumber,
    });
    const issued = path.slice(0, -1);
    const checks = issued.map((cert, i) => this.checkOne(cert, path[i + 1], at, settings).catch((error: Error) => failed(cert, error)));
    const results = await Promise.all(checks);
    const relevant = results.filter((r, i) => i === 0 || r.source !== 'none' || r.reason?.startsWith('revocation check failed'));
    const decisive = relevant.find((r) => r.status === 'revoked') ?? relevant.find((r) => r.status === 'unknown') ?? results[0];
    const { thisUpdate, ...rest } = decisive;
    const verdict: RevocationVerdict = { ...rest, mode: settings.mode };
    // A cached verdict must not outlive the data behind it: the earliest expiry of the answers used.
    const expiries = relevant.map((r) => r.validUntil?.getTime());
    if (verdict.status !== 'unknown' && expiries.every((t) => t !== undefined)) verdict.validUntil = new Date(Math.min(...(expiries as number[])));
    else delete verdict.validUntil;
    if (thisUpdate) verdict.dataAgeSeconds = Math.max(0, Math.round((at.getTime() - thisUpdate.getTime()) / 1000));
    if (verdict.status === 'unknown') {
      this.logger.warn(settings.mode === 'hard-fail' ? 'client-cert.revocation.unknown_refused' : 'client-cert.revocation.unknown_allowed', {
        serialNumber: verdict.serialNumber,
        reason: verdict.reason,
      });
    }
    return verdict;
  }

  health(at = new Date()): RevocationHealth {
    return { crls: this.crls.health(at), ocsp: this.ocsp.health() };
  }

  /**
   * Changes whenever any CRL or OCSP data held here changes (CRL load or refresh, OCSP cache
   * insert or eviction). A verdict reached under generation `g` holds, until its `validUntil`,
   * while this still returns `g`. Expiry is the caller's job: it is time, not data.
   */
  generation(): number {
    return this.crls.version + this.ocsp.version;
  }

  /** Counters for tests and metrics: OCSP queries sent and CRL load attempts per location. */
  stats(): { ocspRequests: number; crlLoads: Record<string, number> } {
    return { ocspRequests: this.ocsp.requests, crlLoads: this.crls.loadCounts() };
  }

  private async checkOne(cert: ParsedCertificate, issuer: ParsedCertificate, at: Date, settings: PathSettings): Promise<CertVerdict> {
    const serialNumber = cert.serialNumber;
    const crl = settings.crl ? await this.crls.lookup(cert, issuer, at, this.options.crl.useDistributionPoints) : undefined;
    if (crl && crl.status !== 'unknown') {
      return { status: crl.status, source: 'crl', reason: crl.reason, thisUpdate: crl.thisUpdate, validUntil: crl.validUntil, serialNumber };
    }
    const ocsp = settings.ocsp ? await this.ocsp.check(cert, issuer, at) : undefined;
    if (ocsp && ocsp.status !== 'unknown') {
      return { status: ocsp.status, source: 'ocsp', reason: ocsp.reason, thisUpdate: ocsp.thisUpdate, validUntil: ocsp.validUntil, serialNumber };
    }
    const reasons = [crl?.reason, ocsp?.reason].filter((r): r is string => !!r);
    const source = ocsp ? 'ocsp' : crl ? 'crl' : 'none';
    return { status: 'unknown', source, reason: reasons.join('; ') || 'no CRL or OCSP responder covers this certificate', serialNumber };
  }

  private settingsFor(anchor: ParsedCertificate | undefined): PathSettings {
    const key = anchor?.fingerprintSha256 ?? '';
    let settings = this.settingsByAnchor.get(key);
    if (!settings) {
      const o = this.options;
      const override =
        anchor && o.anchors.find((a) => a.fingerprintSha256 === anchor.fingerprintSha256 || (a.subject !== undefined && a.subject === anchor.subject.rfc4514));
      settings = {
        mode: override?.mode ?? o.mode,
        crl: override?.crlEnabled ?? o.crl.enabled,
        ocsp: override?.ocspEnabled ?? o.ocsp.enabled,
      };
      this.settingsByAnchor.set(key, settings);
    }
    return settings;
  }
}
