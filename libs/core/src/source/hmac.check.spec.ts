import { createHmac } from 'node:crypto';
import { RawHeaderReader } from '../header/raw-header.reader';
import { buildHmacMessage } from './hmac-message.builder';
import { HmacCheck } from './hmac.check';
import { ReplayWindow } from './replay.window';

const KEY = 'k'.repeat(40);
const NOW = 1_800_000_000_000;
const CERT = ':MIIBxyz=:';
const NONCE = '5f0c2d4e-8a1b-4c3d-9e2f-0a1b2c3d4e5f';
const COVERAGE = { names: ['client-cert', 'client-cert-chain'] };
const message = (timestamp: string, cert = CERT) => `GET\n/orders\n${timestamp}\n${NONCE}\nclient-cert:${cert}\nclient-cert-chain`;
const mac = (timestamp: string, cert = CERT, key = KEY, encoding: 'hex' | 'base64' = 'hex') =>
  createHmac('sha256', key).update(message(timestamp, cert)).digest(encoding);
const forwarded = (timestamp: string, value: string) => {
  const rawHeaders = ['Client-Cert', CERT, 'X-Proxy-Time', timestamp, 'X-Proxy-Nonce', NONCE, 'X-Proxy-Mac', value];
  return { reader: new RawHeaderReader(rawHeaders), request: { rawHeaders, remoteAddress: '10.0.0.1', method: 'GET', target: '/orders' } };
};
const options = { header: 'X-Proxy-Mac', timestampHeader: 'X-Proxy-Time', nonceHeader: 'X-Proxy-Nonce', secrets: [KEY], maxSkewSeconds: 30 };
const fresh = () => new HmacCheck(options, 'p', COVERAGE, () => NOW);
const verify = (timestamp: string, value: string) => {
  const { reader, request } = forwarded(timestamp, value);
  const verdict = fresh().verify(reader, request);
  return typeof verdict === 'string' ? verdict : 'ok';
};

describe('HmacCheck', () => {
  const t = (offsetSeconds: number) => ((NOW + offsetSeconds * 1000) / 1000).toFixed(3);

  it.each<[string, string, string, string]>([
    ['valid hex MAC', t(0), mac(t(0)), 'ok'],
    ['valid base64 MAC', t(1), mac(t(1), CERT, KEY, 'base64'), 'ok'],
    ['upper-case hex', t(2), mac(t(2)).toUpperCase(), 'ok'],
    ['within the skew', t(-29), mac(t(-29)), 'ok'],
    ['beyond the skew', t(-31), mac(t(-31)), 'clock-skew'],
    ['in the future beyond the skew', t(31), mac(t(31)), 'clock-skew'],
    ['MAC over another certificate', t(0), mac(t(0), ':other:'), 'bad-mac'],
    ['MAC with another key', t(0), mac(t(0), CERT, 'x'.repeat(40)), 'bad-mac'],
    ['truncated MAC', t(0), mac(t(0)).slice(0, 32), 'bad-mac'],
    ['garbage MAC', t(0), 'not a mac!', 'bad-mac'],
    ['timestamp not a number', 'yesterday', mac('yesterday'), 'bad-timestamp'],
    ['negative timestamp', '-1', mac('-1'), 'bad-timestamp'],
  ])('%s -> %p', (_n, timestamp, value, expected) => {
    expect(verify(timestamp, value)).toBe(expected);
  });

  it('returns the nonce to claim, namespaced by profile, until the timestamp leaves the window', () => {
    const { reader, request } = forwarded(t(0), mac(t(0)));
    expect(fresh().verify(reader, request)).toEqual({ key: `p:${NONCE}`, expiresAt: NOW + 30_000 + 1 });
  });

  it('verifies over exactly the text buildHmacMessage builds', () => {
    const { request } = forwarded(t(0), '');
    expect(buildHmacMessage({ method: 'GET', target: '/orders', timestamp: t(0), nonce: NONCE }, COVERAGE, request.rawHeaders)).toBe(message(t(0)));
  });

  it('missing headers -> missing', () => {
    expect(fresh().verify(RawHeaderReader.fromPairs([]), { rawHeaders: [], remoteAddress: undefined })).toBe('missing');
  });

  it.each([
    [{ ...options, secrets: ['short'] }, /at least 32 characters/],
    [{ ...options, timestampHeader: '' }, /timestampHeader/],
    [{ ...options, maxSkewSeconds: 0 }, /maxSkewSeconds/],
    [{ ...options, algorithm: 'md5' as never }, /algorithm/],
  ])('bootstrap error for %p', (bad, text) => expect(() => new HmacCheck(bad, 'p', COVERAGE)).toThrow(text));
});

describe('ReplayWindow', () => {
  it('forgets entries once expired and fails closed when full', () => {
    const window = new ReplayWindow(2);
    expect(window.remember('a', 100, 0)).toBe('new');
    expect(window.remember('a', 100, 50)).toBe('seen');
    expect(window.remember('b', 200, 50)).toBe('new');
    expect(window.remember('c', 300, 60)).toBe('full'); // full of live entries
    expect(window.remember('c', 300, 150)).toBe('new'); // 'a' expired
    expect(window.remember('a', 400, 210)).toBe('new'); // 'b' expired, and 'a' long ago: a key may come back once expired
    expect(window.size).toBe(2);
  });
});
