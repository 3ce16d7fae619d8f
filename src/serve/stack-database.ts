/** The database phases of `lbuild serve`: Postgres up and healthy, then database.init once. */
import { functionTimeout, timedOutMessage } from '../config/timeout-advice.js';
import { TimedOutError, UserError } from '../errors.js';
import type { Emulator } from '../emulator/index.js';
import { followServiceLogs, runCompose } from './compose/compose-cli.js';
import type { DatabaseSettings } from './compose/stack-file.js';
import { waitForHealthy } from './database.js';
import type { StackContext } from './stack-context.js';

export async function startDatabase(
  ctx: StackContext,
  database: DatabaseSettings,
  healthTimeoutMs: number,
): Promise<void> {
  const { compose, teardown } = ctx;
  const done = ctx.reporter.stage(
    'database',
    `${database.image} (Compose project ${compose.name})`,
  );
  let up: Promise<unknown> = Promise.resolve();
  teardown.defer(async () => {
    // Ctrl-C can land while `up` is still creating containers: let it finish first, or `down`
    // would run before the container exists and `up` would start it afterwards.
    await up.catch(() => {});
    // A stack that ran is stopped (its containers restart fast next time); one that failed to
    // start is taken down, so nothing half-started is left. The volume stays either way.
    await runCompose(compose, ctx.ready ? ['stop'] : ['down', '--remove-orphans']);
  });
  up = runCompose(compose, ['up', '-d', '--remove-orphans']);
  await up;
  await waitForHealthy(ctx.docker, compose.name, healthTimeoutMs);
  done();
  // The database's own log lines join the functions' in one stream, prefixed [db].
  const follower = await followServiceLogs(compose, 'db', (line) =>
    ctx.logs.emit({ functionName: 'db', kind: 'output', message: ctx.mask(line) }),
  );
  teardown.defer(async () => follower.stop());
}

/** database.init names a function, or a module.func handler run in the first function's package. */
export async function runDatabaseInit(
  ctx: StackContext,
  emulator: Emulator,
  init: string,
): Promise<void> {
  const done = ctx.reporter.stage('database.init', init);
  const byName = ctx.functions.find((f) => f.name === init);
  const target = byName ?? ctx.functions[0]!;
  // The stack's log is shown once it is ready; a warning about init (close to its timeout) is news now.
  const stopWarnings = emulator.logs.subscribe((event) => {
    if (event.level === 'warn' && event.functionName === target.name)
      ctx.reporter.warn(`database.init: ${event.message}`);
  });
  const outcome = await emulator.invoker
    .invoke({
      functionName: target.name,
      payload: Buffer.from('{}'),
      ...(byName ? {} : { handlerOverride: init }),
    })
    .finally(stopWarnings);
  if (outcome.kind === 'timed-out') {
    // An init given as module.func runs as the first function, under that function's timeout.
    const setting = functionTimeout(target);
    throw new TimedOutError(timedOutMessage(`database.init (${init})`, setting), {
      hint: `database.init runs as ${target.name} on every start of \`lbuild serve\`, under that function's timeout.`,
      details: { seconds: setting.seconds, key: setting.key, logs: outcome.logs },
    });
  }
  if (outcome.kind !== 'succeeded') {
    const body = 'body' in outcome ? outcome.body.toString() : outcome.kind;
    throw new UserError(`database.init (${init}) failed: ${body}`, {
      hint: 'Fix the init function (it runs once the database is healthy, on every start, so it must be idempotent); `lbuild logs` shows its output.',
    });
  }
  done();
}
