/**
 * A database when the code reads DATABASE_URL (lbuild serve then starts Postgres and injects it),
 * and the build packages libpq needs when psycopg2 is built from source.
 */
import { join } from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import type { Notes } from './notes.js';
import { readText, sourceFiles } from './source-files.js';

/** The examples' names for libpq's headers per package manager (python-app, django-app). */
const libpqDevelopment = {
  yum: ['postgresql-devel'],
  dnf: ['postgresql15-devel'],
  apt: ['libpq-dev'],
};

export function detectDatabase(root: string, config: ProjectConfig, notes: Notes): void {
  if (config.database) return;
  const reader = sourceFiles(root, ['.py', '.js', '.mjs', '.cjs', '.ts']).find((f) =>
    /\bDATABASE_URL\b/.test(f.text),
  );
  if (!reader) return;
  config.database = {};
  notes.map(`database (local Postgres, DATABASE_URL injected) ← ${reader.path} reads DATABASE_URL`);
}

/** psycopg2 (not -binary) compiles against libpq: the build container needs its headers. */
export function detectSystemPackages(root: string, config: ProjectConfig, notes: Notes): void {
  const dependencies = config.package?.dependencies;
  if (!dependencies || config.package?.systemPackages) return;
  const text = readText(join(root, dependencies)) ?? '';
  if (!/^\s*psycopg2\s*(?:[=<>~!;[]|$)/im.test(text)) return;
  config.package = { ...config.package, systemPackages: libpqDevelopment };
  notes.map(
    `package.systemPackages libpq headers ← psycopg2 in ${dependencies} builds from source`,
  );
}
