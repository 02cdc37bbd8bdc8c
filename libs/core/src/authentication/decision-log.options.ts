import { ClientCertOptionsError } from '../options/options.error';
import type { DecisionLogOptions } from './decision.log';

/**
 * How refusals are written when many arrive: per refusal code and proxy profile, the first
 * `firstInFull` of each interval as full `client_cert.decision` entries, the rest counted and
 * reported in one `client_cert.decision.suppressed` entry at the end of the interval. A flood of
 * untrusted certificates then costs a counter increment per request, not a log write.
 *
 * @example { firstInFull: 20, intervalSeconds: 60 }
 */
export interface RefusalSummaryOptions {
  /**
   * Refusals written in full per code and profile in each interval; `0` writes summaries only.
   * @default 5
   */
  firstInFull?: number;
  /**
   * Length of an interval in seconds: the end of each brings one summary entry per code and
   * profile that had refusals left out.
   * @default 10
   */
  intervalSeconds?: number;
}

/** Refusal summary settings after defaulting, or `false` to write every refusal in full. */
export type ResolvedRefusalSummary = Readonly<Required<RefusalSummaryOptions>> | false;

/** Decision log options after defaulting (accepted before: the authenticator resolves again). */
export interface ResolvedDecisionLogOptions extends DecisionLogOptions {
  readonly refusalSummary: ResolvedRefusalSummary;
}

export const REFUSAL_SUMMARY_DEFAULTS = Object.freeze({ firstInFull: 5, intervalSeconds: 10 });

/**
 * Defaults and checks the decision log options (bootstrap only).
 * @throws ClientCertOptionsError for a refusal summary count or interval out of range.
 */
export function resolveDecisionLogOptions(options: DecisionLogOptions | undefined): ResolvedDecisionLogOptions {
  const summary = options?.refusalSummary;
  return Object.freeze({
    ...options,
    refusalSummary:
      summary === false
        ? false
        : Object.freeze({
            firstInFull: whole('firstInFull', summary?.firstInFull, REFUSAL_SUMMARY_DEFAULTS.firstInFull, 0, 1_000_000),
            intervalSeconds: whole('intervalSeconds', summary?.intervalSeconds, REFUSAL_SUMMARY_DEFAULTS.intervalSeconds, 1, 86_400),
          }),
  });
}

function whole(field: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ClientCertOptionsError(
      `decisions.refusalSummary.${field}`,
      `is ${String(value)}`,
      `Use a whole number from ${min} to ${max} (default ${fallback}), or refusalSummary: false to write every refusal in full.`,
    );
  }
  return value;
}
