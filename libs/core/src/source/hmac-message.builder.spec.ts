import { buildHmacMessage } from './hmac-message.builder';

const parts = { method: 'POST', target: '/orders?x=1', timestamp: '1800000000', nonce: 'n-0123456789abcdef' };

describe('buildHmacMessage', () => {
  it.each<[string, string[], string[]]>([
    ['every covered header present, in sorted order', ['X-B', '2', 'x-a', '1'], ['x-a:1', 'x-b:2']],
    ['an absent header is its name alone', ['X-A', '1'], ['x-a:1', 'x-b']],
    ['an empty header is name and colon', ['X-A', ''], ['x-a:', 'x-b']],
    ['a repeated header: one line per occurrence, in order', ['X-A', '1', 'x-a', '2'], ['x-a:1', 'x-a:2', 'x-b']],
    ['other headers are not covered', ['Host', 'h', 'X_A', 'u', 'X-A', '1'], ['x-a:1', 'x-b']],
    [
      'present numbered chain headers are covered, by name',
      ['X-Chain-1', 'c1', 'X-Chain-0', 'c0', 'X-A', '1'],
      ['x-a:1', 'x-b', 'x-chain-0:c0', 'x-chain-1:c1'],
    ],
  ])('%s', (_label, rawHeaders, headerLines) => {
    const text = buildHmacMessage(parts, { names: ['x-a', 'x-b'], chainPrefix: 'x-chain-' }, rawHeaders);
    expect(text).toBe(['POST', '/orders?x=1', '1800000000', 'n-0123456789abcdef', ...headerLines].join('\n'));
  });
});
