/**
 * How long `client-cert-auth --help` and `--version` take, as an operator runs the built bin,
 * next to a bare `node -e 0` in the same run (the host's load moves both alike).
 *
 * Run: npm run build && npm run bench:file bench/cli/cli-startup.bench.ts [runs]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'libs', 'cli', 'dist', 'bin.js');
const RUNS = Number(process.argv[2] ?? 21);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeRuns(args: string[]): { median: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { median: median(times), max: Math.max(...times) };
}

if (!existsSync(BIN)) {
  console.error(`${BIN} is missing: run npm run build first`);
  process.exit(2);
}
const rows = [
  ['node -e 0', timeRuns(['-e', '0'])],
  ['client-cert-auth --help', timeRuns([BIN, '--help'])],
  ['client-cert-auth --version', timeRuns([BIN, '--version'])],
] as const;
console.log(`CLI start-up, ${RUNS} runs each (Node ${process.version})`);
for (const [name, t] of rows) console.log(`  ${name.padEnd(28)} median ${t.median.toFixed(0).padStart(4)} ms   max ${t.max.toFixed(0).padStart(4)} ms`);
