import { ClientCertError } from '../errors/client-cert.error';
import type { ParsedCertificate } from './parsed-certificate';
import { DecodedCertificate } from './decoded-certificate';
import { sharedAlgorithm, sharedName } from './shared-parts.cache';
import { type Asn1, CONTEXT, T, UNIVERSAL, children, hexOf, expect, malformed, oidOf, parseDer, primitive, sequence, smallInteger } from './asn1.reader';
import { parseDerTime } from './der-time.parser';
import { parseExtensions } from './extension.parser';
import { parsePublicKey } from './public-key.parser';
import { signatureAlgorithmName } from './signature-algorithm.names';

/** No real client or CA certificate comes near this; bigger input is an attack on the parser. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

function parse(der: Buffer): ParsedCertificate {
  if (!Buffer.isBuffer(der) || der.length === 0) malformed('certificate: empty input');
  if (der.length > MAX_CERTIFICATE_BYTES) malformed(`certificate: larger than ${MAX_CERTIFICATE_BYTES} bytes`);
  // One strict-DER walk of the whole certificate; every node knows its offsets in `der`,
  // so the TBS, names, SPKI and extension values below are views, not re-encodings.
  const root = parseDer(der, 'certificate');
  const outer = sequence(root, 'certificate');
  if (outer.length !== 3) malformed('certificate: expected tbsCertificate, signatureAlgorithm, signature');
  const [tbs, outerAlg, signatureNode] = outer;
  const fields = sequence(tbs, 'tbsCertificate');
  const slice = (node: Asn1) => der.subarray(node.start, node.end);

  let i = 0;
  let version = 1;
  if (fields[0]?.tagClass === CONTEXT && fields[0].type === 0) {
    version = smallInteger(children(fields[i++], 'version')[0], 'version') + 1;
    if (version > 3) malformed(`certificate: unknown version ${version}`);
  }
  const serial = hexOf(expect(fields[i++], UNIVERSAL, T.INTEGER, 'serialNumber'), 'serialNumber');
  if (serial.length === 0) malformed('serialNumber: empty INTEGER');
  const innerAlgIndex = i++;
  const innerAlg = fields[innerAlgIndex];
  if (!innerAlg || der.compare(der, innerAlg.start, innerAlg.end, outerAlg.start, outerAlg.end) !== 0) {
    malformed('certificate: signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)');
  }
  const issuerIndex = i++;
  const issuer = sharedName(fields[issuerIndex], der, 'issuer');
  const [notBeforeNode, notAfterNode, extraTime] = sequence(fields[i++], 'validity');
  if (!notAfterNode || extraTime) malformed('validity: expected notBefore and notAfter');
  const subjectIndex = i++;
  const subject = sharedName(fields[subjectIndex], der, 'subject');
  const spkiIndex = i++;
  const publicKey = parsePublicKey(fields[spkiIndex], slice(fields[spkiIndex]));
  let extensionList;
  for (; i < fields.length; i++) {
    const field = fields[i];
    if (field.tagClass !== CONTEXT || field.type < 1 || field.type > 3) malformed('tbsCertificate: unexpected field');
    if (version === 1) malformed('tbsCertificate: unique identifiers or extensions in a version 1 certificate');
    if (field.type === 3) {
      if (version !== 3) malformed('tbsCertificate: extensions in a version 2 certificate');
      const wrapped = children(field, 'extensions');
      if (wrapped.length !== 1 || extensionList) malformed('tbsCertificate: bad extensions field');
      extensionList = sequence(wrapped[0], 'extensions');
      if (extensionList.length === 0) malformed('extensions: present but empty');
    }
  }
  const extensions = parseExtensions(extensionList ?? []);

  const [algOid, algParams] = sequence(outerAlg, 'signatureAlgorithm');
  const oid = oidOf(algOid, 'signatureAlgorithm');
  expect(signatureNode, UNIVERSAL, T.BIT_STRING, 'signature');
  if (primitive(signatureNode, 'signature').charCodeAt(0) !== 0) malformed('signature: BIT STRING has unused bits');

  return new DecodedCertificate({
    der,
    version,
    serialNumber: serial,
    signatureAlgorithm: algParams ? { oid, name: signatureAlgorithmName(oid), parameters: slice(algParams) } : sharedAlgorithm(oid),
    tbsDer: slice(tbs),
    signature: der.subarray(signatureNode.contentStart! + 1, signatureNode.end),
    issuer,
    subject,
    notBefore: parseDerTime(notBeforeNode, 'notBefore'),
    notAfter: parseDerTime(notAfterNode, 'notAfter'),
    publicKey,
    extensions: extensions.extensions,
    basicConstraints: extensions.basicConstraints,
    keyUsage: extensions.keyUsage,
    extendedKeyUsage: extensions.extendedKeyUsage,
    subjectAltNames: extensions.subjectAltNames,
    subjectKeyIdentifier: extensions.subjectKeyIdentifier,
    authorityKeyIdentifier: extensions.authorityKeyIdentifier,
    authorityKeyIdentifierHasIssuerSerial: extensions.authorityKeyIdentifierHasIssuerSerial,
    nameConstraints: extensions.nameConstraints,
    policyExtensions: extensions.policyExtensions,
    crlDistributionPoints: extensions.crlDistributionPoints,
    ocspUrls: extensions.ocspUrls,
    caIssuerUrls: extensions.caIssuerUrls,
    selfIssued: issuer.normalized === subject.normalized,
  });
}

/**
 * Decodes one DER X.509 certificate (RFC 5280) into the ParsedCertificate model.
 * Strict DER; any structural problem, from a truncated length to a duplicated extension,
 * is reported as `CERT_MALFORMED` and never as another exception type.
 *
 * @throws ClientCertError `CERT_MALFORMED`
 * @example const cert = parseCertificate(decodePemCertificates(pem)[0]);
 */
export function parseCertificate(der: Buffer): ParsedCertificate {
  try {
    return parse(der);
  } catch (error) {
    if (error instanceof ClientCertError) throw error;
    throw new ClientCertError('CERT_MALFORMED', `certificate: ${(error as Error)?.message ?? 'unparsable'}`);
  }
}
