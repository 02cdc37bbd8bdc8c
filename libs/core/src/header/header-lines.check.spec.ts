import { assertHeaderLinesComplete, headerLineLimitOf, headerLinesMayBeDropped } from './header-lines.check';

const lines = (count: number): string[] => Array.from({ length: count }, (_, i) => [`x-${i}`, '1']).flat();

describe('header-line limit', () => {
  it.each<[string, number, number | undefined, boolean]>([
    ['999 lines, Node default', 999, undefined, false],
    ['1,000 lines, Node default (Node keeps no more)', 1000, undefined, true],
    ['1,023 lines, Node default (what rawHeaders holds of 1,500)', 1023, undefined, true],
    ['1,500 lines under maxHeadersCount 3,000', 1500, 3000, false],
    ['3,000 lines under maxHeadersCount 3,000', 3000, 3000, true],
    ['20 lines under maxHeadersCount 20', 20, 20, true],
    ['5,000 lines with maxHeadersCount 0 (no limit)', 5000, 0, false],
  ])('%s -> may be dropped: %s', (_name, count, limit, dropped) => {
    const request = { rawHeaders: lines(count), remoteAddress: '10.0.0.1', headerLineLimit: limit };
    expect(headerLinesMayBeDropped(request)).toBe(dropped);
    if (dropped) expect(() => assertHeaderLinesComplete(request)).toThrow(expect.objectContaining({ code: 'HEADER_MALFORMED' }));
    else expect(() => assertHeaderLinesComplete(request)).not.toThrow();
  });

  it.each<[string, { server?: { maxHeadersCount?: number | null } } | undefined, number | undefined]>([
    ['no socket', undefined, undefined],
    ['a server without maxHeadersCount set (null)', { server: { maxHeadersCount: null } }, undefined],
    ['maxHeadersCount 3,000', { server: { maxHeadersCount: 3000 } }, 3000],
    ['maxHeadersCount 0', { server: { maxHeadersCount: 0 } }, 0],
  ])('reads the limit of %s', (_name, socket, expected) => expect(headerLineLimitOf(socket)).toBe(expected));
});
