#!/usr/bin/env node
// The `rasso` command; see src/cli/main.ts, or run it with --help.
import { main } from '../src/cli/main.ts';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Not a mistake in the command but a failure of the platform: the detail helps whoever investigates.
  console.error(error);
  process.exitCode = 1;
}
