/**
 * The one place that decides whether a group of tests can run on this machine: a Docker engine, a
 * compiler toolchain, a Python with some modules, a host tool. Every gate is a value with a
 * `skipReason` (undefined when the tests can run), used as `describe.skipIf(gate.skipReason)`.
 *
 * A missing dependency skips its tests, except where CI asks for it (.ci/run sets CI=true,
 * LBUILD_REQUIRE_DOCKER=1, LBUILD_REQUIRE_TOOLCHAINS=1): there the gate throws instead, so a test
 * file fails rather than passing silently with nothing run. Host tools (unzip, tar) are only
 * cross-checks and are never required.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { connectEngine } from '../../src/docker/engine.js';

export interface Gate {
  /** Why the tests behind this gate are skipped, when they are. */
  skipReason: string | undefined;
}

/** " [skipped: why]" for a test title, so a skipped group says what it needs. */
export const skipNote = (gate: Gate): string =>
  gate.skipReason ? ` [skipped: ${gate.skipReason}]` : '';

const open: Gate = { skipReason: undefined };

/** A gate that is closed for `reason`: throws instead when `requiredBy` is set (CI). */
function closed(reason: string, requiredBy: string | undefined, cause?: unknown): Gate {
  if (requiredBy) throw new Error(`${requiredBy} is set but ${reason}`, { cause });
  return { skipReason: reason };
}

const setVariable = (...names: string[]) => names.find((name) => process.env[name]);

// Docker ------------------------------------------------------------------------------------------

export interface DockerGate extends Gate {
  docker: Docker | undefined;
}

let engine: Promise<{ docker: Docker } | { error: Error }> | undefined;

function probeEngine() {
  engine ??= connectEngine().then(
    ({ docker }) => ({ docker }),
    (error: unknown) => ({ error: error as Error }),
  );
  return engine;
}

/**
 * Docker tests run when an engine answers and are skipped when none does, unless
 * LBUILD_REQUIRE_DOCKER is set (CI): then a missing engine fails them. One connection per process.
 */
export async function dockerGate(): Promise<DockerGate> {
  const probe = await probeEngine();
  if ('docker' in probe) return { ...open, docker: probe.docker };
  const reason = `no Docker engine answers: ${probe.error.message} (start dockerd: bash scripts/setup-docker.sh)`;
  return {
    ...closed(reason, setVariable('LBUILD_REQUIRE_DOCKER'), probe.error),
    docker: undefined,
  };
}

/** The engine, or undefined without one (for tests that decide for themselves, e.g. arm64's). */
export async function dockerOrUndefined(): Promise<Docker | undefined> {
  const probe = await probeEngine();
  return 'docker' in probe ? probe.docker : undefined;
}

/** The engine, inside tests behind dockerGate(). */
export async function requireDocker(): Promise<Docker> {
  const docker = await dockerOrUndefined();
  if (!docker)
    throw new Error(
      'LBUILD_REQUIRE_DOCKER=1 but no Docker engine answers: start dockerd (bash scripts/setup-docker.sh)',
    );
  return docker;
}

// Toolchains --------------------------------------------------------------------------------------

/** Debian packages that provide each tool, for messages (and for CI's install list). */
const packages: Record<string, string> = {
  gcc: 'gcc',
  'g++': 'g++',
  objdump: 'binutils',
  'aarch64-linux-gnu-gcc': 'gcc-aarch64-linux-gnu',
  'llvm-mc': 'llvm-14',
  'llvm-lipo': 'llvm-14',
  'ld.lld': 'lld-14',
  'ld64.lld': 'lld-14',
  'lld-link': 'lld-14',
  zip: 'zip',
  'musl-gcc': 'musl-tools',
};

/** The tool's path on PATH, trying Debian's versioned LLVM names (llvm-mc-14...) too. */
export function findTool(name: string): string | undefined {
  for (const candidate of [name, `${name}-14`, `${name}-15`, `${name}-16`]) {
    try {
      return (
        execFileSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' }).trim() ||
        undefined
      );
    } catch {
      // next
    }
  }
  return undefined;
}

export interface ToolGate extends Gate {
  tools: Record<string, string>;
}

/**
 * Real toolchains (the audit tests compile their fixtures): skipped when a tool is missing, unless
 * LBUILD_REQUIRE_TOOLCHAINS is set (CI).
 */
export function toolGate(...names: string[]): ToolGate {
  const tools: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const path = findTool(name);
    if (path) tools[name] = path;
    else missing.push(name);
  }
  if (missing.length === 0) return { tools, ...open };
  const install = [...new Set(missing.map((m) => packages[m] ?? m))].join(' ');
  const reason = `missing ${missing.join(', ')} (apt-get install ${install})`;
  return { tools, ...closed(reason, setVariable('LBUILD_REQUIRE_TOOLCHAINS')) };
}

// Python ------------------------------------------------------------------------------------------

/** The first interpreter that can import every module asked for: LBUILD_TEST_PYTHON, Debian's, PATH's. */
export async function findPython(modules: string[]): Promise<string | undefined> {
  const candidates = [process.env.LBUILD_TEST_PYTHON, '/usr/bin/python3', 'python3'].filter(
    (c): c is string => Boolean(c),
  );
  for (const python of candidates) {
    const probe = await execa(
      python,
      ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'],
      { reject: false },
    );
    if (probe.exitCode === 0) return python;
  }
  return undefined;
}

export interface PythonGate extends Gate {
  python: string | undefined;
}

/**
 * A host python3 that imports `modules` (the adapter tests run Flask/ASGI apps on it): skipped
 * without one, except in CI (CI or LBUILD_REQUIRE_PYTHON set), where it fails.
 */
export async function pythonGate(modules: string[] = []): Promise<PythonGate> {
  const python = await findPython(modules);
  if (python) return { ...open, python };
  const what = modules.length ? ` with ${modules.join(', ')}` : '';
  const install = modules.map((m) => `python3-${m}`).join(' ') || 'python3';
  const reason = `no python3${what} (apt-get install -y ${install}, or set LBUILD_TEST_PYTHON)`;
  return { ...closed(reason, setVariable('CI', 'LBUILD_REQUIRE_PYTHON')), python: undefined };
}

// Host tools --------------------------------------------------------------------------------------

/** A host command that answers `args` with exit 0 (a cross-check such as unzip -t); never required. */
export function commandGate(command: string, args: string[]): Gate {
  return spawnSync(command, args).status === 0
    ? open
    : { skipReason: `${command} ${args.join(' ')} fails here` };
}

// Opt-in suites -----------------------------------------------------------------------------------

/**
 * Slow suites that run when their prerequisite is already there, or when `variable` is 1 asks for
 * it to be made first (LBUILD_TEST_RIC, LBUILD_TEST_ARM64).
 */
export function optInGate(present: boolean, variable: string, missing: string): Gate {
  return present || process.env[variable] === '1'
    ? open
    : { skipReason: `${missing} (${variable}=1 makes it)` };
}

// Debian wheels -----------------------------------------------------------------------------------

export interface WheelFolder {
  folder: string;
  /** Wheel file names in the folder. */
  wheels: string[];
}

export interface WheelsGate extends Gate {
  /** scripts/debian-wheels.mjs's ensureDebianWheels: the release's folder, made if missing. */
  ensureWheels: ((release: 'bookworm' | 'trixie' | 'forky') => Promise<WheelFolder>) | undefined;
}

const wheelsScript = new URL('../../scripts/debian-wheels.mjs', import.meta.url);

/**
 * Real frameworks (Django, Flask, psycopg2) for a zip, from the wheel folders that
 * scripts/debian-wheels.mjs makes out of Debian's packages (no PyPI here). Skipped only where the
 * script is not part of the checkout; where it is, a missing folder is made (about a minute).
 */
export async function debianWheelsGate(): Promise<WheelsGate> {
  if (!existsSync(fileURLToPath(wheelsScript)))
    return {
      skipReason: 'scripts/debian-wheels.mjs is not in this checkout',
      ensureWheels: undefined,
    };
  const script = (await import(wheelsScript.href)) as {
    ensureDebianWheels: NonNullable<WheelsGate['ensureWheels']>;
  };
  return { ...open, ensureWheels: script.ensureDebianWheels };
}
