#!/usr/bin/env node
import { availableParallelism } from 'node:os';

// zlib compression runs on libuv's threadpool (4 threads by default): size it to the machine so the
// zip stage uses every core. Must happen before the first fs or zlib call.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism()));
const { main } = await import('../dist/cli/main.js');

main(process.argv);
