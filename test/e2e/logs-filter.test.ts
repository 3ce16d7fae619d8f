/**
 * `lbuild logs` on a detached stack whose function logs JSON at level WARN: the serve log holds
 * one event per line; --json passes them through untouched, --request keeps one invocation's
 * lines, --level WARN keeps WARN and above, and without --json the JSON lines read as text.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerGate } from '../support/gates.js';

const gate = await dockerGate();

const cli = fileURLToPath(new URL('../../bin/lbuild.js', import.meta.url));
const env = { ...process.env, LBUILD_IMAGE_SOURCE: process.env.LBUILD_IMAGE_SOURCE ?? 'offline' };
const apiPort = 4702;
const invokePort = 4703;

function lbuild(args: string[]) {
  return execa('node', [cli, ...args], { env, reject: false, all: true });
}

interface Event {
  functionName: string;
  requestId?: string;
  kind: string;
  message: string;
}

describe.skipIf(gate.skipReason)('lbuild logs --level / --request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbuild-logsfilter-'));
  writeFileSync(
    join(dir, 'app.py'),
    [
      'import logging',
      'logger = logging.getLogger("app")',
      'def handler(event, context):',
      '    logger.info("info %s", context.aws_request_id)',
      '    logger.warning("warn %s", context.aws_request_id)',
      '    logger.error("error %s", context.aws_request_id)',
      '    print("printed")',
      '    return {"statusCode": 200, "body": context.aws_request_id}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'lbuild.json'),
    JSON.stringify({
      name: 'logsfilter',
      runtime: 'python3.11',
      api: { port: apiPort },
      logging: { format: 'JSON', applicationLogLevel: 'WARN' },
      functions: { api: { handler: 'app.handler', routes: ['$default'] } },
    }),
  );

  afterAll(async () => {
    await lbuild(['down', dir]);
  });

  it('filters one invocation and one level out of the serve log', async () => {
    const started = await lbuild([
      'serve',
      dir,
      '--detach',
      '--no-watch',
      '--invoke-port',
      String(invokePort),
    ]);
    expect(started.exitCode, started.all).toBe(0);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await request(`http://127.0.0.1:${apiPort}/`);
      ids.push(await response.body.text());
    }
    const [first, second] = ids as [string, string];
    expect(first).not.toBe(second);
    // The detached serve writes its log in batches every few milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const all = await lbuild(['logs', '--dir', dir, '--json']);
    expect(all.exitCode, all.all).toBe(0);
    const events = all.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Event);
    const records = events.filter((e) => e.message.startsWith('{"timestamp"'));
    // The function's own lines went through untouched: awslambdaric's JSON, WARN and above only.
    expect(records.map((e) => JSON.parse(e.message).level)).toEqual([
      'WARNING',
      'ERROR',
      'WARNING',
      'ERROR',
    ]);
    expect(events.some((e) => e.message.includes('"type":"platform.report"'))).toBe(true);
    expect(events.some((e) => e.message === 'printed')).toBe(false);

    const one = await lbuild(['logs', 'api', '--dir', dir, '--json', '--request', first]);
    const mine = one.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Event);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.every((e) => e.requestId === first)).toBe(true);
    expect(mine.map((e) => e.kind)).toEqual(expect.arrayContaining(['start', 'output', 'report']));

    const severe = await lbuild([
      'logs',
      '--dir',
      dir,
      '--json',
      '--request',
      first,
      '--level',
      'ERROR',
    ]);
    const errors = severe.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Event);
    expect(errors.map((e) => JSON.parse(e.message))).toMatchObject([
      { level: 'ERROR', message: `error ${first}`, requestId: first, logger: 'app' },
    ]);

    // For people: the JSON lines as text, the report as Lambda's REPORT line.
    const readable = await lbuild(['logs', '--dir', dir, '--request', second]);
    expect(readable.stdout).toContain(`START RequestId: ${second} Version: $LATEST`);
    expect(readable.stdout).toMatch(new RegExp(`\\t${second}\\tWARNING\\twarn ${second}`));
    expect(readable.stdout).toMatch(new RegExp(`REPORT RequestId: ${second}\\tDuration: `));
    expect(readable.stdout).not.toContain(first);

    const wrong = await lbuild(['logs', '--dir', dir, '--level', 'LOUD']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain('--level LOUD is not a log level');
  });
});
