import { LRUCache } from 'lru-cache';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { CircuitBreaker, type BreakerState } from './circuit.breaker';
import { httpFetch, type HttpFetchRequest } from './http.fetcher';
import { buildOcspRequest, certIdFor, type OcspCertId } from './ocsp-request.builder';
import { verifyOcspResponse } from './ocsp-response.verifier';
import type { ResolvedRevocationOptions } from './revocation-options.resolver';
import type { RevocationLogger } from './revocation.logger';

/** What OCSP says about one certificate. */
export interface OcspResult {
  status: 'good' | 'revoked' | 'unknown';
  reason?: string;
  thisUpdate?: Date;
  /** Until when this answer is served from cache. */
  validUntil?: Date;
  /** True when answered from cache (no network). */
  cached: boolean;
}

interface CacheEntry {
  result: OcspResult;
  nextUpdate?: Date;
  expiresAt: number;
}

/**
 * OCSP queries with the three things that keep them off the request path's critical budget:
 * a cache (`good` until nextUpdate or a cap, `revoked` long), one in-flight query per
 * certificate (concurrent requests share it), and a circuit breaker per responder URL.
 */
export class OcspClient {
  private readonly cache: LRUCache<string, CacheEntry>;
  private readonly inFlight = new Map<string, Promise<OcspResult>>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** CertIDs per certificate object and issuer key: hashing is skipped when the pipeline re-uses parsed certificates. */
  private readonly certIds = new WeakMap<ParsedCertificate, Map<string, OcspCertId>>();
  /** Queries sent, for health and tests. */
  requests = 0;
  /** Bumped whenever the answer cache changes (an insert, and the LRU eviction it may cause). */
  version = 0;

  constructor(
    private readonly options: ResolvedRevocationOptions['ocsp'],
    private readonly clockSkewMs: number,
    private readonly logger: RevocationLogger,
    private readonly fetch: (request: HttpFetchRequest) => Promise<Buffer> = httpFetch,
  ) {
    this.cache = new LRUCache({ max: options.cache.maxEntries });
  }

  /** Undefined when the certificate names no responder and none is configured. */
  check(cert: ParsedCertificate, issuer: ParsedCertificate, at: Date): Promise<OcspResult> | undefined {
    const url = this.options.responderUrl ?? cert.ocspUrls.find((u) => /^https?:\/\//i.test(u));
    if (!url) return undefined;
    const certId = this.certIdOf(cert, issuer);
    const hit = this.cache.get(certId.key);
    if (hit && hit.expiresAt > Date.now() && (!hit.nextUpdate || hit.nextUpdate.getTime() + this.clockSkewMs > at.getTime())) {
      return Promise.resolve({ ...hit.result, cached: true });
    }
    const running = this.inFlight.get(certId.key);
    if (running) return running;
    const breaker = this.breakerFor(url);
    if (!breaker.tryAcquire()) return Promise.resolve({ status: 'unknown', reason: `OCSP responder ${url} circuit open`, cached: false });
    const query = this.query(url, cert, issuer, certId, at, breaker).finally(() => this.inFlight.delete(certId.key));
    this.inFlight.set(certId.key, query);
    return query;
  }

  health(): Array<{ url: string; breaker: BreakerState }> {
    return [...this.breakers.entries()].map(([url, breaker]) => ({ url, breaker: breaker.state }));
  }

  private async query(
    url: string,
    cert: ParsedCertificate,
    issuer: ParsedCertificate,
    certId: OcspCertId,
    at: Date,
    breaker: CircuitBreaker,
  ): Promise<OcspResult> {
    const { der, nonceExtnValue } = buildOcspRequest(certId, this.options.nonce);
    try {
      this.requests++;
      const body = await this.fetch({
        url,
        method: 'POST',
        body: der,
        contentType: 'application/ocsp-request',
        accept: 'application/ocsp-response',
        timeoutMs: this.options.timeoutMs,
        maxBytes: this.options.maxResponseBytes,
      });
      const answer = verifyOcspResponse(body, {
        cert,
        issuer,
        certId,
        nonceExtnValue,
        requireNonce: this.options.requireNonce,
        at,
        clockSkewMs: this.clockSkewMs,
        maxAgeWithoutNextUpdateMs: this.options.maxAgeWithoutNextUpdateMs,
      });
      breaker.success();
      const ttl = this.ttl(answer.status, answer.nextUpdate);
      const validUntil = ttl > 0 ? new Date(Date.now() + ttl) : undefined;
      const result: OcspResult = { status: answer.status, reason: answer.reason, thisUpdate: answer.thisUpdate, validUntil, cached: false };
      if (validUntil) {
        this.cache.set(certId.key, { result, nextUpdate: answer.nextUpdate, expiresAt: validUntil.getTime() });
        this.version++;
      }
      return result;
    } catch (error) {
      breaker.failure();
      const reason = `OCSP ${url}: ${(error as Error).message}`;
      this.logger.warn('client-cert.revocation.ocsp_failed', { url, serialNumber: cert.serialNumber, error: (error as Error).message, breaker: breaker.state });
      return { status: 'unknown', reason, cached: false };
    }
  }

  /** `unknown` from the responder is not cached: the certificate may be known on the next query. */
  private ttl(status: OcspResult['status'], nextUpdate: Date | undefined): number {
    const { maxGoodMs, goodWithoutNextUpdateMs, revokedMs } = this.options.cache;
    if (status === 'revoked') return revokedMs;
    if (status !== 'good') return 0;
    return nextUpdate ? Math.min(nextUpdate.getTime() - Date.now(), maxGoodMs) : goodWithoutNextUpdateMs;
  }

  private certIdOf(cert: ParsedCertificate, issuer: ParsedCertificate): OcspCertId {
    let byIssuer = this.certIds.get(cert);
    if (!byIssuer) this.certIds.set(cert, (byIssuer = new Map()));
    let id = byIssuer.get(issuer.publicKey.sha256);
    if (!id) byIssuer.set(issuer.publicKey.sha256, (id = certIdFor(cert, issuer)));
    return id;
  }

  private breakerFor(url: string): CircuitBreaker {
    let breaker = this.breakers.get(url);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options.circuitBreaker.failureThreshold, this.options.circuitBreaker.openMs);
      this.breakers.set(url, breaker);
    }
    return breaker;
  }
}
