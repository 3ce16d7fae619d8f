/**
 * The zip is written to `<out>.tmp-<pid>` and renamed into place only when complete, so a reader
 * (or the next `lbuild package`) never sees a half-written zip, and a failure leaves nothing behind.
 * Small writes are batched: a Python tree is thousands of 30-byte headers and 2 KB bodies.
 */
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isOutOfSpace, outOfSpaceError } from '../../disk-space.js';
import { EnvironmentError } from '../../errors.js';

const FLUSH_BYTES = 1 << 20;

function ioError(action: string, file: string, cause: unknown): EnvironmentError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new EnvironmentError(`could not ${action} ${file}: ${reason}`, {
    cause,
    hint: 'Check that the output directory is writable and the disk has free space.',
    details: { path: file },
  });
}

export class AtomicOutputFile {
  readonly tempPath: string;
  private readonly hash: Hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes appended so far, written or not: the offset of the next record. */
  offset = 0;

  private constructor(
    readonly finalPath: string,
    private readonly handle: FileHandle,
    tempPath: string,
  ) {
    this.tempPath = tempPath;
  }

  static async create(finalPath: string): Promise<AtomicOutputFile> {
    const tempPath = `${finalPath}.tmp-${process.pid}`;
    try {
      await mkdir(path.dirname(finalPath), { recursive: true });
      return new AtomicOutputFile(finalPath, await open(tempPath, 'w'), tempPath);
    } catch (error) {
      throw ioError('create', tempPath, error);
    }
  }

  async append(buffer: Buffer): Promise<void> {
    this.hash.update(buffer);
    this.pending.push(buffer);
    this.pendingBytes += buffer.length;
    this.offset += buffer.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    const buffers = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      // writev may write less than asked (like write(2)); loop until every buffer is out.
      let remaining = buffers;
      while (remaining.length > 0) {
        const { bytesWritten } = await this.handle.writev(remaining);
        remaining = dropWritten(remaining, bytesWritten);
      }
    } catch (error) {
      if (isOutOfSpace(error))
        throw outOfSpaceError(error, {
          path: this.finalPath,
          what: 'the zip',
          bytesWritten: this.offset,
          elsewhere: 'write it elsewhere with --out',
        });
      throw ioError('write', this.tempPath, error);
    }
  }

  /** Flush, close and rename into place. Returns the sha256 of everything appended. */
  async commit(): Promise<{ sha256: string; bytes: number }> {
    await this.flush();
    try {
      await this.handle.close();
      await rename(this.tempPath, this.finalPath);
    } catch (error) {
      throw ioError('finish', this.finalPath, error);
    }
    return { sha256: this.hash.digest('hex'), bytes: this.offset };
  }

  /** Best effort: we are already failing with a better error than any cleanup problem. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => {});
    await rm(this.tempPath, { force: true }).catch(() => {});
  }
}

function dropWritten(buffers: Buffer[], written: number): Buffer[] {
  let index = 0;
  let left = written;
  while (index < buffers.length && left >= buffers[index]!.length) left -= buffers[index++]!.length;
  const rest = buffers.slice(index);
  if (left > 0 && rest.length > 0) rest[0] = rest[0]!.subarray(left);
  return rest;
}
