import type * as ipaddr from 'ipaddr.js';
import { getProxyPreset } from '../header/presets/preset.registry';
import { parseAddress } from '../source/address-range.matcher';
import type { ResolvedClientCertAuthOptions } from './options.resolver';
import { isHeaderProfile, isTlsProfile } from './tls-profile.options';

/** Ids of the start-up checks, as `setupChecks.acknowledge` and the logs spell them. */
export const SETUP_RULES = [
  'proxy-trusts-everyone',
  'duplicate-profile-name',
  'unvalidated-proxy-weak-validation',
  'proxy-range-very-wide',
  'overlapping-profiles',
  'revocation-off-with-published-status',
  'weakened-validation',
  'spiffe-trust-domains-unmapped',
  'binding-scoped-by-name',
] as const;
export type SetupRule = (typeof SETUP_RULES)[number];

/** Rules whose refusal cannot be acknowledged away: the proxy compiler refuses them anyway. */
export const UNACKNOWLEDGEABLE: readonly SetupRule[] = ['proxy-trusts-everyone', 'duplicate-profile-name'];

/** One risky setting found at bootstrap. */
export interface SetupFinding {
  readonly rule: SetupRule;
  readonly severity: 'refuse' | 'warn';
  readonly option: string;
  readonly problem: string;
  readonly fix: string;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number, string];

const finding = (rule: SetupRule, severity: SetupFinding['severity'], option: string, problem: string, fix: string): SetupFinding => ({
  rule,
  severity,
  option,
  problem,
  fix,
});

/** Parses the CIDRs the way the proxy compiler does; entries it would refuse are skipped here. */
function ranges(entries: readonly string[] | undefined): Range[] {
  return (entries ?? []).flatMap((entry): Range[] => {
    if (typeof entry !== 'string') return [];
    const [text, prefixText] = entry.trim().split('/');
    const address = parseAddress(text);
    if (!address) return [];
    const max = address.kind() === 'ipv4' ? 32 : 128;
    let prefix = prefixText === undefined ? max : Number(prefixText);
    if (address.kind() === 'ipv4' && text.includes(':') && prefixText !== undefined) prefix -= 96;
    return Number.isInteger(prefix) && prefix >= 0 && prefix <= max ? [[address, prefix, entry.trim()]] : [];
  });
}

const overlaps = (a: Range, b: Range) => a[0].kind() === b[0].kind() && a[0].match(b[0] as never, Math.min(a[1], b[1]));

/** Source-trust rules: who may send certificate headers. */
export function lintProxies(options: ResolvedClientCertAuthOptions): SetupFinding[] {
  const findings: SetupFinding[] = [];
  const seen = new Set<string>();
  options.proxies.forEach((profile, i) => {
    const option = `proxies[${i}] ("${profile.name}")`;
    if (seen.has(profile.name)) {
      findings.push(
        finding(
          'duplicate-profile-name',
          'refuse',
          option,
          `reuses the name "${profile.name}"`,
          'Give every proxy profile a unique name: logs and metrics tell profiles apart by it.',
        ),
      );
    }
    seen.add(profile.name);
    // A TLS profile trusts no address: it reads the connection's own certificate.
    const trusted = isTlsProfile(profile) ? [] : [...ranges(profile.from), ...ranges(profile.hopsFrom)];
    for (const [, prefix, entry] of trusted) {
      if (prefix === 0) {
        findings.push(
          finding(
            'proxy-trusts-everyone',
            'refuse',
            option,
            `trusts "${entry}", i.e. every address`,
            "List only the proxy's own addresses: any client could otherwise forge certificate headers.",
          ),
        );
      } else if (prefix < 8) {
        findings.push(
          finding(
            'proxy-range-very-wide',
            'warn',
            option,
            `trusts the very wide range "${entry}"`,
            "Narrow it to the proxy's subnet; every host in it can send certificate headers.",
          ),
        );
      }
    }
  });
  const headerProfiles = options.proxies.filter(isHeaderProfile);
  for (let i = 0; i < headerProfiles.length; i++) {
    for (let j = i + 1; j < headerProfiles.length; j++) {
      const [a, b] = [headerProfiles[i], headerProfiles[j]];
      const shared = ranges(a.from).flatMap((ra) =>
        ranges(b.from)
          .filter((rb) => overlaps(ra, rb))
          .map((rb) => `${ra[2]} / ${rb[2]}`),
      );
      if (shared.length > 0) {
        findings.push(
          finding(
            'overlapping-profiles',
            'warn',
            `proxies "${a.name}" and "${b.name}"`,
            `both trust ${shared.join(', ')}`,
            `Requests from the overlap are always read through "${a.name}" (first match); make the ranges disjoint.`,
          ),
        );
      }
    }
  }
  return findings;
}

/** Validation-strength rules, stricter for presets that forward certificates they did not validate. */
export function lintValidation(options: ResolvedClientCertAuthOptions): SetupFinding[] {
  const v = options.validation;
  const weak = [
    v.requiredEku.length === 0 ? 'validation.requiredEku is empty (any key usage is accepted)' : undefined,
    v.minRsaBits < 2048 ? `validation.minRsaBits is ${v.minRsaBits} (< 2048)` : undefined,
    v.clockSkewSeconds > 300 ? `validation.clockSkewSeconds is ${v.clockSkewSeconds} (> 300)` : undefined,
  ].filter((w): w is string => w !== undefined);
  if (weak.length === 0) return [];
  const unvalidated = options.proxies.filter(isHeaderProfile).filter((p) => {
    try {
      return p.preset !== undefined && getProxyPreset(p.preset).forwardsUnvalidated;
    } catch {
      return false; // an unknown preset is refused by the proxy compiler with its own message
    }
  });
  if (unvalidated.length > 0) {
    const names = unvalidated.map((p) => `"${p.name}" (${p.preset})`).join(', ');
    return [
      finding(
        'unvalidated-proxy-weak-validation',
        'refuse',
        'validation',
        `is weakened (${weak.join('; ')}) while ${names} forwards certificates it did not validate`,
        'Restore the defaults (requiredEku [clientAuth], minRsaBits 2048, clockSkewSeconds <= 300): this module is the only full check such a proxy gets.',
      ),
    ];
  }
  return [
    finding(
      'weakened-validation',
      'warn',
      'validation',
      `is weakened: ${weak.join('; ')}`,
      'Keep the defaults unless a known client population needs the exception.',
    ),
  ];
}

/** Revocation off although the CAs publish revocation data. */
export function lintRevocation(options: ResolvedClientCertAuthOptions): SetupFinding[] {
  const { anchors, intermediates } = options.trustStore;
  const fp = (s: string | undefined) => s?.replace(/:/g, '').toLowerCase();
  const offAnchors = anchors.filter((anchor) => {
    const override = options.revocation.anchors?.find((a) => fp(a.fingerprintSha256) === anchor.fingerprintSha256 || a.subject === anchor.subject.rfc4514);
    return (override?.mode ?? options.revocation.mode) === 'off';
  });
  const publishers = [...anchors, ...intermediates].filter((c) => c.crlDistributionPoints.length > 0 || c.ocspUrls.length > 0);
  if (offAnchors.length === 0 || publishers.length === 0) return [];
  return [
    finding(
      'revocation-off-with-published-status',
      'warn',
      'revocation.mode',
      `is off for ${offAnchors.map((a) => a.subject.rfc4514).join('; ')} although ${publishers.map((c) => c.subject.rfc4514).join('; ')} publishes CRL distribution points or OCSP`,
      "Use 'soft-fail' (or 'hard-fail'): a revoked certificate is otherwise accepted until it expires.",
    ),
  ];
}

/** Several trust anchors, certificates that may carry SPIFFE IDs, and no map of who speaks for which domain. */
export function lintSpiffe(options: ResolvedClientCertAuthOptions): SetupFinding[] {
  const anchors = options.spiffe.anchorKeys.size;
  if (options.spiffe.trustDomains !== undefined || anchors <= 1) return [];
  return [
    finding(
      'spiffe-trust-domains-unmapped',
      'warn',
      'spiffe.trustDomains',
      `is not set while ${anchors} trust anchors are configured: every certificate with a spiffe:// URI SAN is refused (TRUST_DOMAIN_MISMATCH), since any of the anchors could issue any trust domain`,
      "Map each trust domain to its anchors: spiffe: { trustDomains: { 'company.example': { anchors: ['/etc/client-ca/company-root.pem'] } } }.",
    ),
  ];
}

/** What the registry reports about its bindings at start-up (`ClientCertRegistry.describeBindings`). */
export interface BindingScopeSummary {
  /** Name-based bindings (issuer-serial, SPIFFE, SAN, subject) with no issuer scope: any trusted CA may issue the name. */
  readonly unscoped: number;
  /** Name-based bindings scoped by issuer DN only: any trusted CA may copy that DN. */
  readonly scopedByName: number;
}

/** Name-based bindings not tied to a CA key. */
export function lintBindings(options: ResolvedClientCertAuthOptions, summary: BindingScopeSummary): SetupFinding[] {
  const loose = summary.unscoped + summary.scopedByName;
  if (loose === 0) return [];
  const anchors = options.spiffe.anchorKeys.size;
  return [
    finding(
      'binding-scoped-by-name',
      'warn',
      'registry bindings',
      `include ${summary.unscoped} name-based binding(s) without an issuer scope and ${summary.scopedByName} scoped by issuer DN only: ${anchors > 1 ? `any of the ${anchors} trust anchors` : 'any CA added to trustAnchors later'}, or an intermediate copying the DN, can issue a certificate that matches them`,
      'Scope them to the CA key: client-cert-auth bind ... --issuer-spki <SPKI SHA-256 of the issuing CA or anchor> (or --issuer-cert ca.pem), then unbind the old ones.',
    ),
  ];
}
