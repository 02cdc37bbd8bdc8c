import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import type { ClientCertDecision } from './client-cert-decision';

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

/** Writes one structured entry per decision under the event name `client_cert.decision`. */
export class DecisionLog {
  private readonly logger = new Logger('ClientCertAuth');
  private readonly accepted: LogLevel | 'off';
  private readonly refused: LogLevel | 'off';
  private readonly listeners: Array<(decision: ClientCertDecision) => void> = [];
  private readonly acceptedMemo: PrintMemo = { answer: true };
  private readonly refusedMemo: PrintMemo = { answer: true };

  constructor(options: DecisionLogOptions = {}) {
    this.accepted = options.accepted ?? 'debug';
    this.refused = options.refused ?? 'warn';
    if (options.onDecision) this.listeners.push(options.onDecision);
  }

  /** Adds a listener (metrics, audit trails). Returns a function that removes it. */
  subscribe(listener: (decision: ClientCertDecision) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  record(decision: ClientCertDecision): void {
    const level = decision.result === 'OK' ? this.accepted : this.refused;
    if (level !== 'off' && this.wouldPrint(level)) this.write(level, { event: 'client_cert.decision', ...decision });
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
