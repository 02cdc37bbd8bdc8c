import type { ResolvedSpiffePolicy } from '../options/spiffe.options';

/**
 * Why a validated certificate may not carry the SPIFFE IDs it carries, or `undefined` when it
 * may. Every `spiffe://` URI SAN counts, not only a well-formed SVID's single one: a registry
 * binding on the URI (kind `san-uri`) must not become the side door. Runs once per distinct
 * certificate, with path validation (the verdict is cached), never on the warm path.
 *
 * @param anchorKey SPKI SHA-256 of the trust anchor that ended the validated path.
 */
export function trustDomainRefusal(uris: readonly string[], anchorKey: string, policy: ResolvedSpiffePolicy): string | undefined {
  // One anchor and no domain map: nothing any URI says can be refused (below), so none is parsed.
  if (policy.trustDomains === undefined && policy.anchorKeys.size <= 1) return undefined;
  for (const uri of uris) {
    const domain = trustDomainOf(uri);
    if (domain === undefined) continue;
    if (policy.trustDomains === undefined) {
      // One anchor cannot impersonate another: it speaks for every domain it issues.
      if (policy.anchorKeys.size <= 1) continue;
      return `certificate names the SPIFFE trust domain "${domain}" but spiffe.trustDomains does not map domains to the ${policy.anchorKeys.size} trust anchors`;
    }
    const anchors = policy.trustDomains.get(domain);
    if (!anchors) return `certificate names the SPIFFE trust domain "${domain}", which spiffe.trustDomains does not list`;
    if (!anchors.has(anchorKey))
      return `certificate names the SPIFFE trust domain "${domain}" but was validated by the anchor sha256:${anchorKey}, which does not speak for it`;
  }
  return undefined;
}

/** The trust domain of a `spiffe://` URI (scheme and host compared case-insensitively), else `undefined`. */
function trustDomainOf(uri: string): string | undefined {
  if (!/^spiffe:\/\//i.test(uri)) return undefined;
  const rest = uri.slice('spiffe://'.length);
  const end = rest.search(/[/?#]/);
  return (end < 0 ? rest : rest.slice(0, end)).toLowerCase();
}
