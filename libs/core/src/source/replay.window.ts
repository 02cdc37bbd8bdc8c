/**
 * Remembers values (MACs) until they expire, to refuse a replayed request. Expiries arrive
 * roughly in order, so expired entries are dropped from the front (Map keeps insertion order).
 * When full of live entries it refuses new ones: failing closed beats forgetting a MAC that
 * could then be replayed.
 */
export class ReplayWindow {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** Records `key` until `expiresAt` (ms). False when it was already seen (replay) or the window is full. */
  remember(key: string, expiresAt: number, now: number): boolean {
    this.evictExpired(now);
    const seen = this.expiries.get(key);
    if (seen !== undefined && seen > now) return false;
    if (this.expiries.size >= this.capacity) this.sweep(now);
    if (this.expiries.size >= this.capacity) return false;
    this.expiries.set(key, expiresAt);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  /** Full scan, only when full: catches entries that expired out of order. */
  private sweep(now: number): void {
    for (const [key, expiresAt] of this.expiries) if (expiresAt <= now) this.expiries.delete(key);
  }

  private evictExpired(now: number): void {
    for (const [key, expiresAt] of this.expiries) {
      if (expiresAt > now) break;
      this.expiries.delete(key);
    }
  }
}
