/**
 * Bounds how long cold validations (a certificate not in the verdict cache: decode and path
 * building, up to ~10 ms of CPU under the path builder's budget) may hold one turn of the event
 * loop: they start at once while the turn's cold work has taken less than `budgetMs`; past that
 * they wait, in order, for the next turn, where they start again within a fresh budget. Between
 * two turns the loop polls sockets and runs timers, so a flood of never-seen hostile chains on
 * many connections holds the loop for at most the budget plus one validation per turn, not for
 * (connections x one validation): warm requests and health checks keep being answered.
 *
 * A budget rather than one validation per turn: the earlier one-per-turn gate sent every cold
 * request after the first of a turn through one `setImmediate` hop (5-10 µs of CPU each in a
 * 10-concurrent synthetic run, bench/results/issue14-cold-http.md §3); a P-256 leaf validates in
 * ~0.1 ms, so a 1 ms budget lets the usual few of a turn go straight through. The warm path
 * never comes here.
 */
export class ColdValidationGate {
  private readonly waiting: Array<() => void> = [];
  /** `performance.now()` when this turn's budget started; undefined: no cold work this turn yet. */
  private turnStartedAt: number | undefined;

  /**
   * @param budgetMs cold work one turn may start validations within (measured from its first).
   * @param now the clock (tests drive it).
   */
  constructor(
    private readonly budgetMs = 1,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Validations started in this turn so far (released waiters included). */
  private startedThisTurn = 0;

  /**
   * Whether this turn has more cold work than the caller's own: another validation started in
   * it, or some wait for the next. A lone never-seen certificate on an idle server is not.
   */
  get contended(): boolean {
    return this.startedThisTurn > 1 || this.waiting.length > 0;
  }

  /** Undefined when the caller may start now; otherwise a promise that resolves at its turn. */
  turn(): Promise<void> | undefined {
    if (this.turnStartedAt === undefined) {
      this.turnStartedAt = this.now();
      this.startedThisTurn = 1;
      // The turn's end: the budget starts again there (the one timer per turn with cold work).
      setImmediate(this.nextTurn);
      return undefined;
    }
    if (this.waiting.length === 0 && this.now() - this.turnStartedAt < this.budgetMs) {
      this.startedThisTurn++;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private readonly nextTurn = (): void => {
    this.startedThisTurn = 0;
    if (this.waiting.length === 0) {
      this.turnStartedAt = undefined;
      return;
    }
    this.turnStartedAt = this.now();
    setImmediate(this.nextTurn);
    this.releaseOne();
  };

  /**
   * Lets the oldest waiter start, then checks the budget again once its validation has run: a
   * microtask queued after the `resolve` runs after the waiter's continuation (the synchronous
   * decode and path validation up to its next `await`).
   */
  private releaseOne(): void {
    this.startedThisTurn++;
    this.waiting.shift()!();
    queueMicrotask(this.releaseWithinBudget);
  }

  private readonly releaseWithinBudget = (): void => {
    if (this.waiting.length > 0 && this.now() - this.turnStartedAt! < this.budgetMs) this.releaseOne();
  };
}
