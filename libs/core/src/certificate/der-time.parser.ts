import { type Asn1, T, UNIVERSAL, malformed, primitive } from './asn1.reader';

/** Two ASCII digits at `i` as a number; NaN when they are not digits. */
function digits(bytes: Buffer, i: number): number {
  const a = bytes[i] - 48;
  const b = bytes[i + 1] - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The one time parser for certificates, CRLs and OCSP responses: a UTCTime `YYMMDDHHMMSSZ`
 * (YY below 50 is 20YY, else 19YY: RFC 5280 §4.1.2.5.1) or a GeneralizedTime `YYYYMMDDHHMMSSZ`
 * (§4.1.2.5.2: no fractional seconds, Zulu), with every field range-checked: month 1–12, day
 * within its month (leap years included), hour 0–23, minute and second 0–59. `Date.UTC` would
 * silently roll month 13 into January of the next year; here it is refused.
 *
 * @throws ClientCertError `CERT_MALFORMED` for any other tag, form or value
 * @example parseDerTime(validityNodes[0], 'notBefore') // 2026-01-01T00:00:00.000Z for 260101000000Z
 */
export function parseDerTime(node: Asn1 | undefined, what: string): Date {
  const text = primitive(node, what);
  const { src, contentStart } = node!;
  // Nodes from the reader carry their source bytes; a hand-built node has only its binary string.
  const bytes = src && contentStart !== undefined ? src : Buffer.from(text, 'latin1');
  let i = src && contentStart !== undefined ? contentStart : 0;
  let year: number;
  if (node!.tagClass === UNIVERSAL && node!.type === T.UTC_TIME && text.length === 13) {
    year = digits(bytes, i);
    year += year < 50 ? 2000 : 1900;
    i += 2;
  } else if (node!.tagClass === UNIVERSAL && node!.type === T.GENERALIZED_TIME && text.length === 15) {
    year = digits(bytes, i) * 100 + digits(bytes, i + 2);
    i += 4;
  } else {
    return malformed(`${what}: not a UTCTime or GeneralizedTime in the DER form ...SSZ`);
  }
  const month = digits(bytes, i);
  const day = digits(bytes, i + 2);
  const hour = digits(bytes, i + 4);
  const minute = digits(bytes, i + 6);
  const second = digits(bytes, i + 8);
  // Range checks by arithmetic (NaN fails every comparison): cheaper than reading the fields back from a Date.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (
    bytes[i + 10] !== 90 /* Z */ ||
    !(month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) ||
    !(hour <= 23 && minute <= 59 && second <= 59) ||
    !(year >= 0)
  ) {
    return malformed(`${what}: invalid time ${JSON.stringify(text)}`);
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC reads years 0–99 as 1900–1999; a GeneralizedTime 0050… means the year 50.
  if (year < 100) date.setUTCFullYear(year);
  return date;
}

/**
 * Runs {@link parseDerTime} over every UTCTime and GeneralizedTime in a tree (not inside OCTET
 * STRINGs), so a structure handed to the schema parser holds no time this parser would refuse.
 *
 * @throws ClientCertError `CERT_MALFORMED`
 */
export function assertDerTimes(node: Asn1, what: string): void {
  if (Array.isArray(node.value)) {
    for (const child of node.value) assertDerTimes(child, what);
  } else if (node.tagClass === UNIVERSAL && (node.type === T.UTC_TIME || node.type === T.GENERALIZED_TIME)) {
    parseDerTime(node, what);
  }
}
