/**
 * lbuild's built-in lists of what Lambda never uses in installed dependencies. Patterns are
 * gitignore-style, relative to the dependencies' root: the zip root for Python (pip --target),
 * the folder holding node_modules/ for Node.
 *
 * The lists are deliberately conservative: every entry is something no import can reach at
 * runtime, or bookkeeping for the package manager that Lambda never runs. Where a common package
 * breaks that rule, the exception is in `builtInKeep` rather than in the user's lap.
 */
import type { Language } from '../../runtimes/catalog.js';

/** Never removed, whatever the lists say: licences must travel with the code that needs them. */
const licenceFiles = ['LICEN[CS]E*', 'licen[cs]e*', 'COPYING*', 'NOTICE*', '*.dist-info/licenses/'];

const python = [
  // pip runs with --no-compile, but a user's --compile or a sdist build can still leave bytecode;
  // it is dead weight here: the zip's fixed 1980 timestamps never match the mtime recorded in a
  // timestamp-based .pyc, so Python ignores it, and /var/task is read-only, so it cannot rewrite it.
  '__pycache__/',
  '*.pyc',
  '*.pyo',
  // Test suites shipped inside packages (numpy/tests, pandas/tests...). Only below a package, never
  // a top-level "tests" distribution's own code.
  '*/**/tests/',
  '*/**/test/',
  // pip's bookkeeping: RECORD lists hashes of files slim has just removed (it would lie), INSTALLER/
  // REQUESTED/direct_url.json (which holds the build container's path) serve pip only. METADATA
  // (importlib.metadata.version), entry_points.txt (plugin discovery), WHEEL and top_level.txt stay.
  '*.dist-info/RECORD',
  '*.dist-info/INSTALLER',
  '*.dist-info/REQUESTED',
  '*.dist-info/direct_url.json',
  '*.egg-info/SOURCES.txt',
];

const pythonStubs = ['*.pyi', 'py.typed', '/*-stubs/'];

/** "A folder at the top of any package": node_modules/<pkg>/x or node_modules/@scope/<pkg>/x. */
const atPackageRoot = (name: string) => [`node_modules/*/${name}`, `node_modules/@*/*/${name}`];

const node = [
  // Test suites and CI config of packages; the anchor keeps a package literally named "test" intact.
  'node_modules/*/**/test/',
  'node_modules/*/**/tests/',
  'node_modules/*/**/__tests__/',
  'node_modules/**/.github/',
  'node_modules/**/coverage/',
  'node_modules/**/.nyc_output/',
  // Docs: Node never reads them.
  'node_modules/**/*.md',
  'node_modules/**/*.markdown',
  ...atPackageRoot('docs/'),
  ...atPackageRoot('CHANGELOG*'),
  ...atPackageRoot('HISTORY*'),
  // Editor and linter dotfiles.
  'node_modules/**/.eslintrc*',
  'node_modules/**/.prettierrc*',
  'node_modules/**/.editorconfig',
  'node_modules/**/.travis.yml',
  'node_modules/**/.npmignore',
  'node_modules/**/.DS_Store',
  'node_modules/**/*.tsbuildinfo',
  // node-gyp's intermediates: objects, dependency files and makefiles. The addon that loads is
  // build/Release/<name>.node, which stays (a hard link to it from obj.target/ becomes a copy).
  'node_modules/**/build/Release/obj.target/',
  'node_modules/**/build/Release/.deps/',
  'node_modules/**/build/Makefile',
  'node_modules/**/build/*.mk',
  'node_modules/**/build/binding.Makefile',
  'node_modules/**/build/config.gypi',
];

const nodeStubs = [
  'node_modules/**/*.d.ts',
  'node_modules/**/*.d.mts',
  'node_modules/**/*.d.cts',
  'node_modules/**/*.d.ts.map',
  'node_modules/@types/',
];

/**
 * Known packages whose "test" folder is imported at runtime: django.test is pulled in by Django's
 * own code paths (test client, override_settings in settings modules).
 */
const builtInKeep: Record<Language, string[]> = {
  python: ['django/test/'],
  nodejs: [],
};

export function defaultRemovePatterns(language: Language, keepTypeStubs: boolean): string[] {
  const base = language === 'python' ? python : node;
  const stubs = keepTypeStubs ? [] : language === 'python' ? pythonStubs : nodeStubs;
  return [...base, ...stubs];
}

export function defaultKeepPatterns(language: Language): string[] {
  return [...licenceFiles, ...builtInKeep[language]];
}

/** File names that may be shared objects worth stripping (the ELF header decides). */
export const sharedObjectName = /(\.so(\.\d+)*|\.node)$/;
