/**
 * Where the embedded cluster keeps its files. `--ephemeral` without `--data-dir` gets a temp
 * dir of its own, removed on exit: it persists nothing, so it has no business with the default
 * data dir — a second gateway started with `--ephemeral` next to `npm start` must not overwrite
 * the first one's kubeconfig. With an explicit `--data-dir`, that dir is used (and locked) as asked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { EmbeddedCliOptions } from './options.ts';

export interface DataDir {
  path: string;
  /** What the banner says about it. */
  description: string;
  /** Removes a temp dir; nothing for a kept one. */
  cleanUp(): Promise<void>;
}

export async function dataDirFor(opts: EmbeddedCliOptions, cmd: Command): Promise<DataDir> {
  if (opts.ephemeral && cmd.getOptionValueSource('dataDir') !== 'cli') {
    const path = await mkdtemp(join(tmpdir(), 'capi-gateway-ephemeral-'));
    return {
      path,
      description: `${path} (ephemeral: objects in memory, this dir removed on exit)`,
      cleanUp: () => rm(path, { recursive: true, force: true }),
    };
  }
  return {
    path: opts.dataDir,
    description: opts.ephemeral
      ? `${opts.dataDir} (ephemeral: objects in memory; credentials and kubeconfig here)`
      : `${opts.dataDir} (remove it to start over with a fresh cluster)`,
    cleanUp: async () => undefined,
  };
}
