import { afterEach } from 'vitest';
import { makeTempDir } from './temp-dir';

/** Undo steps of one test (servers, clients, folders); a file's steps run after each test, last first. */
export type CleanupSteps = (() => Promise<void> | void)[];

/** Call once at a test file's top level: returns the list its tests push undo steps onto. */
export function cleanupAfterEach(): CleanupSteps {
  const steps: CleanupSteps = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });
  return steps;
}

/** A temp folder removed after the test. */
export function tempPath(cleanup: CleanupSteps): string {
  const t = makeTempDir();
  cleanup.push(() => t.remove());
  return t.path;
}
