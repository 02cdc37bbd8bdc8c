import { createHash } from 'node:crypto';
import { ClientCertError } from '../errors/client-cert.error';
import type { ParsedCertificate } from './parsed-certificate';
import { CONTEXT, T, UNIVERSAL, bytesOf, checkDer, children, derSpans, expect, malformed, oidOf, parseDer, primitive, readHeader, sequence, smallInteger } from './asn1.reader';
import { parseDistinguishedName } from './distinguished-name.parser';
import { parseExtensions } from './extension.parser';
import { parsePublicKey } from './public-key.parser';
import { signatureAlgorithmName } from './signature-algorithm.names';

/** No real client or CA certificate comes near this; bigger input is an attack on the parser. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

/** Two ASCII digits at `i` as a number; NaN when they are not digits. */
function digits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/** UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, the only forms RFC 5280 allows. */
function parseTime(node: ReturnType<typeof expect>, what: string): Date {
  const text = primitive(node, what);
  let year: number;
  let i: number;
  if (node.tagClass === UNIVERSAL && node.type === T.UTC_TIME && text.length === 13) {
    year = digits(text, 0);
    year += year < 50 ? 2000 : 1900; // RFC 5280 §4.1.2.5.1
    i = 2;
  } else if (node.tagClass === UNIVERSAL && node.type === T.GENERALIZED_TIME && text.length === 15) {
    year = digits(text, 0) * 100 + digits(text, 2);
    i = 4;
  } else {
    return malformed(`${what}: not a UTCTime or GeneralizedTime in the DER form ...SSZ`);
  }
  const month = digits(text, i);
  const day = digits(text, i + 2);
  const hour = digits(text, i + 4);
  const minute = digits(text, i + 6);
  const second = digits(text, i + 8);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (text[i + 10] !== 'Z' || Number.isNaN(date.getTime()) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return malformed(`${what}: invalid time ${JSON.stringify(text)}`);
  }
  return date;
}

/** The extnValue contents of each extension, as views into `der` (no copies). */
function extensionValueSlices(der: Buffer, field: [number, number]): Buffer[] {
  const [wrapStart, wrapEnd] = readHeader(der, field[0], field[1], 'extensions');
  const [listStart, listEnd] = readHeader(der, wrapStart, wrapEnd, 'extensions');
  return derSpans(der, listStart, listEnd, 'extensions').map(([start, end]) => {
    const parts = derSpans(der, readHeader(der, start, end, 'Extension')[0], end, 'Extension');
    const [valueStart, valueEnd] = readHeader(der, parts[parts.length - 1][0], parts[parts.length - 1][1], 'extnValue');
    return der.subarray(valueStart, valueEnd);
  });
}

function parse(der: Buffer): ParsedCertificate {
  if (!Buffer.isBuffer(der) || der.length === 0) malformed('certificate: empty input');
  if (der.length > MAX_CERTIFICATE_BYTES) malformed(`certificate: larger than ${MAX_CERTIFICATE_BYTES} bytes`);
  const [start, end] = readHeader(der, 0, der.length, 'certificate');
  if (end !== der.length) malformed('certificate: trailing bytes after the certificate');
  checkDer(der, start, end, 'certificate');
  const outer = derSpans(der, start, end, 'certificate');
  if (outer.length !== 3) malformed('certificate: expected tbsCertificate, signatureAlgorithm, signature');
  const root = parseDer(der, 'certificate');
  const [tbs, outerAlg, signatureNode] = sequence(root, 'certificate');
  const fields = sequence(tbs, 'tbsCertificate');
  const [tbsStart, tbsEnd] = outer[0];
  const tbsContentStart = readHeader(der, tbsStart, tbsEnd, 'tbsCertificate')[0];
  const spans = derSpans(der, tbsContentStart, tbsEnd, 'tbsCertificate');
  const slice = (i: number) => der.subarray(spans[i][0], spans[i][1]);

  let i = 0;
  let version = 1;
  if (fields[0]?.tagClass === CONTEXT && fields[0].type === 0) {
    version = smallInteger(children(fields[i++], 'version')[0], 'version') + 1;
    if (version > 3) malformed(`certificate: unknown version ${version}`);
  }
  const serial = bytesOf(expect(fields[i++], UNIVERSAL, T.INTEGER, 'serialNumber'), 'serialNumber');
  if (serial.length === 0) malformed('serialNumber: empty INTEGER');
  const innerAlgIndex = i++;
  if (!slice(innerAlgIndex).equals(der.subarray(outer[1][0], outer[1][1]))) {
    malformed('certificate: signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)');
  }
  const issuerIndex = i++;
  const issuer = parseDistinguishedName(fields[issuerIndex], slice(issuerIndex), 'issuer');
  const [notBeforeNode, notAfterNode, extraTime] = sequence(fields[i++], 'validity');
  if (!notAfterNode || extraTime) malformed('validity: expected notBefore and notAfter');
  const subjectIndex = i++;
  const subject = parseDistinguishedName(fields[subjectIndex], slice(subjectIndex), 'subject');
  const spkiIndex = i++;
  const publicKey = parsePublicKey(fields[spkiIndex], slice(spkiIndex));
  let extensionList;
  let extensionValues: Buffer[] = [];
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
      extensionValues = extensionValueSlices(der, spans[i]);
    }
  }
  const extensions = parseExtensions(extensionList ?? [], extensionValues);

  const [algOid, algParams] = sequence(outerAlg, 'signatureAlgorithm');
  const oid = oidOf(algOid, 'signatureAlgorithm');
  const algSpans = derSpans(der, readHeader(der, outer[1][0], outer[1][1], 'signatureAlgorithm')[0], outer[1][1], 'signatureAlgorithm');
  expect(signatureNode, UNIVERSAL, T.BIT_STRING, 'signature');
  if (primitive(signatureNode, 'signature').charCodeAt(0) !== 0) malformed('signature: BIT STRING has unused bits');
  const [sigStart, sigEnd] = readHeader(der, outer[2][0], outer[2][1], 'signature');

  let fingerprint: string | undefined;
  return {
    der,
    // Hashed on first read: the request path keys its caches on its own hash of the header bytes.
    get fingerprintSha256(): string {
      return (fingerprint ??= createHash('sha256').update(der).digest('hex'));
    },
    version,
    serialNumber: serial.toString('hex'),
    signatureAlgorithm: {
      oid,
      name: signatureAlgorithmName(oid),
      parameters: algParams ? der.subarray(algSpans[1][0], algSpans[1][1]) : undefined,
    },
    tbsDer: der.subarray(tbsStart, tbsEnd),
    signature: der.subarray(sigStart + 1, sigEnd),
    issuer,
    subject,
    notBefore: parseTime(notBeforeNode, 'notBefore'),
    notAfter: parseTime(notAfterNode, 'notAfter'),
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
    crlDistributionPoints: extensions.crlDistributionPoints,
    ocspUrls: extensions.ocspUrls,
    caIssuerUrls: extensions.caIssuerUrls,
    selfIssued: issuer.normalized === subject.normalized,
  };
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
