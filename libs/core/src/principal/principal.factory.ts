import type { DistinguishedName, DnAttribute, ParsedCertificate } from '../certificate/parsed-certificate';
import { isSharedName } from '../certificate/shared-parts.cache';
import { tryReadSpiffeId } from '../certificate/spiffe-id';
import type { ClientCertPrincipal } from './client-cert-principal';
import { SHARED_VALUES } from './shared-values';

/**
 * Builds the principal from a validated path (leaf first, anchor last). Runs once per distinct
 * certificate: the result is cached with the validation verdict, so its names, attribute lists
 * and SANs are the shared copies (`SHARED_VALUES`): what one more certificate of a known client
 * adds is its serial, fingerprints and dates, not another copy of its names, nor the decoded
 * text they were sliced from. Every part is frozen.
 */
export function createPrincipal(path: readonly ParsedCertificate[], delivery: { readonly profile: string; readonly format: string }): ClientCertPrincipal {
  const leaf = path[0];
  const spiffeId = safeSpiffeId(leaf);
  const shared = SHARED_VALUES;
  const { dns, uri, email, ip, upn } = leaf.subjectAltNames;
  const subject = sharedParts(leaf.subject);
  const issuer = sharedParts(leaf.issuer);
  return Object.freeze({
    subject: subject.text,
    subjectAttributes: subject.attributes,
    issuer: issuer.text,
    issuerAttributes: issuer.attributes,
    serialNumber: leaf.serialNumber,
    fingerprintSha256: leaf.fingerprintSha256,
    spkiSha256: leaf.publicKey.sha256,
    san: Object.freeze({ dns: shared.strings(dns), uri: shared.strings(uri), email: shared.strings(email), ip: shared.strings(ip), upn: shared.strings(upn) }),
    ...(spiffeId ? { spiffeId: shared.string(spiffeId) } : {}),
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    issuerSpkiSha256: (path[1] ?? leaf).publicKey.sha256,
    anchorSpkiSha256: path[path.length - 1].publicKey.sha256,
    chainFingerprints: Object.freeze(path.map((c) => c.fingerprintSha256)),
    profile: delivery.profile,
    format: delivery.format,
  });
}

/** A Name's shared RFC 4514 text and attribute list. */
interface NameParts {
  readonly text: string;
  readonly attributes: readonly DnAttribute[];
}

/**
 * The shared parts of each shared Name object, memoized on it: the parser hands out one Name
 * object per distinct encoding it has seen twice (shared-parts.cache.ts), so the leaves of one CA,
 * and the certificates of one client, look their names up once, not once per certificate (the
 * attributes' lookup key alone is a string built from every value). A Name of its certificate
 * alone gets no entry: a weak entry per never-seen client would cost the collector more than the
 * lookups. Weak: a Name the parser's table dropped takes its entry along.
 */
const NAME_PARTS = new WeakMap<DistinguishedName, NameParts>();

function sharedParts(name: DistinguishedName): NameParts {
  let parts = NAME_PARTS.get(name);
  if (parts === undefined) {
    parts = { text: SHARED_VALUES.string(name.rfc4514), attributes: SHARED_VALUES.attributes(attributesOf(name.rdns)) };
    if (isSharedName(name)) NAME_PARTS.set(name, parts);
  }
  return parts;
}

/**
 * A certificate that is not a well-formed X.509-SVID simply has no SPIFFE ID here; bindings and
 * profiles that require one enforce the SVID rules themselves.
 */
/**
 * The RDNs' attributes in order. A loop, not `rdns.flat()`: V8's `flat` is a generic builtin
 * that cost ~0.7 µs per name against ~0.07 µs for the loop, twice per never-seen certificate
 * (interleaved runs, 2026-12-06).
 */
function attributesOf(rdns: ReadonlyArray<ReadonlyArray<DnAttribute>>): DnAttribute[] {
  const attributes: DnAttribute[] = [];
  for (const rdn of rdns) for (const attribute of rdn) attributes.push(attribute);
  return attributes;
}

function safeSpiffeId(leaf: ParsedCertificate): string | undefined {
  try {
    return tryReadSpiffeId(leaf);
  } catch {
    return undefined;
  }
}
