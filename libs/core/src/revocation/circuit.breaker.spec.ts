import { CircuitBreaker } from './circuit.breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = (): CircuitBreaker => new CircuitBreaker(3, 1000, () => now);
  beforeEach(() => (now = 0));

  it.each([
    [0, 'closed', true],
    [2, 'closed', true],
    [3, 'open', false],
  ] as const)('after %i consecutive failures it is %s', (failures, state, allowed) => {
    const b = breaker();
    for (let i = 0; i < failures; i++) {
      b.tryAcquire();
      b.failure();
    }
    expect(b.state).toBe(state);
    expect(b.tryAcquire()).toBe(allowed);
  });

  it('a success resets the failure count', () => {
    const b = breaker();
    b.failure();
    b.failure();
    b.success();
    b.failure();
    expect(b.state).toBe('closed');
  });

  it('lets one trial through when half-open; success closes, failure reopens', () => {
    const b = breaker();
    [1, 2, 3].forEach(() => b.failure());
    now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // only one trial at a time
    b.failure();
    expect(b.state).toBe('open');
    now = 2000;
    expect(b.tryAcquire()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });
});
