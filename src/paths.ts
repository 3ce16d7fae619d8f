/** Where lbuild's own files live, whether it runs from src/ (tests) or dist/ (installed). */
import { fileURLToPath } from 'node:url';

// Both src/paths.ts and dist/paths.js sit one level below the package root.
export const packageRoot = fileURLToPath(new URL('../', import.meta.url));
export const imagesDir = fileURLToPath(new URL('../images/', import.meta.url));
export const runtimeSupportDir = fileURLToPath(new URL('../src/runtime-support/', import.meta.url));
