/**
 * Remembers values (nonces) until they expire, to refuse a replayed request. Expiries arrive
 * roughly in order, so expired entries are dropped from the front (Map keeps insertion order).
 * When full of live entries it refuses new ones: failing closed beats forgetting a nonce that
 * could then be replayed.
 */
export class ReplayWindow {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** Records `key` until `expiresAt` (ms): 'new', 'seen' (a replay), or 'full' (refuse: fail closed). */
  remember(key: string, expiresAt: number, now: number): 'new' | 'seen' | 'full' {
    this.evictExpired(now);
    const seen = this.expiries.get(key);
    if (seen !== undefined && seen > now) return 'seen';
    if (this.expiries.size >= this.capacity) this.sweep(now);
    if (this.expiries.size >= this.capacity) return 'full';
    this.expiries.delete(key); // an expired entry moves to the back, in expiry order
    this.expiries.set(key, expiresAt);
    return 'new';
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
