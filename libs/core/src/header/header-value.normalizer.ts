/**
 * The values proxies send when the client presented no certificate: Apache's `(null)`, an empty
 * value (HAProxy, Cloudflare), a placeholder the proxy left unfilled (Caddy's
 * `{http.request.tls.client.certificate_der_base64}`), and `-` (nginx-style "no value").
 */
const PLACEHOLDER = /^\{[^{}]*\}$/;

export function isNoCertificateSentinel(value: string): boolean {
  return value === '' || value === '(null)' || value === '-' || PLACEHOLDER.test(value);
}

/**
 * Trims the value and removes ONE layer of surrounding double quotes (HAProxy `%{+Q}`), so
 * `"MIIB..."` reads as `MIIB...`; a second layer stays and then fails decoding.
 */
export function unquoteOnce(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).trim();
  }
  return trimmed;
}

/**
 * A header value as a certificate parser should see it: `null` when absent or a sentinel for
 * "no certificate", otherwise the trimmed value with one layer of quotes removed.
 */
export function certificateValue(raw: string | undefined, unquote = true): string | null {
  if (raw === undefined) return null;
  const value = unquote ? unquoteOnce(raw) : raw.trim();
  return isNoCertificateSentinel(value) ? null : value;
}
