import type { BindingEntity } from '../entities/binding.entity';
import { nextWindowBoundary, pickRow, scopeMatches, windowContains } from './binding.matcher';

const scope = { issuer: 'CN=ca', caFingerprints: new Set(['aa']), caKeys: new Set(['bb']) };
const at = new Date('2030-01-01T00:00:00Z');

function row(id: string, kind: string, account: string, extra: Partial<BindingEntity> = {}): BindingEntity {
  return {
    id,
    kind,
    value: 'v',
    issuerScope: '',
    notBefore: null,
    notAfter: null,
    accountId: account,
    createdAt: at,
    account: { id: account, name: account, status: 'active', roles: [], createdAt: at, updatedAt: at, lastSeenAt: null },
    ...extra,
  } as BindingEntity;
}

describe('pickRow', () => {
  it.each([
    ['nothing', [], 'any-level', { type: 'none' }],
    ['the strongest kind of one account', [row('1', 'subject', 'a'), row('2', 'spki', 'a')], 'any-level', { type: 'row', kind: 'spki' }],
    ['two accounts at one level', [row('1', 'san-dns', 'a'), row('2', 'san-dns', 'b')], 'strongest-level', { type: 'ambiguous' }],
    ['two accounts at two levels (any-level)', [row('1', 'fingerprint', 'a'), row('2', 'subject', 'b')], 'any-level', { type: 'ambiguous' }],
    [
      'two accounts at two levels (strongest-level)',
      [row('1', 'fingerprint', 'a'), row('2', 'subject', 'b')],
      'strongest-level',
      { type: 'row', kind: 'fingerprint' },
    ],
    [
      'an out-of-scope other account',
      [row('1', 'subject', 'a'), row('2', 'subject', 'b', { issuerScope: 'CN=other' })],
      'any-level',
      { type: 'row', kind: 'subject' },
    ],
    ['an expired other account', [row('1', 'subject', 'a'), row('2', 'fingerprint', 'b', { notAfter: at })], 'any-level', { type: 'row', kind: 'subject' }],
    ['an unknown kind from a newer schema', [row('1', 'future-kind', 'b'), row('2', 'subject', 'a')], 'any-level', { type: 'row', kind: 'subject' }],
  ] as const)('with %s', (_label, rows, policy, expected) => {
    const outcome = pickRow(rows as readonly BindingEntity[], scope, at, policy);
    expect(outcome.type).toBe(expected.type);
    if (outcome.type === 'row' && 'kind' in expected) expect(outcome.row.kind).toBe(expected.kind);
  });
});

describe('scopes and windows', () => {
  it.each([
    ['', true],
    ['CN=ca', true],
    ['CN=other', false],
    ['sha256:aa', true],
    ['sha256:bb', false],
    ['spki:bb', true],
    ['spki:aa', false],
  ])('scope %j -> %s', (s, expected) => expect(scopeMatches(s, scope)).toBe(expected));

  it.each([
    [null, null, true],
    [at, null, true],
    [new Date(at.getTime() + 1), null, false],
    [null, at, false],
    [null, new Date(at.getTime() + 1), true],
  ])('window [%s, %s) contains the instant -> %s', (notBefore, notAfter, expected) => {
    expect(windowContains({ notBefore, notAfter }, at)).toBe(expected);
  });

  it('caps a cached answer at the next window edge', () => {
    const soon = new Date(at.getTime() + 5000);
    const later = new Date(at.getTime() + 9000);
    expect(nextWindowBoundary([row('1', 'spki', 'a', { notBefore: later }), row('2', 'spki', 'b', { notAfter: soon })], at)).toBe(soon.getTime());
    expect(nextWindowBoundary([row('1', 'spki', 'a')], at)).toBeUndefined();
  });
});
