/**
 * Names for the containers lbuild creates, so `docker ps` says what each one is
 * (lbuild-shop-api-1-3fa2c1, lbuild-shop-build-9b0e4d) instead of Docker's random names.
 *
 * A name must be unique on the engine, stopped containers included, so every name ends in a random
 * suffix: two runs at once, two lbuild processes, or a container left behind by a killed run never
 * ask for the same name.
 */
import { randomBytes } from 'node:crypto';

/** Keeps names readable in `docker ps` when a project or function name is very long. */
const maxSegmentLength = 40;

/** A project or function name as part of a container name: Docker allows [a-zA-Z0-9][a-zA-Z0-9_.-]. */
export function nameSegment(text: string): string {
  const cleaned = text
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .slice(0, maxSegmentLength)
    .replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '');
  return cleaned || 'unnamed';
}

/** Six random hex digits. */
export function nameSuffix(): string {
  return randomBytes(3).toString('hex');
}

/** lbuild-<part>-...-<suffix>, each part sanitized. */
export function containerName(parts: string[], suffix = nameSuffix()): string {
  return ['lbuild', ...parts.map(nameSegment), suffix].join('-');
}
