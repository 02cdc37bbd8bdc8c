import { enforceRevocationVerdict, type RevocationVerdict } from './revocation.verdict';

describe('enforceRevocationVerdict', () => {
  it.each<[RevocationVerdict['status'], RevocationVerdict['mode'], string | undefined]>([
    ['good', 'off', undefined],
    ['good', 'soft-fail', undefined],
    ['good', 'hard-fail', undefined],
    ['revoked', 'off', undefined],
    ['revoked', 'soft-fail', 'CERT_REVOKED'],
    ['revoked', 'hard-fail', 'CERT_REVOKED'],
    ['unknown', 'off', undefined],
    ['unknown', 'soft-fail', undefined],
    ['unknown', 'hard-fail', 'REVOCATION_UNAVAILABLE'],
  ])('%s in %s → %s', (status, mode, code) => {
    const verdict: RevocationVerdict = { status, mode, source: 'ocsp', reason: 'test' };
    if (code) expect(() => enforceRevocationVerdict(verdict)).toThrow(expect.objectContaining({ name: 'ClientCertError', code }));
    else expect(() => enforceRevocationVerdict(verdict)).not.toThrow();
  });
});
