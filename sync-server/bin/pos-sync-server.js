#!/usr/bin/env node
// The server is TypeScript run through tsx (a dependency), so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
await main(process.argv.slice(2));
