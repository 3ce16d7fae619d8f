/**
 * The Docker engine under a running `lbuild serve` can go away and come back (Docker Desktop
 * restarts itself, `systemctl restart docker`, an upgrade). Its containers stop with it: the
 * database and every worker. Without this the stack would limp on: the database down for good,
 * workers that no longer exist. So the engine is pinged every 2 s; when it stops answering serve
 * says so once, and when it answers again it restarts the database (same volume, same rows) and
 * replaces the workers, then says it has recovered. Requests made while it is away fail as a
 * worker that cannot start fails; nothing else needs doing by hand.
 */
import { describeEndpoint } from '../docker/engine.js';
import { formatMs } from '../log.js';
import { runCompose } from './compose/compose-cli.js';
import { waitForHealthy } from './database.js';
import type { StackContext } from './stack-context.js';

const pingEveryMs = 2_000;
/** A ping that takes longer than this counts as no answer (a socket that accepts but hangs). */
const pingTimeoutMs = 3_000;

export interface EngineRecovery {
  /** Replace every worker (their containers died with the engine). */
  reloadCode(): Promise<void>;
}

export function watchEngine(ctx: StackContext, recovery: EngineRecovery): void {
  let lostAt: number | undefined;
  let busy = false;
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      const answers = await ping(ctx);
      if (!answers && lostAt === undefined) {
        lostAt = performance.now();
        ctx.reporter.warn(
          `the Docker engine (${describeEndpoint()}) stopped answering: the database and the workers stopped with it. lbuild restarts them when it is back (Ctrl-C stops).`,
        );
      } else if (answers && lostAt !== undefined) {
        const away = performance.now() - lostAt;
        ctx.reporter.info(
          `the Docker engine is back (away ${formatMs(away)}): restarting the database and the workers`,
        );
        await recover(ctx, recovery);
        lostAt = undefined;
        ctx.reporter.info(`✓ recovered from the engine restart`);
      }
    } catch (error) {
      // The engine went again mid-recovery: the next ping notices and the next return retries.
      ctx.reporter.warn(`recovering from the engine restart failed: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check(), pingEveryMs);
  // A pending ping must never keep a stopping process alive.
  timer.unref();
  ctx.teardown.defer(async () => clearInterval(timer));
}

async function ping(ctx: StackContext): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), pingTimeoutMs);
  });
  try {
    return await Promise.race([
      ctx.docker.ping().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function recover(ctx: StackContext, recovery: EngineRecovery): Promise<void> {
  if (ctx.database && ctx.project.database) {
    // `up -d` starts the stopped container on its volume: the rows are still there.
    await runCompose(ctx.compose, ['up', '-d']);
    await waitForHealthy(
      ctx.docker,
      ctx.compose.name,
      ctx.options.dbTimeoutMs ?? ctx.project.database.healthTimeoutSeconds * 1000,
    );
  }
  await recovery.reloadCode();
}
