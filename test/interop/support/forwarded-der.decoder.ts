/**
 * The DER inside a forwarded header value of any recipe here: RFC 9440 `:b64:`, plain base64,
 * percent-encoded PEM (nginx) or PEM with spaces for line breaks (Apache). Test-side only: it lets
 * the echo checks compare what a proxy forwarded with the certificate curl presented.
 */
export function forwardedDer(value: string): Buffer {
  let text = value.trim();
  if (text.startsWith(':') && text.endsWith(':')) text = text.slice(1, -1);
  if (text.includes('%')) text = decodeURIComponent(text);
  text = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return Buffer.from(text, 'base64');
}
