import { ColdValidationGate } from './cold-validation.gate';

const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('ColdValidationGate', () => {
  it('lets the first caller start at once and the others one per event-loop turn, with I/O and timers between', async () => {
    const gate = new ColdValidationGate();
    const events: string[] = [];
    expect(gate.turn()).toBeUndefined();
    const waits = [gate.turn(), gate.turn(), gate.turn()];
    expect(waits.every((w) => w instanceof Promise)).toBe(true);
    // Each "validation" blocks 5 ms; a 0 ms timer set now must not wait for all three.
    setTimeout(() => events.push('timer'), 0);
    busyFor(5);
    events.push('first');
    await Promise.all(
      waits.map((wait, n) =>
        wait!.then(() => {
          busyFor(5);
          events.push(`waiter ${n}`);
        }),
      ),
    );
    expect(events.slice(0, 1)).toEqual(['first']);
    expect(events.filter((e) => e.startsWith('waiter'))).toEqual(['waiter 0', 'waiter 1', 'waiter 2']);
    expect(events.indexOf('timer')).toBeLessThan(events.indexOf('waiter 2'));
  });

  it('is free again once the queue has drained', async () => {
    const gate = new ColdValidationGate();
    expect(gate.turn()).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.turn()).toBeUndefined();
  });
});
