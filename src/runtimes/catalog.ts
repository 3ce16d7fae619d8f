/**
 * The Lambda runtimes lbuild knows, as AWS's "Lambda runtimes" page lists them in late 2026: the
 * one list every other part of lbuild (config schema, types, doctor, images, README) derives from.
 * Each entry says what OS and glibc the runtime runs on, which images build and run it, its
 * lifecycle (current, deprecated with the dates that matter, or preview), and which offline
 * stand-in (a Debian release with the same language version) can take its place with no registry.
 */
export type Language = 'python' | 'nodejs';
export type Architecture = 'x86_64' | 'arm64';
export const architectures: readonly Architecture[] = ['x86_64', 'arm64'];

export type OperatingSystem = 'Amazon Linux 2' | 'Amazon Linux 2023';
export type RuntimeStatus = 'current' | 'deprecated' | 'preview';
/**
 * The package managers of build images: yum on Amazon Linux 2, dnf (microdnf) on Amazon Linux 2023,
 * apt on the offline Debian stand-ins. package.systemPackages names packages per manager.
 */
export type SystemPackageManager = 'apt' | 'yum' | 'dnf';
export const systemPackageManagers: readonly SystemPackageManager[] = ['apt', 'yum', 'dnf'];
/** The Debian releases the offline stand-ins are bootstrapped from (ENVIRONMENT.md). */
export type DebianRelease = 'bookworm' | 'trixie' | 'forky';

export interface StandIn {
  debian: DebianRelease;
  /** glibc of that Debian release: newer than Lambda's, which the audit reports. */
  glibc: string;
  /**
   * Where the language comes from: Debian's own packages, or (nodejs22.x, which no Debian release
   * ships) the official Node.js build published on the npm registry as node-linux-<arch>.
   */
  source: 'debian' | 'nodejs-npm-package';
}

export interface RuntimeInfo {
  name: RuntimeName;
  language: Language;
  /** e.g. "3.14" or "24". */
  version: string;
  os: OperatingSystem;
  /** Highest GLIBC_x.y symbol version the runtime's OS provides. */
  glibc: string;
  /** The official build image's package manager, for installing system build dependencies. */
  packageManager: Exclude<SystemPackageManager, 'apt'>;
  status: RuntimeStatus;
  /** ISO dates from AWS's runtime support policy. */
  lifecycle: { deprecation?: string; blockCreate?: string; blockUpdate?: string };
  /** Official AWS build image (SAM) with compilers and the language's package tool. */
  buildImage: string;
  /** Official AWS run image with the runtime interface client and emulator. */
  runImage: string;
  /** Offline stand-in, when a Debian release served here has the same language version. */
  standIn?: StandIn;
}

const debianGlibc: Record<DebianRelease, string> = {
  bookworm: '2.36',
  trixie: '2.41',
  forky: '2.43',
};
const osGlibc: Record<OperatingSystem, string> = {
  'Amazon Linux 2': '2.26',
  'Amazon Linux 2023': '2.34',
};

interface Entry {
  os: OperatingSystem;
  status: RuntimeStatus;
  lifecycle: RuntimeInfo['lifecycle'];
  debian?: DebianRelease;
}

const AL2 = 'Amazon Linux 2' as const;
const AL2023 = 'Amazon Linux 2023' as const;
// The dates after which no new function can be created, then none updated, on a deprecated runtime.
const block2027 = { blockCreate: '2027-02-01', blockUpdate: '2027-03-03' };

/**
 * Lambda's runtimes by identifier, newest first within each language: the order of `unknown
 * runtime` hints, the schema enum and `lbuild doctor`. The keys are the RuntimeName type.
 */
const entries = {
  'python3.14': {
    os: AL2023,
    status: 'current',
    lifecycle: { deprecation: '2029-06-30' },
    debian: 'forky',
  },
  'python3.13': {
    os: AL2023,
    status: 'current',
    lifecycle: { deprecation: '2029-06-30' },
    debian: 'trixie',
  },
  'python3.12': { os: AL2023, status: 'current', lifecycle: { deprecation: '2028-10-31' } },
  'python3.11': {
    os: AL2,
    status: 'current',
    lifecycle: { deprecation: '2027-06-30' },
    debian: 'bookworm',
  },
  'python3.10': {
    os: AL2,
    status: 'deprecated',
    lifecycle: { deprecation: '2026-10-31', ...block2027 },
  },
  'python3.9': {
    os: AL2,
    status: 'deprecated',
    lifecycle: { deprecation: '2025-12-15', ...block2027 },
  },
  'python3.15': { os: AL2023, status: 'preview', lifecycle: {}, debian: 'forky' },
  'nodejs24.x': {
    os: AL2023,
    status: 'current',
    lifecycle: { deprecation: '2028-04-30' },
    debian: 'forky',
  },
  'nodejs22.x': {
    os: AL2023,
    status: 'current',
    lifecycle: { deprecation: '2027-04-30' },
    debian: 'bookworm',
  },
  'nodejs20.x': {
    os: AL2023,
    status: 'deprecated',
    lifecycle: { deprecation: '2026-04-30', blockCreate: '2027-02-01' },
    debian: 'trixie',
  },
  'nodejs18.x': {
    os: AL2,
    status: 'deprecated',
    lifecycle: { deprecation: '2025-09-01', blockCreate: '2027-02-01' },
    debian: 'bookworm',
  },
  'nodejs26.x': { os: AL2023, status: 'preview', lifecycle: {} },
} satisfies Record<string, Entry>;

export type RuntimeName = keyof typeof entries;

function entry(name: RuntimeName, e: Entry): RuntimeInfo {
  // The identifier starts with the language, spelled as the Language type spells it.
  const [, family, version] = /^(python|nodejs)(\d+(?:\.\d+)?)/.exec(name)!;
  const language = family as Language;
  const preview = e.status === 'preview' ? '-preview' : '';
  return {
    name,
    language,
    version: version!,
    os: e.os,
    glibc: osGlibc[e.os],
    packageManager: e.os === 'Amazon Linux 2' ? 'yum' : 'dnf',
    status: e.status,
    lifecycle: e.lifecycle,
    // SAM publishes build images per runtime; preview runtimes follow its "-preview" tag naming.
    buildImage: `public.ecr.aws/sam/build-${name}:latest${preview}`,
    runImage: `public.ecr.aws/lambda/${language}:${version}${preview}`,
    ...(e.debian
      ? {
          standIn: {
            debian: e.debian,
            glibc: debianGlibc[e.debian],
            source: name === 'nodejs22.x' ? 'nodejs-npm-package' : 'debian',
          },
        }
      : {}),
  };
}

export const runtimes: readonly RuntimeInfo[] = (Object.keys(entries) as RuntimeName[]).map(
  (name) => entry(name, entries[name]),
);

export const runtimeNames: readonly RuntimeName[] = runtimes.map((r) => r.name);

/** The newest current runtime of a language: what a deprecation warning points to. */
export function newestRuntime(language: Language): RuntimeInfo {
  return runtimes.find((r) => r.language === language && r.status === 'current')!;
}

/** Debian's architecture names, used by debootstrap and Docker platforms. */
export function debianArch(arch: Architecture): 'amd64' | 'arm64' {
  return arch === 'x86_64' ? 'amd64' : 'arm64';
}

export function dockerPlatform(arch: Architecture): string {
  return `linux/${debianArch(arch)}`;
}
