import { parseDuration } from './duration.parser';

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['2w', 14 * 86_400_000],
    ['90m', 90 * 60_000],
    ['45s', 45_000],
    ['0d', 0],
    ['365d', 365 * 86_400_000],
  ])('reads %s', (text, ms) => expect(parseDuration('--expiring', text)).toBe(ms));

  it.each(['', '30', 'd', '30x', '-1d', '1.5d', '30 d', ' 30d', '30D', '1e3d', '0x1fd', '30dd', '99999999d'])('refuses "%s" as a usage error', (text) => {
    expect(() => parseDuration('--expiring', text)).toThrow(expect.objectContaining({ reason: 'INVALID', message: expect.stringContaining('--expiring') }));
  });
});
