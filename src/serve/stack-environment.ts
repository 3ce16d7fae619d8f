/**
 * The functions' environment under `lbuild serve`: DATABASE_URL, then .env (and .env.<stage>), then
 * each function's own settings with ${VAR} substituted, then STAGE; and the masker that keeps the
 * secret values among them out of printed logs.
 */
import type { ResolvedFunction, ResolvedProject } from '../config/resolved-project.js';
import type { DatabaseSettings } from './compose/stack-file.js';
import { databaseUrls } from './database.js';
import { loadDotenvFiles, secretMasker, substituteEnv } from './env-files.js';

export interface StackEnvironment {
  functions: ResolvedFunction[];
  mask(text: string): string;
  databaseUrls: { forFunctions: string; forHost: string } | undefined;
}

export function stackEnvironment(
  project: ResolvedProject,
  stage: string | undefined,
  database: DatabaseSettings | undefined,
): StackEnvironment {
  const dotenv = loadDotenvFiles(project.root, stage);
  const urls = database ? databaseUrls(database) : undefined;
  const functions: ResolvedFunction[] = project.functions.map((fn) => ({
    ...fn,
    environment: {
      ...(urls ? { DATABASE_URL: urls.forFunctions } : {}),
      ...dotenv.values,
      ...substituteEnv(
        fn.environment,
        { dotenv: dotenv.values, host: process.env },
        `functions.${fn.name}.environment`,
      ),
      ...(stage ? { STAGE: stage } : {}),
    },
  }));
  const mask = secretMasker(
    Object.assign(
      {},
      ...functions.map((f) => f.environment),
      database ? { DB_PASSWORD: database.password } : {},
    ),
  );
  return { functions, mask, databaseUrls: urls };
}
