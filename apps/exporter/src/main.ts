#!/usr/bin/env node
/**
 * `aaisp-exporter`: the entry point of the npm package, the image and the source tree. The only
 * module with side effects besides `sea.ts`.
 *
 * @module
 */

import { main } from './cli.ts';

await main();
