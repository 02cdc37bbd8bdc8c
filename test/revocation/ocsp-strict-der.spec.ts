import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certIdFor } from '../../libs/core/src/revocation/ocsp-request.builder';
import { verifyOcspResponse } from '../../libs/core/src/revocation/ocsp-response.verifier';
import { patchAndResign, patchDer, type DerPatch, type DerPath } from './support/der-patch';
import { OpensslCa, run } from './support/openssl-ca';

/**
 * An OCSP response is network-supplied DER: it goes through the strict DER reader and the one time
 * parser before the schema parser sees it. Each case takes a real `openssl ocsp` response (made
 * offline from the CA's index.txt, signed by the CA itself), rewrites one element of the
 * BasicOCSPResponse and re-signs it with the CA key, so only the encoding is wrong.
 *
 * ResponseData paths: 0 responderID, 1 producedAt, 2 responses (2.0 the SingleResponse: 2.0.0
 * certID, 2.0.1 certStatus, 2.0.2 thisUpdate, 2.0.3.0 nextUpdate).
 */
describe('OCSP responses are read as strict DER (openssl ocsp, patched and re-signed)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ocsp-strict-der-'));
  const ca = OpensslCa.create(root, { name: 'Strict OCSP CA' });
  const alice = ca.issue('alice');
  run(root, ['ocsp', '-issuer', 'ca.pem', '-cert', alice.certPath, '-reqout', 'req.der', '-no_nonce']);
  run(root, [
    'ocsp',
    '-index',
    'index.txt',
    '-rsigner',
    'ca.pem',
    '-rkey',
    'ca.key',
    '-CA',
    'ca.pem',
    '-reqin',
    'req.der',
    '-respout',
    'resp.der',
    '-ndays',
    '1',
    '-resp_no_certs',
  ]);
  const original = readFileSync(join(root, 'resp.der'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** The response with its BasicOCSPResponse (OCSPResponse path 1.0.1) patched and re-signed. */
  const patched = (patches: ReadonlyArray<[DerPath, DerPatch]>): Buffer => {
    const basic = extractBasic(original);
    const resigned = patchAndResign(basic, patches, ca.cert.keyPath);
    return patchDer(original, [[[1, 0, 1], { value: resigned.toString('latin1') }]]);
  };
  /** Why the response was refused, or its status. */
  const verdict = (der: Buffer): string => {
    try {
      const context = { cert: alice.parsed, issuer: ca.cert.parsed, certId: certIdFor(alice.parsed, ca.cert.parsed), requireNonce: false };
      return verifyOcspResponse(der, { ...context, at: new Date(), clockSkewMs: 60_000, maxAgeWithoutNextUpdateMs: 3_600_000 }).status;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('accepts the re-signed response when nothing is patched (the control: re-signing works)', () => {
    expect(verdict(patched([]))).toBe('good');
  });

  it.each<[string, DerPath]>([
    ['the SingleResponse', [2, 0]],
    ['the certID', [2, 0, 0]],
    ['thisUpdate', [2, 0, 2]],
    ['producedAt', [1]],
  ])('refuses a non-minimal length on %s', (_what, path) => {
    expect(verdict(patched([[path, { longLength: true }]]))).toMatch(/non-minimal DER length/);
  });

  it('refuses a non-minimal length on the outer OCSPResponse (its responseStatus)', () => {
    expect(verdict(patchDer(original, [[[0], { longLength: true }]]))).toMatch(/non-minimal DER length/);
  });

  it.each<[string, DerPath, string]>([
    ['thisUpdate with month 13', [2, 0, 2], '20251301000000Z'],
    ['thisUpdate with second 60', [2, 0, 2], '20260101000060Z'],
    ['nextUpdate with hour 24', [2, 0, 3, 0], '20991231240000Z'],
    ['thisUpdate with fractional seconds', [2, 0, 2], '20260101000000.5Z'],
    ['producedAt in local time (no Z)', [1], '20260101000000'],
  ])('refuses a response whose %s', (_what, path, text) => {
    expect(verdict(patched([[path, { value: text }]]))).toMatch(/invalid time|not a UTCTime or GeneralizedTime/);
  });
});

/** The BasicOCSPResponse DER inside an OCSPResponse (responseBytes.response OCTET STRING). */
function extractBasic(response: Buffer): Buffer {
  // Found by its OID's position rather than with the reader under test: the OCTET STRING follows
  // id-pkix-ocsp-basic (06 09 2b 06 01 05 05 07 30 01 01).
  const oid = Buffer.from('06092b0601050507300101', 'hex');
  let at = response.indexOf(oid) + oid.length;
  if (response[at++] !== 0x04) throw new Error('test setup: no OCTET STRING after id-pkix-ocsp-basic');
  let length = response[at++];
  if (length & 0x80) {
    const count = length & 0x7f;
    length = response.readUIntBE(at, count);
    at += count;
  }
  return response.subarray(at, at + length);
}
