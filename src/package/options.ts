import type Docker from 'dockerode';
import type { Reporter } from '../log.js';
import type { ImageSource } from '../runtimes/images.js';

/** What every build takes, whatever it writes (zip, zip + layer, or container image). */
export interface BuildOptions {
  noCache?: boolean;
  reporter?: Reporter;
  imageSource?: ImageSource;
  /** Reuse a connected engine (tests, serve); otherwise one is connected when needed. */
  docker?: Docker;
  /** Skip the ELF/glibc/Mach-O audit of the finished zip (lbuild package --no-audit). */
  noAudit?: boolean;
  /** Override package.slim: true slims (with package.slim's lists if set), false does not. */
  slim?: boolean;
  /** Override package.bundleLibraries (lbuild package --no-bundle-libraries). */
  bundleLibraries?: boolean;
}

export interface PackageOptions extends BuildOptions {
  out?: string;
  /**
   * The dependencies go into a separate layer zip. Not read from package.layer here (the CLI does
   * that): serve and invoke run the one zip they ask for and must keep getting a whole one.
   */
  layer?: boolean;
}
