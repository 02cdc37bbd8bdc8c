/**
 * Scratch profiler (not part of `npm run bench`): the sub-steps of TrustedProxies.extract for an
 * RFC 9440 header from a loopback proxy, each with a fresh header string per call as HTTP gives.
 */
import { issueCertificate } from '@client-cert-auth/dev-pki';
import { TrustedProxies } from '@client-cert-auth/core';
import { RawHeaderReader } from '../../libs/core/src/header/raw-header.reader';
import { parseAddress } from '../../libs/core/src/source/address-range.matcher';
import { decodeByteSequenceItem } from '../../libs/core/src/header/formats/rfc9440.parser';
import { parseItem } from '../../libs/core/src/header/decoding/structured-field.adapter';
import { assertSingleDer } from '../../libs/core/src/header/decoding/der-envelope';

const der = issueCertificate({ subject: 'CN=x', key: 'p-256', san: { uri: ['spiffe://bench.local/client'] } }).der;
const bytes = Buffer.from(`:${der.toString('base64')}:`, 'latin1');
const fresh = () => bytes.toString('latin1');
const proxies = new TrustedProxies([{ name: 'waf', from: ['127.0.0.1/32', '::1/128'], format: 'rfc9440' }]);
const headers = () => ['Host', '127.0.0.1:3000', 'Client-Cert', fresh()];
const N = 100_000;
function time(name: string, f: () => unknown): void {
  for (let i = 0; i < 5000; i++) f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f();
  console.log(name.padEnd(44), (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(2), 'µs');
}
for (let round = 0; round < 2; round++) {
  time('fresh header string + array (baseline)', () => headers());
  time('TrustedProxies.extract (whole)', () => proxies.extract({ rawHeaders: headers(), remoteAddress: '127.0.0.1' }));
  time('new RawHeaderReader', () => new RawHeaderReader(headers()));
  time('parseAddress(127.0.0.1) (ipaddr.js)', () => parseAddress('127.0.0.1'));
  time('decodeByteSequenceItem (structured-headers)', () => decodeByteSequenceItem(fresh(), 'Client-Cert'));
  time('  parseItem only', () => parseItem(fresh()));
  time('  Buffer.from(base64) of the same value', () => Buffer.from(fresh().slice(1, -1), 'base64'));
  time('  assertSingleDer', () => assertSingleDer(der, 'x'));
}
