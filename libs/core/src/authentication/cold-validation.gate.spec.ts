import { ColdValidationGate } from './cold-validation.gate';

const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('ColdValidationGate', () => {
  it('lets callers start at once while the turn has spent less than the budget', () => {
    let clock = 100;
    const gate = new ColdValidationGate(1, () => clock);
    expect(gate.turn()).toBeUndefined();
    clock = 100.5;
    expect(gate.turn()).toBeUndefined();
    clock = 100.99;
    expect(gate.turn()).toBeUndefined();
    clock = 101;
    expect(gate.turn()).toBeInstanceOf(Promise);
  });

  it('is contended only when more than one cold validation shares the turn', async () => {
    let clock = 0;
    const gate = new ColdValidationGate(1, () => clock);
    expect(gate.turn()).toBeUndefined();
    expect(gate.contended).toBe(false); // a lone never-seen certificate
    expect(gate.turn()).toBeUndefined();
    expect(gate.contended).toBe(true); // a second one in the same turn
    await nextTurn();
    expect(gate.contended).toBe(false);
    expect(gate.turn()).toBeUndefined();
    expect(gate.contended).toBe(false);
    clock = 2;
    const wait = gate.turn();
    expect(wait).toBeInstanceOf(Promise);
    expect(gate.contended).toBe(true); // one waits for the next turn
    await wait;
  });

  it('queues every later caller behind a waiter, even when the clock is back within budget', () => {
    let clock = 0;
    const gate = new ColdValidationGate(1, () => clock);
    gate.turn();
    clock = 2;
    expect(gate.turn()).toBeInstanceOf(Promise);
    clock = 0.5;
    expect(gate.turn()).toBeInstanceOf(Promise);
  });

  it('starts the callers past the budget in later turns, in order, with I/O and timers between', async () => {
    const gate = new ColdValidationGate(1);
    const events: string[] = [];
    expect(gate.turn()).toBeUndefined();
    // Each "validation" blocks 5 ms, more than the budget: one per turn from here on.
    busyFor(5);
    events.push('first');
    const waits = [gate.turn(), gate.turn(), gate.turn()];
    expect(waits.every((w) => w instanceof Promise)).toBe(true);
    setTimeout(() => events.push('timer'), 0);
    await Promise.all(
      waits.map((wait, n) =>
        wait!.then(() => {
          busyFor(5);
          events.push(`waiter ${n}`);
        }),
      ),
    );
    expect(events.filter((e) => e.startsWith('waiter'))).toEqual(['waiter 0', 'waiter 1', 'waiter 2']);
    // A 0 ms timer set after the first validation does not wait for all three.
    expect(events.indexOf('timer')).toBeLessThan(events.indexOf('waiter 2'));
  });

  it('in a later turn, starts waiters one after another while that turn stays within its budget', async () => {
    let clock = 0;
    const gate = new ColdValidationGate(1, () => clock);
    gate.turn();
    clock = 5;
    const started: number[] = [];
    // Each waiter's "validation" takes 0.6 ms: two fit in a fresh 1 ms budget (0 and 0.6), not three.
    const waits = [0, 1, 2].map((n) =>
      gate.turn()!.then(() => {
        started.push(n);
        clock += 0.6;
      }),
    );
    await nextTurn();
    expect(started).toEqual([0, 1]);
    await nextTurn();
    expect(started).toEqual([0, 1, 2]);
    await Promise.all(waits);
  });

  it('is free again once the queue has drained', async () => {
    let clock = 0;
    const gate = new ColdValidationGate(1, () => clock);
    expect(gate.turn()).toBeUndefined();
    clock = 10;
    const wait = gate.turn();
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    await nextTurn();
    // A new turn, long after: the budget starts again with this caller.
    clock = 20;
    expect(gate.turn()).toBeUndefined();
  });
});
