import { ClientCertErrorCode } from '../errors/client-cert-error-code';

/** Time and the one timer the limiter uses; injected by tests, the system's otherwise. */
export interface DecisionLogClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Wall-clock time; the timer is `unref()`ed so a pending summary never keeps the process alive. */
export const SYSTEM_CLOCK: DecisionLogClock = {
  now: Date.now,
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** One `client_cert.decision.suppressed` entry: refusals of one code and profile left out of the log. */
export interface RefusalSummary {
  readonly event: 'client_cert.decision.suppressed';
  readonly code: string;
  readonly profile: string;
  readonly suppressed: number;
  readonly intervalSeconds: number;
}

interface Slot {
  readonly code: string;
  readonly profile: string;
  written: number;
  suppressed: number;
  touched: boolean;
}

/** Profile slot of refusals made before a profile matched (SOURCE_UNTRUSTED, …): as the metrics label it. */
const NO_PROFILE = 'none';
/** Slot of a profile or code the limiter was not built with; never expected, kept bounded anyway. */
const OTHER = 'other';

/**
 * Decides which refusals are written in full: the first `firstInFull` per code and profile in
 * each interval; the rest are counted and handed to `emit` as one summary per code and profile
 * when the interval ends (on the next refusal after it, on its timer, or on `close`).
 *
 * Memory is fixed at construction: one slot per refusal code x (configured profiles, `none`,
 * `other`). Profiles come from the configuration, never from the request. A request costs a clock
 * read and two map lookups; the timer is armed only once something was suppressed.
 */
export class RefusalLimiter {
  private readonly slots = new Map<string, Map<string, Slot>>();
  private readonly touched: Slot[] = [];
  private readonly intervalMs: number;
  private windowEnd = -Infinity;
  private timer: unknown;

  constructor(
    private readonly firstInFull: number,
    private readonly intervalSeconds: number,
    profiles: readonly string[],
    private readonly emit: (summary: RefusalSummary) => void,
    private readonly clock: DecisionLogClock = SYSTEM_CLOCK,
  ) {
    this.intervalMs = intervalSeconds * 1000;
    for (const code of [...Object.values(ClientCertErrorCode), OTHER]) {
      const byProfile = new Map<string, Slot>();
      for (const profile of [...profiles, NO_PROFILE, OTHER]) {
        byProfile.set(profile, { code, profile, written: 0, suppressed: 0, touched: false });
      }
      this.slots.set(code, byProfile);
    }
  }

  /** True when this refusal is to be written in full; false when it was counted for the summary. */
  admit(code: string, profile: string | undefined): boolean {
    const now = this.clock.now();
    if (now >= this.windowEnd) this.flush(now);
    const byProfile = this.slots.get(code) ?? (this.slots.get(OTHER) as Map<string, Slot>);
    const slot = byProfile.get(profile ?? NO_PROFILE) ?? (byProfile.get(OTHER) as Slot);
    if (!slot.touched) {
      slot.touched = true;
      this.touched.push(slot);
    }
    if (slot.written < this.firstInFull) {
      slot.written++;
      return true;
    }
    slot.suppressed++;
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush(this.clock.now());
    }, this.windowEnd - now);
    return false;
  }

  /** Ends the interval now: one summary per slot that suppressed refusals (module destroy). */
  close(): void {
    this.flush(this.clock.now());
  }

  private flush(now: number): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.windowEnd = now + this.intervalMs;
    if (this.touched.length === 0) return;
    // Reset before emitting: a logger that throws must not leave counts to be reported twice.
    const touched = this.touched.splice(0);
    const summaries: RefusalSummary[] = [];
    for (const slot of touched) {
      if (slot.suppressed > 0) {
        summaries.push({
          event: 'client_cert.decision.suppressed',
          code: slot.code,
          profile: slot.profile,
          suppressed: slot.suppressed,
          intervalSeconds: this.intervalSeconds,
        });
      }
      slot.written = 0;
      slot.suppressed = 0;
      slot.touched = false;
    }
    for (const summary of summaries) this.emit(summary);
  }
}
