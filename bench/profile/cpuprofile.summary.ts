/**
 * A V8 CPU profile taken in-process (node:inspector), printed as self time per request: by area
 * (the registry, its ORM and driver apart from the core), by core file, top functions and core
 * lines. Native functions are charged to their nearest JavaScript caller. Used by the profilers here.
 */
import { Session } from 'node:inspector';

interface CpuProfile {
  nodes: {
    id: number;
    children?: number[];
    callFrame: { functionName: string; url: string; lineNumber: number };
    positionTicks?: { line: number; ticks: number }[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
}

function area(url: string, fn: string): string {
  if (/libs\/registry|typeorm|better-sqlite3|sqlite/.test(url)) return 'registry (libs/registry, TypeORM, better-sqlite3)';
  if (url.includes('libs/core')) return 'core (libs/core)';
  if (url.includes('@nestjs')) return 'Nest';
  if (url.includes('node_modules')) return 'other packages';
  if (url.startsWith('node:')) return `node internals${/crypto/.test(url) ? ' (crypto)' : ''}`;
  return fn.startsWith('(') ? fn : 'other';
}

export function summarize(profile: CpuProfile, requests: number): void {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  // Native functions (no url) are charged to their nearest JavaScript caller's area and named with it.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = (id: number): number => {
    let at: number | undefined = id;
    while (at !== undefined && frames.get(at)!.url === '' && !frames.get(at)!.functionName.startsWith('(')) at = parent.get(at);
    return at ?? id;
  };
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const byArea = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const label = (f: CpuProfile['nodes'][number]['callFrame']) =>
    `${f.functionName || '(anonymous)'} ${f.url.replace(/.*\/(node_modules\/|src\/)?/, '')}:${f.lineNumber + 1}`;
  // The profiler's own start-up (node:inspector) is not the pipeline's.
  const skip = (id: number) => frames.get(owner(id))!.url === 'node:inspector';
  const byLine = new Map<string, number>();
  const interval = profile.timeDeltas.reduce((a, b) => a + b, 0) / profile.samples.length;
  for (const n of profile.nodes) {
    if (!n.callFrame.url.includes('libs/core')) continue;
    for (const t of n.positionTicks ?? [])
      add(byLine, `${n.callFrame.url.replace(/.*libs\/core\/src\//, '')}:${t.line} ${n.callFrame.functionName}`, t.ticks * interval);
  }
  // Inclusive time of core functions: every core function on the sampled stack, once per sample.
  const inclusive = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    if (skip(profile.samples[i])) continue;
    const seen = new Set<string>();
    for (let at: number | undefined = profile.samples[i]; at !== undefined; at = parent.get(at)) {
      const f = frames.get(at)!;
      if (f.url.includes('libs/core')) seen.add(label(f));
    }
    for (const k of seen) add(inclusive, k, profile.timeDeltas[i] ?? 0);
  }
  for (let i = 0; i < profile.samples.length; i++) {
    if (skip(profile.samples[i])) continue;
    const own = frames.get(profile.samples[i])!;
    const frame = frames.get(owner(profile.samples[i]))!;
    const dt = profile.timeDeltas[i] ?? 0;
    add(byArea, area(frame.url, frame.functionName || '(anonymous)'), dt);
    if (frame.url.includes('libs/core')) add(byFile, frame.url.replace(/.*libs\/core\/src\//, ''), dt);
    add(byFunction, own === frame ? label(own) : `${own.functionName} (native) <- ${label(frame)}`, dt);
  }
  const print = (title: string, m: Map<string, number>, top: number) => {
    console.log(`\n${title} (self µs per request)`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(v / requests).toFixed(1).padStart(7)}  ${k}`);
  };
  print('by area (native code charged to its JavaScript caller)', byArea, 20);
  print('core, by file', byFile, 25);
  print('top functions', byFunction, Number(process.env.TOP ?? 30));
  // CALLERS=<function name>: where that function's self time comes from (its callers' chains, 4 deep).
  const wanted = process.env.CALLERS;
  if (wanted) {
    const chains = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      const own = frames.get(profile.samples[i])!;
      if (own.functionName !== wanted) continue;
      const chain: string[] = [];
      for (let at = parent.get(profile.samples[i]); at !== undefined && chain.length < 4; at = parent.get(at)) chain.push(label(frames.get(at)!));
      add(chains, chain.join(' <- '), profile.timeDeltas[i] ?? 0);
    }
    print(`callers of ${wanted}`, chains, 10);
  }
  print('core functions, inclusive (callees included)', inclusive, 40);
  print('core, by line (approximate: ticks x mean interval)', byLine, Number(process.env.LINES ?? 30));
}

/** Starts the sampling profiler (50 µs); `stopAndPrint(requests)` ends it and prints the summary. */
export async function startProfile(): Promise<{ stopAndPrint(requests: number): Promise<void> }> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 50 });
  await post(session, 'Profiler.start');
  return {
    async stopAndPrint(requests: number) {
      const { profile } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
      session.disconnect();
      summarize(profile, requests);
    },
  };
}
