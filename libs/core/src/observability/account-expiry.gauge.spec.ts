import { Registry } from 'prom-client';
import type { AccountCertificateExpiry } from '../registry/client-cert-registry';
import { ACCOUNT_EXPIRY_READ_TIMEOUT_MS, createAccountExpiryGauge, MAX_EXPIRY_ACCOUNTS } from './account-expiry.gauge';

const NAME = 'client_cert_account_cert_expiry_timestamp_seconds';

describe('createAccountExpiryGauge', () => {
  const scrape = async (read: (limit: number) => Promise<readonly AccountCertificateExpiry[]>) => {
    const registry = new Registry();
    const failures: string[] = [];
    createAccountExpiryGauge('client_cert_', [registry], read, (reason) => failures.push(reason));
    // One scrape, one read.
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === NAME);
    return { values: metric?.values ?? [], type: metric?.type, failures };
  };

  it('exposes each account soonest notAfter as a Unix timestamp, read at scrape time', async () => {
    const limits: number[] = [];
    const { values, type } = await scrape(async (limit) => {
      limits.push(limit);
      return [
        { account: 'orders-app', notAfter: new Date('2027-01-10T00:00:00Z') },
        { account: 'billing "eu"', notAfter: new Date('2027-03-01T12:00:00.900Z') },
      ];
    });
    expect(limits).toEqual([MAX_EXPIRY_ACCOUNTS]);
    expect(values.map((v) => [v.labels.account, v.value])).toEqual([
      ['orders-app', Date.parse('2027-01-10T00:00:00Z') / 1000],
      ['billing "eu"', Math.floor(Date.parse('2027-03-01T12:00:00Z') / 1000)],
    ]);
    expect(type).toBe('gauge');
  });

  it('asks for at most 1000 accounts and keeps no more than that many series', async () => {
    const many = Array.from({ length: MAX_EXPIRY_ACCOUNTS + 5 }, (_, i) => ({ account: `a${i}`, notAfter: new Date(Date.UTC(2027, 0, 1) + i * 1000) }));
    const { values } = await scrape(async () => many);
    expect(MAX_EXPIRY_ACCOUNTS).toBe(1000);
    expect(values).toHaveLength(MAX_EXPIRY_ACCOUNTS);
  });

  it('answers the scrape without the series, and reports why, when the registry fails', async () => {
    const { values, type, failures } = await scrape(() => Promise.reject(new Error('connection refused')));
    expect(values).toEqual([]);
    expect(type).toBe('gauge');
    expect(failures).toEqual([expect.stringContaining('connection refused')]);
  });

  it(`gives up on a registry that does not answer within ${ACCOUNT_EXPIRY_READ_TIMEOUT_MS} ms`, async () => {
    const started = Date.now();
    const { values, failures } = await scrape(() => new Promise(() => undefined));
    expect(Date.now() - started).toBeLessThan(ACCOUNT_EXPIRY_READ_TIMEOUT_MS + 1000);
    expect(values).toEqual([]);
    expect(failures).toEqual([expect.stringContaining('did not answer')]);
  });

  it('drops the series of an account that no longer has one', async () => {
    const registry = new Registry();
    let answer: AccountCertificateExpiry[] = [{ account: 'gone-app', notAfter: new Date('2027-01-01Z') }];
    createAccountExpiryGauge(
      'client_cert_',
      [registry],
      async () => answer,
      () => undefined,
    );
    expect(await registry.metrics()).toContain('account="gone-app"');
    answer = [];
    expect(await registry.metrics()).not.toContain('account="gone-app"');
  });
});
