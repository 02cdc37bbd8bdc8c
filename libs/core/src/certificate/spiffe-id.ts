import { ClientCertError } from '../errors/client-cert.error';
import { ownCopy } from './own-copy';
import type { ParsedCertificate } from './parsed-certificate';

/** Options for reading a SPIFFE ID. */
export interface SpiffeIdOptions {
  /**
   * Trust domains the configured anchor speaks for (`example.org`); an SVID from any other
   * trust domain is refused. Absent or empty: not checked.
   */
  readonly trustDomains?: readonly string[];
}

const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
const MAX_SPIFFE_ID = 2048;
/** The scheme in any case: a `SPIFFE:` URI must not escape the SVID rules as "not an SVID". */
const SPIFFE_SCHEME = /^spiffe:/i;

function refuse(reason: string, details: Record<string, unknown> = {}): never {
  throw new ClientCertError('CERT_POLICY', `not a valid X.509-SVID: ${reason}`, details);
}

/** Why a URI is not a SPIFFE ID, or its trust domain. */
type SpiffeSyntax = { readonly trustDomain: string } | { readonly reason: string };

/**
 * Syntax outcomes by URI: a client's ID recurs on every certificate it is issued (an SVID every
 * hour), so each is checked once. Bounded by entries (cleared when full) and by the length check
 * before it: at most 1,024 URIs of at most 2,048 characters.
 */
const SYNTAX = new Map<string, SpiffeSyntax>();
const MAX_SYNTAX_ENTRIES = 1024;

/** Validates the SPIFFE ID syntax (SPIFFE-ID spec §2) and returns its trust domain. */
function parseSpiffeUri(uri: string): string {
  if (uri.length > MAX_SPIFFE_ID) refuse('SPIFFE ID longer than 2048 bytes');
  let syntax = SYNTAX.get(uri);
  if (syntax === undefined) {
    syntax = spiffeSyntax(uri);
    if (SYNTAX.size >= MAX_SYNTAX_ENTRIES) SYNTAX.clear();
    // Copies of their own (`ownCopy`): a slice would keep the certificate's decoded text alive.
    SYNTAX.set(ownCopy(uri), 'reason' in syntax ? syntax : { trustDomain: ownCopy(syntax.trustDomain) });
  }
  if ('reason' in syntax) refuse(syntax.reason, { uri });
  return syntax.trustDomain;
}

function spiffeSyntax(uri: string): SpiffeSyntax {
  const refusal = (reason: string): SpiffeSyntax => ({ reason });
  if (!uri.startsWith('spiffe://')) return refusal('the URI SAN does not use the spiffe scheme');
  const rest = uri.slice('spiffe://'.length);
  const slash = rest.indexOf('/');
  const trustDomain = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  if (!trustDomain || trustDomain.length > 255 || !TRUST_DOMAIN.test(trustDomain)) {
    return refusal('the trust domain is empty or has characters other than a-z 0-9 . - _ (no port, user or upper case)');
  }
  if (path) {
    // Query, fragment, percent-encoding and dot segments all fail the segment pattern or the checks below.
    for (const segment of path.slice(1).split('/')) {
      if (!segment) return refusal('the path has an empty segment or a trailing slash');
      if (segment === '.' || segment === '..') return refusal('the path has a dot segment');
      if (!PATH_SEGMENT.test(segment)) return refusal('a path segment has characters other than A-Z a-z 0-9 . - _');
    }
  }
  return { trustDomain };
}

/**
 * Reads the SPIFFE ID of an X.509-SVID leaf (SPIFFE X509-SVID spec §2, §4): exactly one URI
 * SAN, a `spiffe://` ID with a valid trust domain and path, a leaf that is not a CA and whose
 * keyUsage (when present) allows digitalSignature but not keyCertSign / cRLSign, and a trust
 * domain among `options.trustDomains` when given.
 *
 * @throws ClientCertError `CERT_POLICY` naming the broken rule.
 * @example readSpiffeId(leaf, { trustDomains: ['prod.example.org'] }) // 'spiffe://prod.example.org/ns/web/sa/api'
 */
export function readSpiffeId(cert: ParsedCertificate, options: SpiffeIdOptions = {}): string {
  const uris = cert.subjectAltNames.uri;
  if (uris.length !== 1) refuse(`an SVID has exactly one URI SAN, this certificate has ${uris.length}`);
  const id = uris[0];
  const trustDomain = parseSpiffeUri(id);
  if (cert.basicConstraints?.ca) refuse('the leaf is a CA certificate', { id });
  const ku = cert.keyUsage;
  if (ku && !ku.has('digitalSignature')) refuse('keyUsage lacks digitalSignature', { id });
  if (ku && (ku.has('keyCertSign') || ku.has('cRLSign'))) refuse('keyUsage asserts keyCertSign or cRLSign', { id });
  const allowed = options.trustDomains;
  if (allowed && allowed.length > 0 && !allowed.includes(trustDomain)) {
    refuse(`trust domain ${trustDomain} is not bound to the configured trust anchor`, { id, allowed });
  }
  return id;
}

/**
 * Like {@link readSpiffeId}, but returns `undefined` when the certificate carries no
 * `spiffe://` URI at all (an ordinary client certificate). A certificate that does carry one
 * must be a valid SVID, or this throws `CERT_POLICY`.
 */
export function tryReadSpiffeId(cert: ParsedCertificate, options: SpiffeIdOptions = {}): string | undefined {
  if (!cert.subjectAltNames.uri.some((uri) => SPIFFE_SCHEME.test(uri))) return undefined;
  return readSpiffeId(cert, options);
}
