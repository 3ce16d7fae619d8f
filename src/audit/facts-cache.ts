/**
 * Audit facts kept between builds, by content: a file whose sha256 was read before gets the same
 * facts without being read again, so a code-only `lbuild package` re-audits only the files that
 * changed and the verdict (judged from the same facts) is the same as a full audit's. Facts depend
 * on the bytes alone, except a wheel's, which also depend on the dist-info folder in its path, so
 * those are keyed by path too.
 *
 * One JSON file per output (the zip path) holding the facts of that output's last build: loading
 * and saving it costs one read and one write, and it never grows past one build's files. A file
 * that does not parse, or was written by another lbuild version, is ignored as a whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileFacts } from './file-facts.js';
import type { PackageFile } from './package-files.js';
import { isWheelMetadata } from './wheel-tags.js';

/** Bump when FileFacts, or how any of it is read from the bytes, changes. */
const factsFormat = 1;

interface StoredFacts {
  format: number;
  /** The lbuild version that read them: a new release may read binaries differently. */
  version: string;
  facts: Record<string, FileFacts>;
}

const kinds = new Set(['data', 'wheel', 'elf', 'foreign']);

export class AuditFactsCache {
  private readonly used = new Map<string, FileFacts>();

  private constructor(
    readonly file: string,
    private readonly version: string,
    private readonly known: Map<string, FileFacts>,
  ) {}

  /** `reuse` false: start empty (lbuild package --no-cache), but still save what this audit reads. */
  static async load(file: string, version: string, reuse = true): Promise<AuditFactsCache> {
    return new AuditFactsCache(file, version, reuse ? await readStored(file, version) : new Map());
  }

  get(file: PackageFile): FileFacts | undefined {
    const key = factsKey(file);
    const facts = key === undefined ? undefined : this.known.get(key);
    if (key !== undefined && facts) this.used.set(key, facts);
    return facts;
  }

  set(file: PackageFile, facts: FileFacts): void {
    const key = factsKey(file);
    if (key !== undefined) this.used.set(key, facts);
  }

  /** Keep the facts this audit used or read, and only those; best effort, written atomically. */
  async save(): Promise<void> {
    const stored: StoredFacts = {
      format: factsFormat,
      version: this.version,
      facts: Object.fromEntries(this.used),
    };
    const temp = `${this.file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(temp, JSON.stringify(stored));
      await rename(temp, this.file);
    } catch {
      await rm(temp, { force: true }).catch(() => {});
    }
  }
}

function factsKey(file: PackageFile): string | undefined {
  if (!file.sha256) return undefined;
  return isWheelMetadata(file.name) ? `${file.sha256}:${file.name}` : file.sha256;
}

async function readStored(file: string, version: string): Promise<Map<string, FileFacts>> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<StoredFacts>;
    if (stored.format !== factsFormat || stored.version !== version || !stored.facts)
      return new Map();
    return new Map(
      Object.entries(stored.facts).filter(
        ([, facts]) => typeof facts === 'object' && facts !== null && kinds.has(facts.kind),
      ),
    );
  } catch {
    return new Map();
  }
}
