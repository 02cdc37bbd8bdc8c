import type { LoggerService } from '@nestjs/common';

export interface CapturedEntry {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  readonly message: unknown;
  readonly context?: string;
}

/** A Nest logger that keeps every entry, the way an app's JSON logger would receive them. */
export class CapturingLogger implements LoggerService {
  readonly entries: CapturedEntry[] = [];

  log(message: unknown, context?: string) {
    this.push('log', message, context);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.push('error', message, rest[rest.length - 1] as string);
  }
  warn(message: unknown, context?: string) {
    this.push('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.push('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.push('verbose', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.push('fatal', message, context);
  }

  /** Entries logged under an event name (`client_cert.decision`, ...). */
  events(event: string): Array<CapturedEntry & { message: Record<string, unknown> }> {
    return this.entries.filter(
      (e): e is CapturedEntry & { message: Record<string, unknown> } =>
        typeof e.message === 'object' && e.message !== null && (e.message as { event?: unknown }).event === event,
    );
  }

  private push(level: CapturedEntry['level'], message: unknown, context?: string) {
    this.entries.push({ level, message, context });
  }
}
