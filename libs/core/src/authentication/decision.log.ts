import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import type { ClientCertDecision } from './client-cert-decision';
import { resolveDecisionLogOptions, type RefusalSummaryOptions } from './decision-log.options';
import { RefusalLimiter, SYSTEM_CLOCK, type DecisionLogClock, type RefusalSummary } from './refusal.limiter';

export interface DecisionLogOptions {
  /**
   * Nest log level for accepted requests, or `off`.
   * @default 'debug'
   */
  accepted?: LogLevel | 'off';
  /**
   * Nest log level for refused requests, or `off`.
   * @default 'warn'
   */
  refused?: LogLevel | 'off';
  /**
   * Bounds what a flood of refusals writes: per refusal code and proxy profile, the first
   * `firstInFull` in each interval are logged in full, the rest counted into one
   * `client_cert.decision.suppressed` entry per interval, at the `refused` level. Metrics and
   * `onDecision` still see every decision. `false` writes every refusal in full.
   * @default { firstInFull: 5, intervalSeconds: 10 }
   * @example { firstInFull: 20, intervalSeconds: 60 }
   */
  refusalSummary?: RefusalSummaryOptions | false;
  /**
   * Called with every decision, e.g. to feed an audit trail. Exceptions it throws are logged
   * and never change the decision.
   */
  onDecision?: (decision: ClientCertDecision) => void;
}

/** Read once: `Logger` from Nest's index is a re-export getter, not worth a call per request. */
const NestLogger = Logger;

/** Nest's static logger state that decides whether a Logger call prints (not public API). */
interface LoggerStatics {
  isBufferAttached?: boolean;
  staticInstanceRef?: { options?: { logLevels?: unknown } };
  logLevels?: unknown;
}

/** The last `wouldPrint` answer for one level and the inputs it was computed from. */
interface PrintMemo {
  ref?: unknown;
  levels?: unknown;
  ownLevels?: unknown;
  level?: LogLevel;
  answer: boolean;
}

/**
 * Writes one structured entry per decision under the event name `client_cert.decision`; past
 * the first few refusals of one code and profile in an interval, a count instead (`refusalSummary`).
 */
export class DecisionLog {
  private readonly logger = new Logger('ClientCertAuth');
  private readonly accepted: LogLevel | 'off';
  private readonly refused: LogLevel | 'off';
  private readonly listeners: Array<(decision: ClientCertDecision) => void> = [];
  private readonly acceptedMemo: PrintMemo = { answer: true };
  private readonly refusedMemo: PrintMemo = { answer: true };
  private readonly limiter?: RefusalLimiter;

  /**
   * @param profiles names of the configured proxy profiles: the refusal counts are kept per
   *   profile, and only for these (plus `none` and `other`), so their memory is fixed.
   */
  constructor(options: DecisionLogOptions = {}, profiles: readonly string[] = [], clock: DecisionLogClock = SYSTEM_CLOCK) {
    const resolved = resolveDecisionLogOptions(options);
    this.accepted = resolved.accepted ?? 'debug';
    this.refused = resolved.refused ?? 'warn';
    if (resolved.onDecision) this.listeners.push(resolved.onDecision);
    const summary = resolved.refusalSummary;
    if (summary && this.refused !== 'off') {
      this.limiter = new RefusalLimiter(summary.firstInFull, summary.intervalSeconds, profiles, (s) => this.writeSummary(s), clock);
    }
  }

  /** Writes the pending refusal summaries now (module destroy: counts are never lost on shutdown). */
  close(): void {
    this.limiter?.close();
  }

  /** Adds a listener (metrics, audit trails). Returns a function that removes it. */
  subscribe(listener: (decision: ClientCertDecision) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  record(decision: ClientCertDecision): void {
    if (decision.result === 'OK') {
      if (this.accepted !== 'off' && this.wouldPrint(this.accepted)) this.write(this.accepted, { event: 'client_cert.decision', ...decision });
    } else if (this.refused !== 'off' && this.wouldPrint(this.refused) && (this.limiter?.admit(decision.result, decision.profile) ?? true)) {
      this.write(this.refused, { event: 'client_cert.decision', ...decision });
    }
    for (const listener of this.listeners) {
      try {
        listener(decision);
      } catch (error) {
        this.logger.error({ event: 'client_cert.decision_hook_failed', error: String(error) });
      }
    }
  }

  /**
   * False only when the entry would certainly be dropped: the logger is Nest's own ConsoleLogger
   * (not a subclass, which may log elsewhere) with this level disabled, and no log buffer is
   * collecting calls for a logger set later. Accepted requests log at `debug` by default, which
   * production apps rarely enable: this spares the hot path building an entry nobody prints.
   * The answer is kept while every input to it is the same object (Nest replaces the logger or
   * its level array on each change), so a request pays three reads, not the walk (bench/).
   */
  private wouldPrint(level: LogLevel): boolean {
    const statics = NestLogger as unknown as LoggerStatics;
    if (statics.isBufferAttached) return true;
    const memo = level === this.accepted ? this.acceptedMemo : this.refusedMemo;
    const ref = statics.staticInstanceRef;
    const levels = statics.logLevels;
    const ownLevels = ref?.options?.logLevels;
    if (memo.ref === ref && memo.levels === levels && memo.ownLevels === ownLevels && memo.level === level) return memo.answer;
    const instance = (this.logger as unknown as { localInstance?: unknown }).localInstance;
    const answer = !(instance instanceof ConsoleLogger) || instance.constructor !== ConsoleLogger || instance.isLevelEnabled(level);
    Object.assign(memo, { ref, levels, ownLevels, level, answer });
    return answer;
  }

  private writeSummary(summary: RefusalSummary): void {
    const level = this.refused as LogLevel;
    try {
      if (this.wouldPrint(level)) this.write(level, summary);
    } catch {
      // Summaries are written from a timer too: a failing logger must not become an uncaught
      // exception that stops the process. That interval's counts are lost with it (metrics keep them).
    }
  }

  private write(level: LogLevel, entry: object): void {
    switch (level) {
      case 'fatal':
        return this.logger.fatal(entry);
      case 'error':
        return this.logger.error(entry);
      case 'warn':
        return this.logger.warn(entry);
      case 'debug':
        return this.logger.debug(entry);
      case 'verbose':
        return this.logger.verbose(entry);
      default:
        return this.logger.log(entry);
    }
  }
}
