import { readFile } from 'node:fs/promises';
import type { ResolvedRevocationOptions } from './revocation-options.resolver';
import { parseCrl, type ParsedCrl } from './crl.parser';
import { httpFetch } from './http.fetcher';
import type { RevocationLogger } from './revocation.logger';

export type CrlLocation = { readonly kind: 'file' | 'url'; readonly ref: string };

/**
 * One CRL location (a file or a URL) and its latest good copy. It refreshes itself on a timer:
 * at `min(nextUpdate − margin, now + interval)`, or after `retryIntervalMs` when a load failed,
 * so the request path only ever reads `crl`. A failed or older download never replaces a good copy.
 */
export class CrlSource {
  crl?: ParsedCrl;
  loadedAt?: Date;
  lastError?: string;
  /** Load attempts (downloads or file reads), for metrics and tests. */
  loads = 0;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private stopped = false;

  constructor(
    readonly location: CrlLocation,
    private readonly options: ResolvedRevocationOptions['crl'],
    private readonly logger: RevocationLogger,
    /** Called whenever `crl` is replaced, so answers cached from the old copy can be dropped. */
    private readonly onChange?: () => void,
  ) {}

  /** Loads now (coalesced with a load already running) and schedules the next refresh. */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
    return this.inFlight;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async load(): Promise<void> {
    try {
      this.loads++;
      const bytes = await this.read();
      if (this.crl && this.crl.der.equals(bytes)) {
        this.lastError = undefined;
        return;
      }
      const next = parseCrl(bytes);
      if (this.crl && next.thisUpdate < this.crl.thisUpdate) {
        throw new Error(`refused an older CRL (thisUpdate ${next.thisUpdate.toISOString()} < ${this.crl.thisUpdate.toISOString()})`);
      }
      this.crl = next;
      this.onChange?.();
      this.loadedAt = new Date();
      this.lastError = undefined;
      this.logger.debug?.('client-cert.revocation.crl_loaded', { source: this.location.ref, revoked: next.revoked.size, nextUpdate: next.nextUpdate });
    } catch (error) {
      this.lastError = (error as Error).message;
      this.logger.warn('client-cert.revocation.crl_load_failed', { source: this.location.ref, error: this.lastError, keepingPrevious: !!this.crl });
    }
  }

  private async read(): Promise<Buffer> {
    if (this.location.kind === 'url') {
      return httpFetch({ url: this.location.ref, timeoutMs: this.options.fetchTimeoutMs, maxBytes: this.options.maxBytes, accept: 'application/pkix-crl' });
    }
    const bytes = await readFile(this.location.ref);
    if (bytes.length > this.options.maxBytes) throw new Error(`CRL file is ${bytes.length} bytes, above maxBytes ${this.options.maxBytes}`);
    return bytes;
  }

  private schedule(): void {
    if (this.stopped) return;
    const { refreshIntervalMs, refreshMarginMs, retryIntervalMs } = this.options;
    const retry = Math.min(retryIntervalMs, refreshIntervalMs);
    let delay = retry;
    if (this.crl && !this.lastError) {
      const untilDue = (this.crl.nextUpdate?.getTime() ?? 0) - refreshMarginMs - Date.now();
      delay = Math.min(refreshIntervalMs, untilDue > 0 ? untilDue : retry);
    }
    if (this.timer) clearTimeout(this.timer);
    // unref: a pending refresh must never keep the process alive.
    this.timer = setTimeout(() => void this.refresh(), delay);
    this.timer.unref();
  }
}
