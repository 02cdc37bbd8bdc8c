import { ClientCertError } from '../errors/client-cert.error';
import { parseDer } from './asn1.reader';
import { parseDerTime } from './der-time.parser';

/** A UTCTime (0x17) or GeneralizedTime (0x18) element holding `text`. */
const time = (tag: number, text: string) => parseDer(Buffer.concat([Buffer.from([tag, text.length]), Buffer.from(text, 'latin1')]), 'test');
const UTC = 0x17;
const GENERALIZED = 0x18;

function parsed(tag: number, text: string): string {
  try {
    return parseDerTime(time(tag, text), 'test').toISOString();
  } catch (error) {
    return error instanceof ClientCertError ? error.code : `foreign ${(error as Error).name}`;
  }
}

describe('parseDerTime (the one time parser: RFC 5280 §4.1.2.5)', () => {
  it.each<[string, number, string, string]>([
    ['UTCTime 26 is 2026', UTC, '260101000000Z', '2026-01-01T00:00:00.000Z'],
    ['UTCTime 49 is 2049 (last year of the window)', UTC, '491231235959Z', '2049-12-31T23:59:59.000Z'],
    ['UTCTime 50 is 1950 (first year of the window)', UTC, '500101000000Z', '1950-01-01T00:00:00.000Z'],
    ['UTCTime 99 is 1999', UTC, '991231235959Z', '1999-12-31T23:59:59.000Z'],
    ['GeneralizedTime 2050', GENERALIZED, '20500101000000Z', '2050-01-01T00:00:00.000Z'],
    ['GeneralizedTime 9999 (RFC 5280 no-expiry)', GENERALIZED, '99991231235959Z', '9999-12-31T23:59:59.000Z'],
    ['GeneralizedTime year 0050 (not 1950)', GENERALIZED, '00500101000000Z', '0050-01-01T00:00:00.000Z'],
    ['29 February of a leap year', UTC, '240229120000Z', '2024-02-29T12:00:00.000Z'],
    ['29 February 2000 (divisible by 400)', GENERALIZED, '20000229000000Z', '2000-02-29T00:00:00.000Z'],
  ])('decodes %s', (_name, tag, text, iso) => {
    expect(parsed(tag, text)).toBe(iso);
  });

  it.each<[string, number, string]>([
    ['month 13', UTC, '251301000000Z'],
    ['month 00', UTC, '250001000000Z'],
    ['day 00', UTC, '250100000000Z'],
    ['day 32', UTC, '250132000000Z'],
    ['31 April', UTC, '250431000000Z'],
    ['29 February of a common year', UTC, '250229000000Z'],
    ['29 February 2100 (divisible by 100, not 400)', GENERALIZED, '21000229000000Z'],
    ['hour 24', UTC, '250101240000Z'],
    ['minute 60', UTC, '250101006000Z'],
    ['second 60 (no leap seconds)', UTC, '250101000060Z'],
    ['no Z', UTC, '2501010000000'],
    ['a + where Z belongs', UTC, '250101000000+'],
    ['an offset instead of Z', GENERALIZED, '20250101000000+0000'],
    ['fractional seconds', GENERALIZED, '20250101000000.5Z'],
    ['no seconds (UTCTime YYMMDDHHMMZ)', UTC, '2501010000Z'],
    ['a UTCTime of GeneralizedTime length', UTC, '20250101000000Z'],
    ['a GeneralizedTime of UTCTime length', GENERALIZED, '250101000000Z'],
    ['a sign in a field', UTC, '25-101000000Z'],
    ['a space in a field', UTC, '2501 1000000Z'],
    ['a lower-case z', UTC, '250101000000z'],
  ])('refuses %s as CERT_MALFORMED', (_name, tag, text) => {
    expect(parsed(tag, text)).toBe('CERT_MALFORMED');
  });

  it('refuses an element that is not a time', () => {
    expect(parsed(0x04, '250101000000Z')).toBe('CERT_MALFORMED'); // an OCTET STRING holding a valid UTCTime's text
  });
});
