export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A per-responder circuit breaker. After `failureThreshold` consecutive failures it opens for
 * `openMs`: calls are refused at once, so a dead responder does not add its timeout to every
 * request. Then one trial call is let through (half-open): success closes it, failure reopens it.
 * @example
 * if (!breaker.tryAcquire()) return unknown('circuit open');
 * try { ...; breaker.success(); } catch { breaker.failure(); }
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt?: number;
  private trialRunning = false;

  constructor(
    private readonly failureThreshold: number,
    private readonly openMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.openMs ? 'half-open' : 'open';
  }

  /** True when a call may go out now; in half-open only one trial call at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialRunning = false;
  }

  failure(): void {
    this.failures++;
    if (this.trialRunning || this.failures >= this.failureThreshold) this.openedAt = this.now();
    this.trialRunning = false;
  }
}
