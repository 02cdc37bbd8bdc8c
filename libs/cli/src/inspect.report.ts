import type { ClientAccount, ClientCertPrincipal, MatchedBinding } from '@client-cert-auth/core';
import type { BindingCandidate } from '@client-cert-auth/registry';

/**
 * `ACCEPTED`: every step the server runs passed, the registry included. `VALID`: nothing refused
 * the certificate, but the registry was not checked (no `--database`), so whether the server
 * accepts it is unknown. `REJECTED`: a step refused it, with the code the server answers.
 */
export type InspectVerdict = 'ACCEPTED' | 'VALID' | 'REJECTED';

/** The guard's steps, in its order. */
export type InspectStepName = 'profile' | 'extraction' | 'validation' | 'revocation' | 'registry' | 'roles';

export interface InspectStep {
  readonly step: InspectStepName;
  readonly status: 'ok' | 'refused' | 'skipped';
  readonly detail: string;
}

/** The registry step: skipped without `--database`; else the match, or the nearest candidates. */
export type InspectRegistryReport =
  | { readonly checked: false; readonly reason: string }
  | {
      readonly checked: true;
      readonly denied: boolean;
      readonly match: { readonly account: ClientAccount; readonly binding: MatchedBinding } | null;
      /** Bindings that look like the certificate's but did not match, nearest first (when nothing matched). */
      readonly candidates: readonly BindingCandidate[];
    };

/** What `inspect --json` prints: a stable shape operators can script against. */
export interface InspectReport {
  readonly verdict: InspectVerdict;
  /** True only for `ACCEPTED`: never claimed without the registry step. */
  readonly accepted: boolean;
  /** `OK`, or the ClientCertErrorCode the backend would answer with. */
  readonly code: string;
  readonly reason?: string;
  /** What to change in the inspect call itself (e.g. the header name the format reads). */
  readonly hint?: string;
  /** Present whenever the leaf could be decoded, even when it was refused. */
  readonly principal: ClientCertPrincipal | null;
  readonly steps: readonly InspectStep[];
  readonly registry: InspectRegistryReport;
}

export function formatReport(report: InspectReport): string {
  const lines = [`verdict: ${verdictLine(report)}`];
  if (report.reason) lines.push(`reason:  ${report.reason}`);
  if (report.hint) lines.push(`hint:    ${report.hint}`);
  lines.push('steps:');
  for (const s of report.steps) lines.push(`  ${s.step.padEnd(11)} ${s.status.padEnd(8)} ${s.detail}`);
  const p = report.principal;
  if (p) {
    lines.push(
      `subject: ${p.subject}`,
      `issuer:  ${p.issuer}`,
      `serial:  ${p.serialNumber}`,
      `sha256:  ${p.fingerprintSha256}`,
      `spki:    ${p.spkiSha256}`,
      `valid:   ${p.notBefore.toISOString()} .. ${p.notAfter.toISOString()}`,
    );
    for (const [kind, values] of Object.entries(p.san)) {
      if (values.length > 0) lines.push(`san.${kind}: ${values.join(', ')}`);
    }
    if (p.spiffeId) lines.push(`spiffe:  ${p.spiffeId}`);
    if (p.chainFingerprints.length > 1) lines.push(`path:    ${p.chainFingerprints.join(' -> ')}`);
  }
  const registry = report.registry;
  if (registry.checked && registry.match) {
    const { account, binding } = registry.match;
    lines.push(`account: ${account.name} (${account.status}) roles=[${account.roles.join(',')}]`, `binding: ${binding.kind} ${binding.value} (${binding.id})`);
  }
  if (registry.checked && registry.candidates.length > 0) {
    lines.push('nearest bindings (none matched):');
    for (const c of registry.candidates) {
      const scope = c.issuerScope ? ` issuer=${c.issuerScope}` : '';
      const window = c.notBefore || c.notAfter ? ` window=${c.notBefore ?? '-'}..${c.notAfter ?? '-'}` : '';
      lines.push(`  ${c.account}: ${c.kind} ${c.value}${scope}${window}  -> ${c.why} (certificate: ${c.certificateValue})`);
    }
  }
  return lines.join('\n');
}

function verdictLine(report: InspectReport): string {
  if (report.verdict === 'REJECTED') return `REJECTED (${report.code})`;
  if (report.verdict === 'VALID') return 'VALID (registry not checked: give --database URL to match it to an account as the server does)';
  const unchecked = report.steps.filter((s) => s.status === 'skipped' && s.step === 'revocation');
  return unchecked.length > 0 ? 'ACCEPTED (revocation not checked)' : 'ACCEPTED';
}
