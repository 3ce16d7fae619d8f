#!/usr/bin/env node
// One lbuild emulator + API Gateway front in its own process, as `lbuild serve` runs it (logs
// rendered to stdout), so the load generator does not share its event loop.
//   node target-lbuild.mjs <projectDir> <process|container>    (started by run.mjs over IPC)
import { loadProject } from '../../dist/config/load.js';
import { startGateway } from '../../dist/emulator/apigw/index.js';
import { pipeLogs, startEmulator } from '../../dist/emulator/index.js';

if (!process.send)
  throw new Error('target-lbuild.mjs reports over IPC: run.mjs starts it with fork()');
const send = process.send.bind(process);
const [dir, workerKind] = /** @type {[string, 'process' | 'container']} */ (process.argv.slice(2));
const project = loadProject(dir);
const emulator = await startEmulator({
  functions: project.functions,
  codeDir: project.root,
  workerKind,
});
const stopLogs = pipeLogs(emulator.logs, process.stdout, 'human');
const gateway = await startGateway({
  invoker: emulator.invoker,
  functions: project.functions,
  port: 0,
});

process.on('message', async (message) => {
  if (message === 'reap') {
    // Stop every warm worker (as the idle reaper would): the next request is a cold start.
    const stopped = await emulator.invoker.reap(0);
    send({ reaped: stopped });
  } else if (message === 'close') {
    stopLogs();
    await gateway.close();
    await emulator.close();
    send({ closed: true }, () => process.exit(0));
  }
});
send({
  gatewayUrl: gateway.url,
  invokeUrl: emulator.invokeUrl,
  // loadProject rejects a project without functions, so there is a first one.
  functionName: /** @type {{ name: string }} */ (project.functions[0]).name,
});
