import type { CertificatePolicyExtensions } from './parsed-certificate';
import { type Asn1, CONTEXT, bytesOf, malformed, oidOf, sequence, smallInteger } from './asn1.reader';

/** The special policy that stands for every policy (RFC 5280 §4.2.1.4). */
export const ANY_POLICY = '2.5.29.32.0';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type PolicyExtensionsDraft = Mutable<CertificatePolicyExtensions>;

/** certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation; qualifiers are not read (nothing here displays them). */
export function parseCertificatePolicies(node: Asn1, what: string, into: PolicyExtensionsDraft): void {
  const list = sequence(node, what);
  if (list.length === 0) malformed(`${what}: empty certificatePolicies`);
  const policies: string[] = [];
  for (const information of list) {
    const [identifier, qualifiers, extra] = sequence(information, what);
    if (extra || (qualifiers && sequence(qualifiers, what).length === 0)) malformed(`${what}: bad PolicyInformation`);
    const oid = oidOf(identifier, what);
    // §4.2.1.4: "A certificate policy OID MUST NOT appear more than once in a certificate policies extension."
    if (policies.includes(oid)) malformed(`${what}: policy ${oid} appears twice`);
    policies.push(oid);
  }
  into.policies = policies;
}

/** policyMappings ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { issuerDomainPolicy, subjectDomainPolicy }. */
export function parsePolicyMappings(node: Asn1, what: string, into: PolicyExtensionsDraft): void {
  const list = sequence(node, what);
  if (list.length === 0) malformed(`${what}: empty policyMappings`);
  into.mappings = list.map((pair) => {
    const [issuerDomain, subjectDomain, extra] = sequence(pair, what);
    if (!subjectDomain || extra) malformed(`${what}: bad policy mapping`);
    return { issuerDomainPolicy: oidOf(issuerDomain, what), subjectDomainPolicy: oidOf(subjectDomain, what) };
  });
}

/** SkipCerts ::= INTEGER (0..MAX), here IMPLICIT-tagged: same rules as an INTEGER that fits 31 bits. */
function skipCerts(field: Asn1, what: string): number {
  const raw = bytesOf(field, what);
  if (raw.length === 0 || raw.length > 4 || raw[0] & 0x80) malformed(`${what}: SkipCerts out of range`);
  if (raw.length > 1 && raw[0] === 0 && !(raw[1] & 0x80)) malformed(`${what}: SkipCerts is not minimal`);
  return raw.readUIntBE(0, raw.length);
}

/** PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts OPTIONAL, inhibitPolicyMapping [1] SkipCerts OPTIONAL }. */
export function parsePolicyConstraints(node: Asn1, what: string, into: PolicyExtensionsDraft): void {
  const fields = sequence(node, what);
  // §4.2.1.11: "Conforming CAs MUST NOT issue certificates where policy constraints is an empty sequence."
  if (fields.length === 0) malformed(`${what}: empty policyConstraints`);
  let last = -1;
  for (const field of fields) {
    if (field.tagClass !== CONTEXT || field.type > 1 || field.type <= last) malformed(`${what}: unexpected field`);
    last = field.type;
    if (field.type === 0) into.requireExplicitPolicy = skipCerts(field, what);
    else into.inhibitPolicyMapping = skipCerts(field, what);
  }
}

/** InhibitAnyPolicy ::= SkipCerts. */
export function parseInhibitAnyPolicy(node: Asn1, what: string, into: PolicyExtensionsDraft): void {
  into.inhibitAnyPolicy = smallInteger(node, what);
}
