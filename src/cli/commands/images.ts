import type { Command } from 'commander';
import { connectEngine } from '../../docker/engine.js';
import { ensureBuildImage } from '../../images/build-image.js';
import { ensureStandIns } from '../../images/offline.js';
import { runtimes, type Architecture } from '../../runtimes/catalog.js';
import { findRuntime } from '../../runtimes/lookup.js';
import { imageSourceFromEnv, standInRuntimes } from '../../runtimes/images.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';

interface ImagesFlags {
  offline?: boolean;
  arch: Architecture;
  runtime?: string[];
  force?: boolean;
  postgres?: boolean;
  json?: boolean;
  verbose?: boolean;
}

export function registerImages(program: Command): void {
  const images = program.command('images').description("manage lbuild's images");
  images
    .command('build')
    .description(
      "build lbuild's build images (or, with --offline, Debian stand-ins when no registry is reachable)",
    )
    .option(
      '--offline',
      'create offline stand-ins (debootstrap from the apt mirror) for every runtime a Debian release ships, or those of --runtime',
    )
    .option('--arch <arch>', 'x86_64 or arm64', 'x86_64')
    .option(
      '--runtime <runtime...>',
      'only these runtimes (with --offline: and no Postgres unless --postgres)',
    )
    .option('--postgres', 'with --offline and --runtime: also the Postgres stand-in')
    .option('--force', 'rebuild even if present')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show build output')
    .action(async (flags: ImagesFlags) => {
      await runCommand(flags.json ?? false, async () => {
        const reporter = reporterFor(flags);
        const { docker } = await connectEngine();
        if (flags.offline) {
          const selected = flags.runtime ? flags.runtime.map(findRuntime) : standInRuntimes();
          const postgres = !flags.runtime || (flags.postgres ?? false);
          const result = await ensureStandIns(
            docker,
            { runtimes: selected, arch: flags.arch, postgres, force: flags.force ?? false },
            reporter,
          );
          return {
            result,
            summary: `✔ offline images ready: ${[...result.built, ...result.present].join(', ')}`,
          };
        }
        const source = imageSourceFromEnv();
        const selected = flags.runtime ? flags.runtime.map(findRuntime) : runtimes;
        const built = [];
        for (const runtime of selected)
          built.push(
            await ensureBuildImage(docker, runtime, flags.arch, source, reporter, {
              rebuild: flags.force ?? false,
            }),
          );
        return { result: { images: built }, summary: `✔ ${built.map((b) => b.tag).join(', ')}` };
      });
    });
}
