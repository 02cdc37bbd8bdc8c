import type { RevocationMode, RevocationOptions } from '../options/revocation.options';
import type { RevocationHealth } from '../revocation/revocation.checker';

/** When revocation problems make the health check fail. */
export interface RevocationHealthPolicy {
  /**
   * `down`: a stale or unloadable CRL fails the check. `report`: listed only.
   * @default 'down' when any path runs in hard-fail mode, else 'report'
   */
  staleCrl?: 'down' | 'report';
  /**
   * `down`: an open OCSP circuit breaker fails the check. `report`: listed only.
   * @default 'down' when any path runs in hard-fail mode, else 'report'
   */
  openBreaker?: 'down' | 'report';
}

export interface RevocationHealthSummary {
  readonly healthy: boolean;
  readonly details: {
    mode: RevocationMode;
    crls: number;
    staleCrls: string[];
    ocspResponders: number;
    openBreakers: string[];
  };
}

/** Pure evaluation of the checker's state, so the rules are testable without Nest. */
export function summarizeRevocation(
  health: RevocationHealth,
  revocation: RevocationOptions & { mode: RevocationMode },
  policy: RevocationHealthPolicy = {},
): RevocationHealthSummary {
  const hardFail = revocation.mode === 'hard-fail' || (revocation.anchors ?? []).some((a) => a.mode === 'hard-fail');
  const fallback = hardFail ? 'down' : 'report';
  const staleCrls = health.crls.filter((crl) => !crl.fresh).map((crl) => crl.source);
  // A half-open breaker is letting a trial through: only `open` means "answers unknown at once".
  const openBreakers = health.ocsp.filter((r) => r.breaker === 'open').map((r) => r.url);
  const failing =
    ((policy.staleCrl ?? fallback) === 'down' && staleCrls.length > 0) || ((policy.openBreaker ?? fallback) === 'down' && openBreakers.length > 0);
  return {
    healthy: !failing,
    details: { mode: revocation.mode, crls: health.crls.length, staleCrls, ocspResponders: health.ocsp.length, openBreakers },
  };
}
