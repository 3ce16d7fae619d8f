/**
 * What `lbuild init` takes and gives back. The library never prompts: where it has a real choice
 * to make (two apps in one folder, several Zappa stages) it calls `ask`, which the CLI answers from
 * a terminal, or with the default when there is none (or with --yes).
 */
import type { ProjectConfig } from '../config/types.js';

export interface Choice {
  /** A short question: "Which app should the function run?". */
  question: string;
  /** What can be answered, the default among them. */
  options: string[];
  default: string;
}

/** Answers a choice with one of its options. */
export type Ask = (choice: Choice) => Promise<string>;

/** Takes the default: no terminal, or --yes. */
export const takeDefault: Ask = (choice) => Promise.resolve(choice.default);

export type InitSource = 'detected' | 'zappa' | 'serverless' | 'sam';

export interface InitOptions {
  /** zappa_settings.json, serverless.yml or template.yaml to import instead of detecting. */
  from?: string;
  /** Zappa: the stage to import (default: the first, or the one answered). */
  stage?: string;
  /** Runtime for every function, over what was detected or imported. */
  runtime?: string;
  /** Replace an existing lbuild.json. */
  force?: boolean;
  /** Work out the config and report it, but write nothing. */
  dryRun?: boolean;
  ask?: Ask;
}

export interface ChoiceMade {
  question: string;
  answer: string;
  /** default: nobody was asked (no terminal, or --yes). */
  by: 'user' | 'default';
}

export interface InitResult {
  /** The lbuild.json written (or that would be, with dryRun). */
  file: string;
  written: boolean;
  source: InitSource;
  /** The file imported, for --from. */
  from?: string;
  config: ProjectConfig;
  /** One line per thing understood: "functions.api.handler ← app_function app.app". */
  mapped: string[];
  /** One line per thing left out, and why. */
  notMapped: string[];
  choices: ChoiceMade[];
}
