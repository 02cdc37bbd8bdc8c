import type { CertificateExtension, NameConstraints, SubjectAltNames } from './parsed-certificate';
import {
  type Asn1,
  CONTEXT,
  T,
  UNIVERSAL,
  bitStringUnused,
  booleanOf,
  children,
  expect,
  hexOf,
  malformed,
  oidOf,
  parseContents,
  sequence,
  smallInteger,
} from './asn1.reader';
import { type GeneralName, parseGeneralName, parseSubjectAltNames } from './general-name.parser';
import { DerExtension } from './der-extension';
import {
  type PolicyExtensionsDraft,
  parseCertificatePolicies,
  parseInhibitAnyPolicy,
  parsePolicyConstraints,
  parsePolicyMappings,
} from './policy-extensions.parser';

export const EXT = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  nameConstraints: '2.5.29.30',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  policyConstraints: '2.5.29.36',
  inhibitAnyPolicy: '2.5.29.54',
  issuerAltName: '2.5.29.18',
} as const;

/** Extensions this module understands; any other critical extension fails validation. */
export const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(EXT));

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** The fields of ParsedCertificate that come from extensions. */
export interface DecodedExtensions {
  extensions: CertificateExtension[];
  basicConstraints?: { ca: boolean; pathLen?: number; critical: boolean };
  keyUsage?: Set<string>;
  extendedKeyUsage?: string[];
  subjectAltNames: SubjectAltNames;
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
  authorityKeyIdentifierHasIssuerSerial?: boolean;
  nameConstraints?: NameConstraints;
  policyExtensions?: PolicyExtensionsDraft;
  crlDistributionPoints: string[];
  ocspUrls: string[];
  caIssuerUrls: string[];
}

const EMPTY_SANS: SubjectAltNames = Object.freeze({ dns: [], uri: [], email: [], ip: [], upn: [], directoryName: [] });

function uris(names: GeneralName[]): string[] {
  return names.flatMap((n) => (n.type === 'uri' ? [n.value] : []));
}

function subtrees(node: Asn1, what: string): GeneralName[] {
  const list = children(node, what);
  if (list.length === 0) malformed(`${what}: empty GeneralSubtrees`);
  return list.map((subtree) => {
    const [base, ...bounds] = sequence(subtree, what);
    // RFC 5280: minimum MUST be zero (so it is absent in DER) and maximum MUST be absent.
    if (bounds.length > 0) malformed(`${what}: GeneralSubtree minimum/maximum are not allowed`);
    return parseGeneralName(base, what);
  });
}

/** Decodes the extension list (RFC 5280 §4.2) into the model's fields. */
export function parseExtensions(list: Asn1[]): DecodedExtensions {
  const out: DecodedExtensions = { extensions: [], subjectAltNames: EMPTY_SANS, crlDistributionPoints: [], ocspUrls: [], caIssuerUrls: [] };
  for (let index = 0; index < list.length; index++) {
    const ext = list[index];
    const parts = sequence(ext, 'Extension');
    const oid = oidOf(parts[0], 'Extension id');
    const critical = parts.length === 3 ? booleanOf(parts[1], 'Extension critical') : false;
    if (parts.length < 2 || parts.length > 3) malformed('Extension: bad element count');
    const extnValue = expect(parts[parts.length - 1], UNIVERSAL, T.OCTET_STRING, 'extnValue');
    // A dozen extensions at most: a scan beats allocating a Set per certificate.
    for (let j = 0; j < out.extensions.length; j++) if (out.extensions[j].oid === oid) malformed(`extensions: ${oid} appears twice`);
    out.extensions.push(new DerExtension(oid, critical, extnValue));
    if (!KNOWN_EXTENSIONS.has(oid)) continue;
    const what = `extension ${oid}`;
    const node = parseContents(extnValue, what);
    switch (oid) {
      case EXT.basicConstraints: {
        const fields = sequence(node, what);
        let i = 0;
        let ca = false;
        if (fields[i]?.tagClass === UNIVERSAL && fields[i].type === T.BOOLEAN) ca = booleanOf(fields[i++], what);
        const pathLen = fields[i] ? smallInteger(fields[i++], what) : undefined;
        if (fields[i]) malformed(`${what}: trailing element`);
        out.basicConstraints = { ca, pathLen, critical };
        break;
      }
      case EXT.keyUsage: {
        bitStringUnused(node, what);
        const raw = node.value as string; // unused-bits octet, then the bits (NaN past the end reads as 0)
        const usage = new Set<string>();
        for (let bit = 0; bit < KEY_USAGE_BITS.length; bit++) {
          if (raw.charCodeAt(1 + (bit >> 3)) & (0x80 >> (bit & 7))) usage.add(KEY_USAGE_BITS[bit]);
        }
        if (usage.size === 0) malformed(`${what}: keyUsage asserts no bit`);
        out.keyUsage = usage;
        break;
      }
      case EXT.extendedKeyUsage: {
        const oids = sequence(node, what).map((n) => oidOf(n, what));
        if (oids.length === 0) malformed(`${what}: empty extKeyUsage`);
        out.extendedKeyUsage = oids;
        break;
      }
      case EXT.subjectAltName:
        out.subjectAltNames = parseSubjectAltNames(node, what).sans;
        break;
      case EXT.subjectKeyIdentifier:
        out.subjectKeyIdentifier = hexOf(expect(node, UNIVERSAL, T.OCTET_STRING, what), what);
        break;
      case EXT.authorityKeyIdentifier:
        for (const field of sequence(node, what)) {
          if (field.tagClass !== CONTEXT || field.type > 2) malformed(`${what}: unexpected field`);
          if (field.type === 0) out.authorityKeyIdentifier = hexOf(field, what);
          else out.authorityKeyIdentifierHasIssuerSerial = true;
        }
        break;
      case EXT.nameConstraints: {
        const nc: { critical: boolean; permitted?: GeneralName[]; excluded?: GeneralName[] } = { critical };
        for (const field of sequence(node, what)) {
          if (field.tagClass !== CONTEXT || field.type > 1) malformed(`${what}: unexpected field`);
          if (field.type === 0) nc.permitted = subtrees(field, what);
          else nc.excluded = subtrees(field, what);
        }
        if (!nc.permitted && !nc.excluded) malformed(`${what}: neither permitted nor excluded subtrees`);
        out.nameConstraints = nc;
        break;
      }
      case EXT.crlDistributionPoints:
        for (const point of sequence(node, what)) {
          const [name] = sequence(point, what);
          if (name?.tagClass === CONTEXT && name.type === 0) {
            const [full] = children(name, what);
            if (full?.tagClass === CONTEXT && full.type === 0) {
              out.crlDistributionPoints.push(...uris(children(full, what).map((g) => parseGeneralName(g, what))));
            }
          }
        }
        break;
      case EXT.authorityInfoAccess: {
        const descriptions = sequence(node, what);
        if (descriptions.length === 0) malformed(`${what}: empty authorityInfoAccess`);
        for (const description of descriptions) {
          const [method, location, extra] = sequence(description, what);
          if (!location || extra) malformed(`${what}: bad AccessDescription`);
          const methodOid = oidOf(method, what);
          const name = parseGeneralName(location, what);
          if (name.type !== 'uri') continue;
          if (methodOid === '1.3.6.1.5.5.7.48.1') out.ocspUrls.push(name.value);
          if (methodOid === '1.3.6.1.5.5.7.48.2') out.caIssuerUrls.push(name.value);
        }
        break;
      }
      case EXT.certificatePolicies:
        parseCertificatePolicies(node, what, (out.policyExtensions ??= {}));
        break;
      case EXT.policyMappings:
        parsePolicyMappings(node, what, (out.policyExtensions ??= {}));
        break;
      case EXT.policyConstraints:
        parsePolicyConstraints(node, what, (out.policyExtensions ??= {}));
        break;
      case EXT.inhibitAnyPolicy:
        parseInhibitAnyPolicy(node, what, (out.policyExtensions ??= {}));
        break;
      default:
        // issuerAltName: structure only (nothing reads it).
        if (!node) malformed(`${what}: empty`);
    }
  }
  return out;
}
