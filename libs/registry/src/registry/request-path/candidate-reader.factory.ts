import type { DataSource } from 'typeorm';
import type { CandidateReader } from '../candidate.reader';
import { CandidateQuery } from '../candidate.query';
import { PostgresCandidateReader } from './postgres-candidate.reader';
import { SqliteCandidateReader } from './sqlite-candidate.reader';

/** How the registry reads on the request path. */
export type RequestPath = 'prepared' | 'typeorm';

/**
 * The request-path reader for a DataSource: prepared statements on the raw driver for the two
 * drivers the registry ships for (better-sqlite3, pg), the TypeORM query builder for any other
 * (or when `path` asks for it, e.g. a bench comparing both).
 */
export function candidateReaderFor(dataSource: DataSource, path: RequestPath = 'prepared'): CandidateReader {
  if (path === 'prepared') {
    if (dataSource.options.type === 'better-sqlite3') return new SqliteCandidateReader(dataSource);
    if (dataSource.options.type === 'postgres') return new PostgresCandidateReader(dataSource);
  }
  return new CandidateQuery(dataSource);
}
