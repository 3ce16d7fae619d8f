/**
 * The whole `lbuild` command line run from the sources (vite-node), so integration tests exercise
 * the real CLI (flags, --json, exit codes, stdout/stderr) without depending on a fresh `npm run
 * build`. Run it through `lbuild()` in cli.ts.
 */
import { main } from '../../src/cli/main.js';

await main(process.argv);
