import type { DataSource } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
import { BindingEntity } from '../entities/binding.entity';
import type { RegistryLogger } from './registry.logger';

/** The certificate a request presented under a binding, as `accounts list --expiring` reports it. */
export interface CertificateSighting {
  readonly bindingId: string;
  /** Lowercase hex. */
  readonly fingerprintSha256: string;
  readonly notAfter: Date;
}

/**
 * Bindings per UPDATE statement: three parameters each (ids twice more in the IN list on
 * SQLite), far below SQLite's and PostgreSQL's limits on bound parameters.
 */
const BINDINGS_PER_UPDATE = 300;

/**
 * Remembers which accounts were seen, and per binding which certificate, and writes them in one
 * flush, never per request: one UPDATE of `last_seen_at` over every account seen, one UPDATE of
 * `last_cert_not_after` / `last_cert_fingerprint` over every binding seen (a `CASE` per column;
 * one statement per 300 bindings). Accuracy is the flush interval: every account seen since the
 * last flush gets the time of its latest sighting rounded up to that batch; a binding keeps the
 * certificate seen last under it. A failed flush keeps the batch for the next attempt (the
 * registry being down must not lose sightings, nor fail requests).
 */
export class LastSeenRecorder {
  private pending = new Map<string, number>();
  private certificates = new Map<string, CertificateSighting>();
  private readonly timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: RegistryLogger,
    flushSeconds: number,
    /** A batch this large is written at once instead of waiting for the interval (memory stays bounded). */
    private readonly maxPending = 10_000,
  ) {
    if (flushSeconds > 0) this.timer = setInterval(() => void this.flush(), flushSeconds * 1000).unref();
  }

  /** Hot path: one or two Map writes, nothing else (the sighting object is made once per cache miss). */
  record(accountId: string, at: number, certificate?: CertificateSighting): void {
    this.pending.set(accountId, at);
    if (certificate) this.certificates.set(certificate.bindingId, certificate);
    // Coalesced: while a flush runs, this joins it; the next batch starts after it.
    if (this.pending.size >= this.maxPending || this.certificates.size >= this.maxPending) void this.flush();
  }

  /** Number of accounts waiting to be written (for tests and metrics). */
  get size(): number {
    return this.pending.size;
  }

  /** Writes the pending batch; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    const accounts = this.pending;
    const certificates = this.certificates;
    this.pending = new Map();
    this.certificates = new Map();
    if (accounts.size > 0) await this.writeAccounts(accounts);
    if (certificates.size > 0) await this.writeCertificates([...certificates.values()]);
  }

  private async writeAccounts(batch: Map<string, number>): Promise<void> {
    const latest = new Date(Math.max(...batch.values()));
    try {
      await this.dataSource
        .createQueryBuilder()
        .update(AccountEntity)
        .set({ lastSeenAt: latest })
        .whereInIds([...batch.keys()])
        .execute();
    } catch (error) {
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      this.logger.warn(`registry.last_seen.flush_failed: ${(error as Error).message}`);
    }
  }

  private async writeCertificates(sightings: CertificateSighting[]): Promise<void> {
    for (let start = 0; start < sightings.length; start += BINDINGS_PER_UPDATE) {
      const chunk = sightings.slice(start, start + BINDINGS_PER_UPDATE);
      try {
        await this.updateBindings(chunk);
      } catch (error) {
        // A sighting recorded since is newer: it wins over the one being put back.
        for (const s of sightings.slice(start)) if (!this.certificates.has(s.bindingId)) this.certificates.set(s.bindingId, s);
        this.logger.warn(`registry.last_seen.flush_failed: ${(error as Error).message}`);
        return;
      }
    }
  }

  /** One UPDATE for the chunk: each row gets its own values through `CASE "id" WHEN … THEN … END`. */
  private async updateBindings(chunk: CertificateSighting[]): Promise<void> {
    // PostgreSQL types a CASE of bare parameters as text, which does not assign to timestamptz.
    const asTimestamp = this.dataSource.options.type === 'postgres' ? (p: string) => `CAST(${p} AS timestamptz)` : (p: string) => p;
    const parameters: Record<string, unknown> = {};
    const notAfter: string[] = [];
    const fingerprint: string[] = [];
    chunk.forEach((s, i) => {
      Object.assign(parameters, { [`b${i}`]: s.bindingId, [`n${i}`]: s.notAfter, [`f${i}`]: s.fingerprintSha256 });
      notAfter.push(`WHEN :b${i} THEN ${asTimestamp(`:n${i}`)}`);
      fingerprint.push(`WHEN :b${i} THEN :f${i}`);
    });
    await this.dataSource
      .createQueryBuilder()
      .update(BindingEntity)
      .set({
        lastCertNotAfter: () => `CASE "id" ${notAfter.join(' ')} ELSE "last_cert_not_after" END`,
        lastCertFingerprint: () => `CASE "id" ${fingerprint.join(' ')} ELSE "last_cert_fingerprint" END`,
      })
      .where('"id" IN (:...bindingIds)', { bindingIds: chunk.map((s) => s.bindingId) })
      .setParameters(parameters)
      .execute();
  }
}
