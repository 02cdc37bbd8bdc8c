import { createHmac } from 'node:crypto';
import { RawHeaderReader } from '../header/raw-header.reader';
import { HmacCheck } from './hmac.check';
import { ReplayWindow } from './replay.window';

const KEY = 'k'.repeat(40);
const NOW = 1_800_000_000_000;
const CERT = ':MIIBxyz=:';
const mac = (timestamp: string, cert = CERT, key = KEY, encoding: 'hex' | 'base64' = 'hex') =>
  createHmac('sha256', key).update(`${timestamp}\n${cert}`).digest(encoding);
const headers = (timestamp: string, value: string) =>
  RawHeaderReader.fromPairs([
    ['X-Proxy-Time', timestamp],
    ['X-Proxy-Mac', value],
  ]);
const fresh = () => new HmacCheck({ header: 'X-Proxy-Mac', timestampHeader: 'X-Proxy-Time', secrets: [KEY], maxSkewSeconds: 30 }, 'p', () => NOW);

describe('HmacCheck', () => {
  const t = (offsetSeconds: number) => ((NOW + offsetSeconds * 1000) / 1000).toFixed(3);

  it.each<[string, string, string, string | undefined]>([
    ['valid hex MAC', t(0), mac(t(0)), undefined],
    ['valid base64 MAC', t(1), mac(t(1), CERT, KEY, 'base64'), undefined],
    ['upper-case hex', t(2), mac(t(2)).toUpperCase(), undefined],
    ['within the skew', t(-29), mac(t(-29)), undefined],
    ['beyond the skew', t(-31), mac(t(-31)), 'clock-skew'],
    ['in the future beyond the skew', t(31), mac(t(31)), 'clock-skew'],
    ['MAC over another certificate', t(0), mac(t(0), ':other:'), 'bad-mac'],
    ['MAC with another key', t(0), mac(t(0), CERT, 'x'.repeat(40)), 'bad-mac'],
    ['truncated MAC', t(0), mac(t(0)).slice(0, 32), 'bad-mac'],
    ['garbage MAC', t(0), 'not a mac!', 'bad-mac'],
    ['timestamp not a number', 'yesterday', mac('yesterday'), 'bad-timestamp'],
    ['negative timestamp', '-1', mac('-1'), 'bad-timestamp'],
  ])('%s -> %p', (_n, timestamp, value, expected) => {
    expect(fresh().verify(headers(timestamp, value), CERT)).toBe(expected);
  });

  it('refuses a replayed MAC, accepts a new one', () => {
    const check = fresh();
    expect(check.verify(headers(t(0), mac(t(0))), CERT)).toBeUndefined();
    expect(check.verify(headers(t(0), mac(t(0))), CERT)).toBe('replayed');
    expect(check.verify(headers(t(0.001), mac(t(0.001))), CERT)).toBeUndefined();
  });

  it('missing headers -> missing', () => {
    expect(fresh().verify(RawHeaderReader.fromPairs([]), CERT)).toBe('missing');
  });

  it.each([
    [{ header: 'X-Mac', timestampHeader: 'X-Time', secrets: ['short'] }, /at least 32 characters/],
    [{ header: 'X-Mac', timestampHeader: '', secrets: [KEY] }, /timestampHeader/],
    [{ header: 'X-Mac', timestampHeader: 'X-Time', secrets: [KEY], maxSkewSeconds: 0 }, /maxSkewSeconds/],
    [{ header: 'X-Mac', timestampHeader: 'X-Time', secrets: [KEY], algorithm: 'md5' as never }, /algorithm/],
  ])('bootstrap error for %p', (options, message) => expect(() => new HmacCheck(options, 'p')).toThrow(message));
});

describe('ReplayWindow', () => {
  it('forgets entries once expired and fails closed when full', () => {
    const window = new ReplayWindow(2);
    expect(window.remember('a', 100, 0)).toBe(true);
    expect(window.remember('a', 100, 50)).toBe(false);
    expect(window.remember('b', 200, 50)).toBe(true);
    expect(window.remember('c', 300, 60)).toBe(false); // full of live entries
    expect(window.remember('c', 300, 150)).toBe(true); // 'a' expired
    expect(window.size).toBe(2);
  });
});
