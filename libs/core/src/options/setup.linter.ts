import { Logger } from '@nestjs/common';
import { ClientCertOptionsError } from './options.error';
import type { ResolvedClientCertAuthOptions } from './options.resolver';
import {
  lintBindings,
  lintProxies,
  lintRevocation,
  lintSpiffe,
  lintValidation,
  type BindingScopeSummary,
  SETUP_RULES,
  UNACKNOWLEDGEABLE,
  type SetupFinding,
  type SetupRule,
} from './setup-lint.rules';

export { SETUP_RULES, type BindingScopeSummary, type SetupFinding, type SetupRule } from './setup-lint.rules';

/**
 * Start-up checks of risky but syntactically valid setups.
 *
 * @example { acknowledge: ['weakened-validation'] } // a legacy client population needs it; reviewed
 */
export interface SetupCheckOptions {
  /**
   * Rules you have reviewed and accept: a refusal becomes a warning, a warning is logged at
   * debug level. `proxy-trusts-everyone` and `duplicate-profile-name` cannot be acknowledged.
   * @default []
   */
  acknowledge?: SetupRule[];
}

/** Every finding for these options, refusals first. Pure: no logging, no throwing. */
export function lintSetup(options: ResolvedClientCertAuthOptions): SetupFinding[] {
  const findings = [...lintProxies(options), ...lintValidation(options), ...lintRevocation(options), ...lintSpiffe(options)];
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'refuse' ? -1 : 1));
}

/**
 * Runs the checks at bootstrap: throws `ClientCertOptionsError` for the first refusal that is
 * not acknowledged (the app does not start), logs every warning under `client_cert.setup_warning`.
 * @returns the options, unchanged, so it chains after `resolveOptions`.
 */
export function enforceSetupChecks(
  options: ResolvedClientCertAuthOptions,
  logger: Pick<Logger, 'warn' | 'debug'> = new Logger('ClientCertAuth'),
): ResolvedClientCertAuthOptions {
  report(options, lintSetup(options), logger);
  return options;
}

/**
 * The registry's part of the start-up checks, run once the registry can be asked (application
 * bootstrap): its bindings are data, not options, so they are judged here rather than in the
 * registry, next to the trust anchors they depend on. Warnings only; logged like the others.
 */
export function enforceRegistryChecks(
  options: ResolvedClientCertAuthOptions,
  summary: BindingScopeSummary,
  logger: Pick<Logger, 'warn' | 'debug'> = new Logger('ClientCertAuth'),
): void {
  report(options, lintBindings(options, summary), logger);
}

function report(options: ResolvedClientCertAuthOptions, findings: readonly SetupFinding[], logger: Pick<Logger, 'warn' | 'debug'>): void {
  const acknowledged = new Set(options.setupChecks.acknowledge);
  for (const finding of findings) {
    const waived = acknowledged.has(finding.rule) && !UNACKNOWLEDGEABLE.includes(finding.rule);
    if (finding.severity === 'refuse' && !waived) {
      throw new ClientCertOptionsError(finding.option, finding.problem, `${finding.fix} (start-up check "${finding.rule}")`);
    }
    const entry = {
      event: 'client_cert.setup_warning',
      rule: finding.rule,
      acknowledged: waived,
      message: `${finding.option} ${finding.problem}. ${finding.fix}`,
    };
    if (waived && finding.severity === 'warn') logger.debug(entry);
    else logger.warn(entry);
  }
}

/**
 * Checks `setupChecks` itself (bootstrap only).
 * @throws ClientCertOptionsError naming the valid rule ids.
 */
export function resolveSetupCheckOptions(options: SetupCheckOptions | undefined): { readonly acknowledge: readonly SetupRule[] } {
  const acknowledge = options?.acknowledge ?? [];
  const unknown = Array.isArray(acknowledge) ? acknowledge.filter((rule) => !SETUP_RULES.includes(rule)) : ['(not a list)'];
  if (unknown.length > 0) {
    throw new ClientCertOptionsError('setupChecks.acknowledge', `contains ${unknown.join(', ')}`, `Use rule ids from: ${SETUP_RULES.join(', ')}.`);
  }
  return Object.freeze({ acknowledge: Object.freeze([...acknowledge]) });
}
