/**
 * Cost of logging refusals: 100,000 refusals of one code (CERT_UNTRUSTED, a flood of certificates
 * from an untrusted signer) through `DecisionLog.record`, with Nest's own ConsoleLogger writing
 * to stdout, a pipe read by the parent (as a container's log shipper would). Compares:
 *
 * - `always`: every refusal written in full (`refusalSummary: false`, the 0.1 behaviour);
 * - `summary`: the default, the first 5 per code and profile in full, the rest counted into
 *   one `client_cert.decision.suppressed` entry per 10 s;
 * - `off`: `refused: 'off'`, the floor (no log at all; listeners still called).
 *
 * Each mode runs in its own child process, ROUNDS times in rotated order; the figure is the
 * median CPU (user + system, of the child) per refusal. Run:
 *
 *   npm run bench:file bench/micro/refusal-log.bench.ts
 */
import { ConsoleLogger, Logger } from '@nestjs/common';
import type { ClientCertDecision, DecisionLogOptions } from '@client-cert-auth/core';
import { DecisionLog } from '../../libs/core/src/authentication/decision.log';
import { firstMessage, forkBench } from '../support/child.process';

const REFUSALS = 100_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MODES = ['always', 'summary', 'off'] as const;
const LOGGERS = ['text', 'json'] as const;
type Mode = (typeof MODES)[number];
type LoggerKind = (typeof LOGGERS)[number];

interface ChildResult {
  readonly cpuUs: number;
  readonly wallUs: number;
  readonly seen: number;
}

const OPTIONS: Record<Mode, DecisionLogOptions> = {
  always: { refusalSummary: false },
  summary: {},
  off: { refused: 'off' },
};

/** Refusals as the authenticator records them for a flood of distinct untrusted leaves. */
function refusals(code: ClientCertDecision['result'], count: number): ClientCertDecision[] {
  return Array.from({ length: count }, (_, n) => ({
    result: code,
    reason: `no issuer of leaf "CN=flood-${n}" (issuer "CN=Rogue Root,O=Elsewhere") among the trust anchors and intermediates`,
    remoteAddress: '127.0.0.1',
    profile: 'waf',
    format: 'rfc9440',
    fingerprintSha256: n.toString(16).padStart(64, '0'),
    subject: `CN=flood-${n}`,
    cached: false,
    durationMs: 0.25,
  }));
}

function child(mode: Mode, kind: LoggerKind): void {
  Logger.overrideLogger(new ConsoleLogger({ json: kind === 'json' }));
  let seen = 0;
  const log = new DecisionLog({ ...OPTIONS[mode], onDecision: () => void seen++ }, ['waf']);
  // Warm the JIT on another code, so the measured code still has its first entries in full.
  for (const decision of refusals('CERT_EXPIRED', 2_000)) log.record(decision);
  const flood = refusals('CERT_UNTRUSTED', 1_000);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < REFUSALS; i++) log.record(flood[i % flood.length]);
  log.close();
  // Until stdout has taken every entry: a pipe write that would block is queued, not dropped,
  // and its cost belongs to the refusals that made it.
  process.stdout.write('', () => {
    const wallUs = Number(process.hrtime.bigint() - start) / 1000;
    const used = process.cpuUsage(cpu);
    process.send?.({ cpuUs: (used.user + used.system) / REFUSALS, wallUs: wallUs / REFUSALS, seen } satisfies ChildResult, () => process.exit(0));
  });
}

async function run(mode: Mode, kind: LoggerKind): Promise<ChildResult> {
  const proc = forkBench('micro/refusal-log.bench.ts', ['child', mode, kind], [], true);
  let lines = 0;
  proc.stdout?.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  });
  const result = await firstMessage<ChildResult>(proc);
  // 'close', not 'exit': the last stdout chunks may arrive after the exit event.
  await new Promise((resolve) => proc.once('close', resolve));
  if (result.seen !== REFUSALS + 2_000) throw new Error(`${mode}: listeners saw ${result.seen} decisions`);
  return { ...result, lines } as ChildResult & { lines: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const kind of LOGGERS) {
    const samples = new Map<Mode, Array<ChildResult & { lines?: number }>>(MODES.map((m) => [m, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < MODES.length; k++) {
        const mode = MODES[(round + k) % MODES.length];
        samples.get(mode)?.push(await run(mode, kind));
      }
    }
    const always = median((samples.get('always') ?? []).map((s) => s.cpuUs));
    for (const mode of MODES) {
      const runs = samples.get(mode) ?? [];
      const cpu = median(runs.map((s) => s.cpuUs));
      rows.push(
        `| ${kind} | ${mode} | ${cpu.toFixed(2)} | ${median(runs.map((s) => s.wallUs)).toFixed(2)} | ${(always / cpu).toFixed(1)}x | ${runs[0].lines} |`,
      );
    }
  }
  console.log(`${REFUSALS.toLocaleString('en')} refusals of one code, median of ${ROUNDS} rounds, Node ${process.version}\n`);
  console.log('| ConsoleLogger | refusal logging | CPU µs / refusal | wall µs / refusal | always / this | stdout lines |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

if (process.argv[2] === 'child') child(process.argv[3] as Mode, process.argv[4] as LoggerKind);
else void main();
