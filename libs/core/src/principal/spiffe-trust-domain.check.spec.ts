import { trustDomainRefusal } from './spiffe-trust-domain.check';

const COMPANY = 'aa'.repeat(32);
const PARTNER = 'bb'.repeat(32);
const mapped = { anchorKeys: new Set([COMPANY, PARTNER]), trustDomains: new Map([['company.example', new Set([COMPANY])]]) };

describe('trustDomainRefusal', () => {
  it.each([
    ['a company SVID from the company anchor', ['spiffe://company.example/orders'], COMPANY, undefined],
    ['no spiffe URI at all', ['https://company.example/x'], PARTNER, undefined],
    ['a company SVID from the partner anchor', ['spiffe://company.example/orders'], PARTNER, /does not speak for it/],
    ['an upper-case scheme and domain', ['SPIFFE://Company.Example/orders'], PARTNER, /does not speak for it/],
    ['a spiffe URI among other URIs (not an SVID, still checked)', ['https://x', 'spiffe://company.example/a'], PARTNER, /does not speak for it/],
    ['an unmapped domain', ['spiffe://other.example/x'], COMPANY, /does not list/],
  ])('%s', (_label, uris, anchor, expected) => {
    const refusal = trustDomainRefusal(uris, anchor, mapped);
    if (expected === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toMatch(expected);
  });

  it('without a map, lets one anchor speak for every domain and refuses SPIFFE IDs under several', () => {
    expect(trustDomainRefusal(['spiffe://any.example/x'], COMPANY, { anchorKeys: new Set([COMPANY]) })).toBeUndefined();
    expect(trustDomainRefusal(['spiffe://any.example/x'], COMPANY, { anchorKeys: new Set([COMPANY, PARTNER]) })).toMatch(
      /does not map domains to the 2 trust anchors/,
    );
    expect(trustDomainRefusal(['dns:x'], COMPANY, { anchorKeys: new Set([COMPANY, PARTNER]) })).toBeUndefined();
  });
});
