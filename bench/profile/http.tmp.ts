import autocannon from 'autocannon';
import { fork } from 'node:child_process';
const adapter = process.argv[2], route = process.argv[3];
const child = fork('bench/http/bench.server.ts', [adapter], { execArgv: ['--cpu-prof', '--cpu-prof-dir=/tmp/profh', '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
child.once('message', async (m: any) => {
  const r = await autocannon({ url: `http://127.0.0.1:${m.port}/${route}`, headers: m.headers, duration: 6, connections: 10 });
  console.log(route, r.requests.average, r.non2xx);
  child.send('stop');
});
