import type { Command } from 'commander';
import { connectEngine } from '../../docker/engine.js';
import { ensureBuildImage } from '../../images/build-image.js';
import { buildOfflineImages } from '../../images/offline.js';
import { findRuntime, runtimes, type Architecture } from '../../runtimes/catalog.js';
import { imageSourceFromEnv } from '../../runtimes/images.js';
import { reporterFor } from '../reporter-for.js';
import { runCommand } from '../run-command.js';

interface ImagesFlags {
  offline?: boolean;
  arch: Architecture;
  runtime?: string[];
  force?: boolean;
  json?: boolean;
  verbose?: boolean;
}

export function registerImages(program: Command): void {
  const images = program.command('images').description("manage lbuild's images");
  images
    .command('build')
    .description("build lbuild's build images (or, with --offline, Debian stand-ins when no registry is reachable)")
    .option('--offline', 'create offline stand-ins (debootstrap from the apt mirror) for python3.11 and nodejs18.x')
    .option('--arch <arch>', 'x86_64 or arm64', 'x86_64')
    .option('--runtime <runtime...>', 'only these runtimes (official images)')
    .option('--force', 'rebuild even if present')
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show build output')
    .action(async (flags: ImagesFlags) => {
      await runCommand(flags.json ?? false, async () => {
        const reporter = reporterFor(flags);
        const { docker } = await connectEngine();
        if (flags.offline) {
          const result = await buildOfflineImages(docker, flags.arch, reporter, { force: flags.force ?? false });
          return { result, summary: `✔ offline images ready: ${[...result.built, ...result.present].join(', ')}` };
        }
        const source = imageSourceFromEnv();
        const selected = flags.runtime ? flags.runtime.map(findRuntime) : runtimes;
        const built = [];
        for (const runtime of selected) built.push(await ensureBuildImage(docker, runtime, flags.arch, source, reporter, { rebuild: flags.force ?? false }));
        return { result: { images: built }, summary: `✔ ${built.map((b) => b.tag).join(', ')}` };
      });
    });
}
