/**
 * Prints the per-request summary of cpuprofile.summary.ts for a profile written by
 * server.profile.ts (its `.cpuprofile` and the `.json` beside it with the request count):
 *
 *   CALLERS=Hash npm run bench:file bench/profile/cpuprofile.print.ts /tmp/cca-profiles/guarded-express-flood-rsa-2048
 *
 * Unlike cpuprofile.diff.js it covers the whole profile (start-up included), so read it for
 * shares and callers, and the diff for per-request differences between two routes.
 */
import { readFileSync } from 'node:fs';
import { summarize } from './cpuprofile.summary';

const base = process.argv[2];
const run = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { requests: number };
summarize(JSON.parse(readFileSync(`${base}.cpuprofile`, 'utf8')), run.requests);
