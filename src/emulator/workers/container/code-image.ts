/**
 * Container workers run from a "code image": the run image plus the function code in /var/task
 * (and lbuild's bootstrap in /var/runtime when the image has no AWS runtime client).
 *
 * Why an image and not putArchive into each worker: Docker refuses putArchive into a container
 * whose root file system is read-only ("container rootfs is marked read-only"), and Lambda's is.
 * So the code goes into a stopped staging container (no bind mounts: works on remote engines and
 * Docker-in-Docker), which is committed once per code version and then shared by every worker.
 */
import type Docker from 'dockerode';
import { removeContainer, track } from '../../../docker/cleanup.js';
import { lbuildLabels } from '../../../docker/labels.js';
import { ImageMissingError } from '../../../errors.js';
import { standInBuildCommand } from '../../../runtimes/images.js';
import { hashBuffers } from './code-archive.js';

export interface BaseImageFacts {
  id: string;
  /** The image's own entrypoint; AWS images start their runtime client through it. */
  entrypoint: string[];
  /** True for AWS's Lambda images (lambda-entrypoint.sh, /var/runtime/bootstrap). */
  hasAwsRuntime: boolean;
}

export const codeImageRepository = 'lbuild/worker-code';

export class CodeImages {
  private readonly built = new Map<string, Promise<string>>();
  private readonly bases = new Map<string, Promise<BaseImageFacts>>();
  private readonly stale = new Set<string>();

  constructor(
    private readonly docker: Docker,
    /** A fresh name for each staging container (see worker-container-names.ts). */
    private readonly stagingName: () => string,
  ) {}

  inspectBase(image: string): Promise<BaseImageFacts> {
    let facts = this.bases.get(image);
    if (!facts) {
      facts = this.docker
        .getImage(image)
        .inspect()
        .then(
          (info) => {
            const entrypoint = info.Config?.Entrypoint ?? [];
            const list = Array.isArray(entrypoint) ? entrypoint : [entrypoint];
            return {
              id: info.Id,
              entrypoint: list,
              hasAwsRuntime: list.some((part) => part.includes('lambda-entrypoint')),
            };
          },
          (error: unknown) => {
            this.bases.delete(image);
            throw new ImageMissingError(
              `the worker image ${image} is not available (${(error as Error).message})`,
              {
                cause: error,
                hint: standInBuildCommand(image)
                  ? `Build it first: \`${standInBuildCommand(image)}\`.`
                  : 'Build or pull it first: `lbuild images build` (or LBUILD_IMAGE_SOURCE=offline for the local stand-ins), or `docker pull` the AWS image.',
              },
            );
          },
        );
      this.bases.set(image, facts);
    }
    return facts;
  }

  /** The image for this base + archive, built once per content and reused. Returns its id. */
  ensure(baseImage: string, archive: Buffer, labels: Record<string, string>): Promise<string> {
    const key = `${baseImage}\0${hashBuffers(archive)}`;
    let image = this.built.get(key);
    if (!image) {
      image = this.build(baseImage, archive, labels);
      this.built.set(key, image);
      image.catch(() => this.built.delete(key));
    }
    return image;
  }

  private async build(
    baseImage: string,
    archive: Buffer,
    labels: Record<string, string>,
  ): Promise<string> {
    const base = await this.inspectBase(baseImage);
    const tag = hashBuffers(base.id, archive).slice(0, 20);
    // Created, never started: only its file system layer matters. Its labels become the image's.
    const staging = await this.docker.createContainer({
      name: this.stagingName(),
      Image: baseImage,
      Labels: lbuildLabels('image', labels),
    });
    track(staging);
    try {
      await staging.putArchive(archive, { path: '/' });
      const committed = (await staging.commit({
        repo: codeImageRepository,
        tag,
        comment: 'lbuild worker code',
      })) as { Id: string };
      return committed.Id;
    } finally {
      await removeContainer(staging);
    }
  }

  /**
   * New code: later workers get a new image. The old ones are removed now if no container uses them
   * any more, else at dispose (Docker refuses to remove an image a running container uses).
   */
  async forget(): Promise<void> {
    // Taken out of the map at once: an image for the new code may be built while this awaits.
    const old = [...this.built.values()];
    this.built.clear();
    const ids = await Promise.allSettled(old);
    for (const result of ids) if (result.status === 'fulfilled') this.stale.add(result.value);
    await this.removeStale();
  }

  /** Remove every image this object built (call after the workers' containers are gone). */
  async removeAll(): Promise<void> {
    await this.forget();
  }

  private async removeStale(): Promise<void> {
    await Promise.allSettled(
      [...this.stale].map(async (id) => {
        try {
          await this.docker.getImage(id).remove({ force: true });
          this.stale.delete(id);
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) this.stale.delete(id);
        }
      }),
    );
  }
}
