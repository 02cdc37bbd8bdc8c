import type { Logger } from 'typeorm';

/** A TypeORM logger that records every statement sent, so tests can count database round trips. */
export class QueryCountingLogger implements Logger {
  readonly queries: string[] = [];

  logQuery(query: string): void {
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  /** Statements recorded while `work` ran. */
  async during(work: () => Promise<unknown>): Promise<string[]> {
    const start = this.queries.length;
    await work();
    return this.queries.slice(start);
  }
}
