#!/usr/bin/env node
// The `capi-gateway` command. The project runs its TypeScript sources directly through tsx's
// loader (no build step to forget); src/main.ts holds the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv);
