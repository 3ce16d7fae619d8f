/**
 * `lbuild init`: detect the app (or import a Zappa / Serverless / SAM file), fill in what the
 * folder says (dependencies, frontend, database), apply --runtime, validate, write lbuild.json.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { findRuntime } from '../runtimes/lookup.js';
import { completeConfig } from './complete-config.js';
import { detectProject } from './detect.js';
import { importSam } from './import-sam.js';
import { importServerless } from './import-serverless.js';
import { importZappa } from './import-zappa.js';
import { takeDefault, type InitOptions, type InitResult, type InitSource } from './init-types.js';
import { Notes } from './notes.js';
import { readSource } from './read-source.js';
import { lifecycleNote } from './runtime-mapping.js';
import { assertWritable, finalConfig, writeConfig } from './write-config.js';

export async function initProject(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UserError(`${root} is not a folder`, { hint: 'Pass the folder of your app.' });
  const file = assertWritable(root, (options.force ?? false) || (options.dryRun ?? false));
  // Checked before any work: a typo in --runtime should not cost a detection.
  const runtimeFlag = options.runtime ? findRuntime(options.runtime) : undefined;
  const notes = new Notes(
    options.ask ?? takeDefault,
    options.ask !== undefined && options.ask !== takeDefault,
  );

  let config: ProjectConfig;
  let source: InitSource = 'detected';
  let from: string | undefined;
  if (options.from) {
    const read = readSource(options.from, root);
    source = read.kind;
    from = relative(root, read.path).split(sep).join('/') || read.path;
    config =
      read.kind === 'zappa'
        ? await importZappa(root, read.parsed, options.stage, notes)
        : read.kind === 'serverless'
          ? importServerless(root, read.parsed, notes)
          : importSam(root, read.parsed, notes);
    keepOutOfPackage(config, from, notes);
    completeConfig(root, config, findRuntime(config.runtime!).language, notes);
  } else {
    if (options.stage) notes.skip('--stage: only Zappa settings have stages (with --from)');
    config = await detectProject(root, notes);
  }
  if (runtimeFlag && runtimeFlag.name !== config.runtime) {
    config.runtime = runtimeFlag.name;
    notes.map(`runtime ${runtimeFlag.name} ← --runtime${lifecycleNote(runtimeFlag)}`);
  }
  const written = finalConfig(root, config);
  if (!options.dryRun) writeConfig(file, written);
  return {
    file,
    written: !options.dryRun,
    source,
    ...(from ? { from } : {}),
    config: written,
    mapped: notes.mapped,
    notMapped: notes.notMapped,
    choices: notes.choices,
  };
}

/** The imported file describes a deployment (and may hold secrets): it does not belong in the zip. */
function keepOutOfPackage(config: ProjectConfig, from: string, notes: Notes): void {
  const sourceDir = config.package?.sourceDir;
  if (isAbsolute(from) || from.startsWith('..')) return;
  if (sourceDir && !from.startsWith(`${sourceDir}/`)) return;
  const pattern = `/${sourceDir ? from.slice(sourceDir.length + 1) : from}`;
  config.package = { ...config.package, exclude: [...(config.package?.exclude ?? []), pattern] };
  notes.map(
    `package.exclude ${pattern} ← ${from} describes the deployment; it stays out of the zip`,
  );
}
