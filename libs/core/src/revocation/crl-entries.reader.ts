import {
  type Asn1,
  type DerSpan,
  T,
  UNIVERSAL,
  booleanOf,
  bytesOf,
  expect,
  hexOf,
  malformed,
  oidOf,
  parseContents,
  parseDer,
  sequence,
  spansIn,
} from '../certificate/asn1.reader';
import { parseDerTime } from '../certificate/der-time.parser';

/** One entry of a CRL's revoked list. */
export interface CrlEntry {
  readonly revocationDate: Date;
  /** RFC 5280 CRLReason name, when the entry has one. */
  readonly reason?: string;
}

/** RFC 5280 CRLReason names by code (7 is unused). Shared with OCSP revokedInfo. */
export const REASON_NAMES: readonly string[] = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];
const REASON_CODE = '2.5.29.21';
/** The entry extensions we understand: reasonCode, invalidityDate. */
const KNOWN_ENTRY_EXTENSIONS = new Set([REASON_CODE, '2.5.29.24']);

/**
 * Indexes revokedCertificates by serial (lowercase hex of the INTEGER content, as
 * ParsedCertificate.serialNumber), with the strict DER reader, entry by entry: the schema
 * library needs ~0.3 ms per entry, which for a 100 000-entry CRL would block the event loop
 * for half a minute. Throws on a critical entry extension we do not understand
 * (e.g. certificateIssuer of an indirect CRL).
 *
 * @throws ClientCertError `CERT_MALFORMED` for a malformed entry, Error for an unsupported one
 */
export function readRevokedEntries(der: Buffer, list: DerSpan | undefined): Map<string, CrlEntry> {
  const revoked = new Map<string, CrlEntry>();
  if (!list) return revoked;
  for (const span of spansIn(der, list.contentStart, list.end, 'revokedCertificates')) {
    // One entry's tree at a time: short-lived nodes, where one tree of the whole list would not be.
    const [serial, date, extensions, extra] = sequence(parseDer(der.subarray(span.start, span.end), 'revokedCertificates entry'), 'revokedCertificates entry');
    if (!date || extra) malformed('revokedCertificates entry: expected userCertificate, revocationDate and crlEntryExtensions');
    let reason: string | undefined;
    for (const ext of extensions ? sequence(extensions, 'crlEntryExtensions') : []) {
      const parts = sequence(ext, 'crlEntryExtension');
      if (parts.length !== 2 && parts.length !== 3) malformed('crlEntryExtension: expected extnID, critical and extnValue');
      const oid = oidOf(parts[0], 'crlEntryExtension');
      const critical = parts.length === 3 && booleanOf(parts[1], 'crlEntryExtension critical');
      if (critical && !KNOWN_ENTRY_EXTENSIONS.has(oid)) {
        throw new Error(`unsupported critical CRL entry extension ${oid}; indirect CRLs are not supported`);
      }
      if (oid === REASON_CODE) reason = reasonOf(parts[parts.length - 1]);
    }
    revoked.set(hexOf(expect(serial, UNIVERSAL, T.INTEGER, 'userCertificate'), 'userCertificate'), {
      revocationDate: parseDerTime(date, 'revocationDate'),
      reason,
    });
  }
  return revoked;
}

/** reasonCode extnValue: an OCTET STRING holding one ENUMERATED, read as strict DER like the rest. */
function reasonOf(extnValue: Asn1 | undefined): string | undefined {
  const code = bytesOf(
    expect(parseContents(expect(extnValue, UNIVERSAL, T.OCTET_STRING, 'reasonCode'), 'reasonCode'), UNIVERSAL, T.ENUMERATED, 'reasonCode'),
    'reasonCode',
  );
  return code.length === 1 ? REASON_NAMES[code[0]] : undefined;
}
