#!/usr/bin/env node
// `ferry` in a checkout: runs the TypeScript CLI through tsx, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./ferry.ts');
