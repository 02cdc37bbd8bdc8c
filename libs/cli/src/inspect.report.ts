import type { ClientCertPrincipal } from '@client-cert-auth/core';

/** What `inspect --json` prints: a stable shape operators can script against. */
export interface InspectReport {
  readonly accepted: boolean;
  /** `OK`, or the ClientCertErrorCode the backend would answer with. */
  readonly code: string;
  readonly reason?: string;
  /** Present whenever the leaf could be decoded, even when it was refused. */
  readonly principal: ClientCertPrincipal | null;
}

export function formatReport(report: InspectReport): string {
  const lines = [`verdict: ${report.accepted ? 'ACCEPTED' : 'REJECTED'} (${report.code})`];
  if (report.reason) lines.push(`reason:  ${report.reason}`);
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
  return lines.join('\n');
}
