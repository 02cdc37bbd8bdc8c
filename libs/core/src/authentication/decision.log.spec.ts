import { ConsoleLogger, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import type { ClientCertDecision } from './client-cert-decision';
import { DecisionLog } from './decision.log';

const accepted: ClientCertDecision = { result: 'OK', profile: 'waf', durationMs: 1 };

describe('DecisionLog', () => {
  afterEach(() => {
    Logger.overrideLogger(new ConsoleLogger());
    jest.restoreAllMocks();
  });

  it.each([
    ['prints through a custom logger even when Nest levels would drop it', () => customLogger(), true],
    ['prints through a ConsoleLogger subclass (it may log elsewhere)', () => new (class extends ConsoleLogger {})(), true],
  ])('%s', (_label, make, printed) => {
    const target = make() as LoggerService;
    const debug = jest.spyOn(target as unknown as { debug: () => void }, 'debug').mockImplementation(() => undefined);
    Logger.overrideLogger(target);
    new DecisionLog().record(accepted);
    expect(debug.mock.calls.length > 0).toBe(printed);
  });

  it.each([
    ['skips building an entry Nest ConsoleLogger would drop', ['error', 'warn'], 0],
    ['prints when ConsoleLogger has the level on', ['debug'], 1],
  ] as const)('%s', (_label, levels, writes) => {
    Logger.overrideLogger(new ConsoleLogger({ logLevels: [...levels] }));
    const log = new DecisionLog();
    const write = jest.spyOn(log as unknown as { write: () => void }, 'write').mockImplementation(() => undefined);
    log.record(accepted);
    expect(write).toHaveBeenCalledTimes(writes);
  });

  it.each([
    ['a new logger', (levels: LogLevel[]) => Logger.overrideLogger(new ConsoleLogger({ logLevels: levels }))],
    ['new levels on the same logger', (levels: LogLevel[]) => Logger.overrideLogger(levels)],
    [
      'setLogLevels on the logger in place',
      (levels: LogLevel[]) => (Logger as unknown as { staticInstanceRef: ConsoleLogger }).staticInstanceRef.setLogLevels(levels),
    ],
  ])('follows a level change at run time through %s (its answer is remembered, not frozen)', (_label, change) => {
    Logger.overrideLogger(new ConsoleLogger({ logLevels: ['error', 'warn'] }));
    const log = new DecisionLog();
    const write = jest.spyOn(log as unknown as { write: () => void }, 'write').mockImplementation(() => undefined);
    log.record(accepted);
    log.record(accepted);
    expect(write).not.toHaveBeenCalled();
    change(['debug']);
    log.record(accepted);
    expect(write).toHaveBeenCalledTimes(1);
    change(['error']);
    log.record(accepted);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('hands every decision to its listeners whatever the log level', () => {
    Logger.overrideLogger(new ConsoleLogger({ logLevels: ['error'] }));
    const seen: ClientCertDecision[] = [];
    const log = new DecisionLog({ onDecision: (d) => seen.push(d) });
    log.subscribe((d) => seen.push(d));
    log.record(accepted);
    expect(seen).toEqual([accepted, accepted]);
  });

  it("writes nothing at level 'off'", () => {
    Logger.overrideLogger(new ConsoleLogger({ logLevels: ['debug'] }));
    const log = new DecisionLog({ accepted: 'off' });
    const write = jest.spyOn(log as unknown as { write: () => void }, 'write');
    log.record(accepted);
    expect(write).not.toHaveBeenCalled();
  });
});

function customLogger(): LoggerService {
  return { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };
}
