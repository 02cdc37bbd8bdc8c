import type { DataSource } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
import type { RegistryLogger } from './registry.logger';

/**
 * Remembers which accounts were seen and writes `last_seen_at` in one UPDATE per flush, never
 * per request. Accuracy is the flush interval: every account seen since the last flush gets the
 * time of its latest sighting rounded up to that batch. A failed flush keeps the batch for the
 * next attempt (the registry being down must not lose sightings, nor fail requests).
 */
export class LastSeenRecorder {
  private pending = new Map<string, number>();
  private readonly timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: RegistryLogger,
    flushSeconds: number,
  ) {
    if (flushSeconds > 0) this.timer = setInterval(() => void this.flush(), flushSeconds * 1000).unref();
  }

  /** Hot path: a Map write, nothing else. */
  record(accountId: string, at: number): void {
    this.pending.set(accountId, at);
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
    if (this.pending.size === 0 || !this.dataSource.isInitialized) return;
    const batch = this.pending;
    this.pending = new Map();
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
}
