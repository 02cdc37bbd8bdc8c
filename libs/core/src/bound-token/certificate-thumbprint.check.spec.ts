import { createHash } from 'node:crypto';
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { ClientCertError } from '../errors/client-cert.error';
import { ClientCertOptionsError } from '../options/options.error';
import { resolveBoundTokenOptions } from './bound-token.options';
import { assertTokenBoundToCertificate } from './certificate-thumbprint.check';

const cert = issueCertificate({ subject: 'CN=bound' });
const other = issueCertificate({ subject: 'CN=other' });
const hex = createHash('sha256').update(cert.der).digest('hex');
const x5t = (der: Buffer) => createHash('sha256').update(der).digest('base64url');
/** Same 32 bytes, last character not canonical (its low 2 bits set). */
const nonCanonical = (t: string) =>
  t.slice(0, 42) +
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(t[42]) + 1];

describe('assertTokenBoundToCertificate (RFC 8705 §3.1)', () => {
  it.each([
    ['its own thumbprint', { cnf: { 'x5t#S256': x5t(cert.der) } }, hex],
    ['an upper-case hex fingerprint on our side', { cnf: { 'x5t#S256': x5t(cert.der) } }, hex.toUpperCase()],
    ['a thumbprint that uses - and _ (0xfb…)', { cnf: { 'x5t#S256': Buffer.alloc(32, 0xfb).toString('base64url') } }, 'fb'.repeat(32)],
  ])('accepts %s', (_label, claims, fingerprint) => {
    expect(() => assertTokenBoundToCertificate(claims, fingerprint)).not.toThrow();
  });

  it.each<[string, unknown, string]>([
    ['no claims', undefined, 'no-claims'],
    ['claims that are a string', 'eyJ...', 'no-claims'],
    ['no cnf', { sub: 'x' }, 'unbound'],
    ['cnf null', { cnf: null }, 'unbound'],
    ['another certificate', { cnf: { 'x5t#S256': x5t(other.der) } }, 'mismatch'],
    ['hex in x5t#S256', { cnf: { 'x5t#S256': hex } }, 'malformed'],
    ['padding', { cnf: { 'x5t#S256': `${x5t(cert.der)}=` } }, 'malformed'],
    ['a non-canonical last character', { cnf: { 'x5t#S256': nonCanonical(x5t(cert.der)) } }, 'malformed'],
    ['a number', { cnf: { 'x5t#S256': 42 } }, 'malformed'],
    ['an array of thumbprints', { cnf: { 'x5t#S256': [x5t(cert.der)] } }, 'malformed'],
    ['the standard base64 alphabet (+/) for the same bytes', { cnf: { 'x5t#S256': Buffer.alloc(32, 0xfb).toString('base64').replace(/=$/, '') } }, 'malformed'],
  ])('refuses %s with TOKEN_NOT_BOUND', (_label, claims, problem) => {
    let error: unknown;
    try {
      // 0xfb… is the fingerprint of the base64-alphabet case; every other case is about `cert`.
      assertTokenBoundToCertificate(claims, _label.includes('(+/)') ? 'fb'.repeat(32) : hex);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ClientCertError);
    expect(error).toMatchObject({ code: 'TOKEN_NOT_BOUND', details: expect.objectContaining({ problem }) });
  });
});

describe('boundTokens.claims', () => {
  const request = { user: { sub: 'a' }, auth: { payload: { sub: 'b' } } };

  it.each<[string, unknown, unknown]>([
    ['the default, request.user', undefined, { sub: 'a' }],
    ['a property path', 'auth.payload', { sub: 'b' }],
    ['a path that is not there', 'auth.nothing.deeper', undefined],
    ['a function', (r: typeof request) => r.auth.payload, { sub: 'b' }],
  ])('reads %s', (_label, claims, expected) => {
    const options = resolveBoundTokenOptions(claims === undefined ? undefined : { claims: claims as string });
    expect(options.readClaims(request)).toEqual(expected);
  });

  it.each(['', 'user.', '__proto__', 'user.constructor', 'user[0]', 42])('refuses %p at start-up', (claims) => {
    expect(() => resolveBoundTokenOptions({ claims: claims as string })).toThrow(ClientCertOptionsError);
  });
});
