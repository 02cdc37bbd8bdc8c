import { fork } from 'node:child_process';
import { request } from 'node:http';
const child = fork('bench/http/bench.server.ts', [process.argv[2]], { execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
child.once('message', async (m: any) => {
  for (const route of ['open', 'guarded']) {
    await new Promise<void>((done) => request({ host: '127.0.0.1', port: m.port, path: '/' + route, headers: m.headers }, (res) => { console.log(route, res.statusCode, JSON.stringify(res.rawHeaders)); res.resume(); res.on('end', done); }).end());
  }
  child.send('stop');
});
