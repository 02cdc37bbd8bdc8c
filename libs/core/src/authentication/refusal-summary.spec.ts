import { Logger, type LoggerService } from '@nestjs/common';
import { ConsoleLogger } from '@nestjs/common';
import type { ClientCertDecision } from './client-cert-decision';
import { DecisionLog } from './decision.log';
import type { DecisionLogClock } from './refusal.limiter';
import { resolveDecisionLogOptions } from './decision-log.options';

/** A clock the test moves by hand, with the one timer the limiter may arm. */
class ManualClock implements DecisionLogClock {
  at = 1_000_000;
  timer?: { fn: () => void; due: number };
  now = () => this.at;
  setTimeout = (fn: () => void, ms: number) => (this.timer = { fn, due: this.at + ms });
  clearTimeout = () => (this.timer = undefined);
  /** Moves time on and runs the timer if it is due. */
  advance(ms: number): void {
    this.at += ms;
    const timer = this.timer;
    if (timer && timer.due <= this.at) {
      this.timer = undefined;
      timer.fn();
    }
  }
}

const untrusted: ClientCertDecision = { result: 'CERT_UNTRUSTED', profile: 'waf', reason: 'no path', durationMs: 0.1 };
const expired: ClientCertDecision = { result: 'CERT_EXPIRED', profile: 'waf', reason: 'expired', durationMs: 0.1 };

describe('DecisionLog refusal summaries', () => {
  let warned: Array<Record<string, unknown>>;
  let clock: ManualClock;

  beforeEach(() => {
    warned = [];
    clock = new ManualClock();
    const capture: LoggerService = {
      log: () => undefined,
      error: () => undefined,
      debug: () => undefined,
      warn: (message: Record<string, unknown>) => warned.push(message),
    };
    Logger.overrideLogger(capture);
  });
  afterEach(() => Logger.overrideLogger(new ConsoleLogger()));

  const full = () => warned.filter((m) => m.event === 'client_cert.decision');
  const summaries = () => warned.filter((m) => m.event === 'client_cert.decision.suppressed');

  it('writes the first 5 of 10,000 refusals of one code in full and one summary with the rest counted', () => {
    const log = new DecisionLog({}, ['waf'], clock);
    for (let i = 0; i < 10_000; i++) log.record(untrusted);
    expect(full()).toHaveLength(5);
    expect(summaries()).toHaveLength(0);

    clock.advance(10_000);
    expect(full()).toHaveLength(5);
    expect(summaries()).toEqual([{ event: 'client_cert.decision.suppressed', code: 'CERT_UNTRUSTED', profile: 'waf', suppressed: 9_995, intervalSeconds: 10 }]);
  });

  it('starts every interval with the first refusals in full again, and counts per interval', () => {
    const log = new DecisionLog({ refusalSummary: { firstInFull: 2, intervalSeconds: 60 } }, ['waf'], clock);
    for (let i = 0; i < 100; i++) log.record(untrusted);
    clock.advance(60_000);
    for (let i = 0; i < 30; i++) log.record(untrusted);
    clock.advance(60_000);
    expect(full()).toHaveLength(4);
    expect(summaries().map((s) => [s.suppressed, s.intervalSeconds])).toEqual([
      [98, 60],
      [28, 60],
    ]);
  });

  it('still writes another code in full while one code is suppressed', () => {
    const log = new DecisionLog({}, ['waf'], clock);
    for (let i = 0; i < 1_000; i++) log.record(untrusted);
    log.record(expired);
    log.record(expired);
    expect(full().filter((m) => m.result === 'CERT_EXPIRED')).toHaveLength(2);
    clock.advance(10_000);
    expect(summaries().map((s) => s.code)).toEqual(['CERT_UNTRUSTED']);
  });

  it('keeps a count per profile, and one for refusals made before a profile matched', () => {
    const log = new DecisionLog({ refusalSummary: { firstInFull: 1 } }, ['waf', 'edge'], clock);
    for (const profile of ['waf', 'edge', undefined, 'waf', 'edge', undefined, undefined]) log.record({ ...untrusted, profile });
    log.close();
    expect(summaries().map((s) => [s.profile, s.suppressed])).toEqual([
      ['waf', 1],
      ['edge', 1],
      ['none', 2],
    ]);
  });

  it('arms no timer until a refusal is suppressed, and flushes the summary on close', () => {
    const log = new DecisionLog({}, ['waf'], clock);
    for (let i = 0; i < 5; i++) log.record(untrusted);
    expect(clock.timer).toBeUndefined();
    log.record(untrusted);
    expect(clock.timer).toBeDefined();
    log.close();
    expect(clock.timer).toBeUndefined();
    expect(summaries()).toEqual([expect.objectContaining({ code: 'CERT_UNTRUSTED', suppressed: 1 })]);
    log.close();
    expect(summaries()).toHaveLength(1);
  });

  it('never lets the default timer keep the process alive (unref)', () => {
    const unref = jest.fn();
    const set = jest.spyOn(global, 'setTimeout').mockReturnValue({ unref } as unknown as NodeJS.Timeout);
    const log = new DecisionLog({ refusalSummary: { firstInFull: 0 } }, ['waf']);
    log.record(untrusted);
    expect(set).toHaveBeenCalledWith(expect.any(Function), 10_000);
    expect(unref).toHaveBeenCalled();
    set.mockRestore();
    jest.spyOn(global, 'clearTimeout').mockImplementation(() => undefined);
    log.close();
    jest.restoreAllMocks();
  });

  it('logs every refusal in full with refusalSummary: false (the 0.1 behaviour)', () => {
    const log = new DecisionLog({ refusalSummary: false }, ['waf'], clock);
    for (let i = 0; i < 50; i++) log.record(untrusted);
    expect(full()).toHaveLength(50);
    expect(clock.timer).toBeUndefined();
  });

  it('hands every refusal to listeners, suppressed or not, and leaves accepted decisions alone', () => {
    const seen: ClientCertDecision[] = [];
    const log = new DecisionLog({ onDecision: (d) => seen.push(d), accepted: 'warn' }, ['waf'], clock);
    for (let i = 0; i < 100; i++) log.record(untrusted);
    for (let i = 0; i < 20; i++) log.record({ result: 'OK', profile: 'waf', durationMs: 0.1 });
    expect(seen).toHaveLength(120);
    expect(full().filter((m) => m.result === 'OK')).toHaveLength(20);
  });

  it('survives a logger that throws on the summary (it may run on a timer)', () => {
    const log = new DecisionLog({ refusalSummary: { firstInFull: 0 } }, ['waf'], clock);
    log.record(untrusted);
    Logger.overrideLogger({
      log: () => undefined,
      error: () => undefined,
      warn: () => {
        throw new Error('disk full');
      },
    });
    expect(() => clock.advance(10_000)).not.toThrow();
  });

  it('maps a profile it was not configured with to one bounded slot', () => {
    const log = new DecisionLog({ refusalSummary: { firstInFull: 1 } }, ['waf'], clock);
    for (let i = 0; i < 100; i++) log.record({ ...untrusted, profile: `p${i}` });
    log.close();
    expect(summaries()).toEqual([expect.objectContaining({ profile: 'other', suppressed: 99 })]);
  });
});

describe('resolveDecisionLogOptions', () => {
  it('defaults the refusal summary to 5 in full per 10 s', () => {
    expect(resolveDecisionLogOptions(undefined).refusalSummary).toEqual({ firstInFull: 5, intervalSeconds: 10 });
  });
  it.each([
    [{ firstInFull: -1 }, /decisions.refusalSummary.firstInFull is -1/],
    [{ firstInFull: 1.5 }, /firstInFull/],
    [{ intervalSeconds: 0 }, /decisions.refusalSummary.intervalSeconds is 0/],
    [{ intervalSeconds: 86_401 }, /intervalSeconds/],
  ])('refuses %j', (refusalSummary, message) => {
    expect(() => resolveDecisionLogOptions({ refusalSummary })).toThrow(message);
  });
  it('keeps false and accepts its own output', () => {
    expect(resolveDecisionLogOptions({ refusalSummary: false }).refusalSummary).toBe(false);
    const once = resolveDecisionLogOptions({ refusalSummary: { firstInFull: 0, intervalSeconds: 1 } });
    expect(resolveDecisionLogOptions(once)).toEqual(once);
  });
});
