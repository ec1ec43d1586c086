/**
 * The management clusters the contract suite runs against: `embedded` (this project's API server
 * and simulated engine) and `real` (kube-apiserver, etcd and the CAPI managers built from Go
 * modules). A fixture that cannot run here says why, and its tests are skipped.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRealClusterInstall } from '../realcluster/install.ts';
import { startRealCluster } from '../realcluster/fixture.ts';
import { tokenFileLines } from './rbac-users.ts';

export interface ContractCluster {
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export interface ContractFixture {
  name: 'embedded' | 'real';
  /** Why this fixture cannot run here, or undefined when it can. */
  skipReason: string | undefined;
  /** Deadline for one lifecycle step (provision, scale, upgrade, delete) on this fixture. */
  stepTimeoutMs: number;
  start(): Promise<ContractCluster>;
}

/** Watch history of the embedded fixture; the 410 test writes more events than this. */
export const expiringHistorySize = 200;

const embeddedHelper = fileURLToPath(new URL('../support/embedded-cluster.ts', import.meta.url));

interface EmbeddedHelperModule {
  startTestEmbeddedCluster(options: {
    controllers: boolean;
    speed: number;
    historySize: number;
    tokenAuthFile: string;
  }): Promise<ContractCluster>;
}

function embeddedFixture(): ContractFixture {
  return {
    name: 'embedded',
    skipReason: existsSync(embeddedHelper)
      ? undefined
      : 'test/support/embedded-cluster.ts does not exist yet',
    // Twenty times faster than the templates' start-up durations.
    stepTimeoutMs: 60_000,
    async start() {
      const helper = (await import(embeddedHelper)) as EmbeddedHelperModule;
      // The RBAC contract's users, as the real fixture's kube-apiserver gets them.
      const tokenDir = await mkdtemp(join(tmpdir(), 'contract-tokens-'));
      const tokenAuthFile = join(tokenDir, 'tokens.csv');
      await writeFile(tokenAuthFile, tokenFileLines.map((line) => `${line}\n`).join(''), { mode: 0o600 });
      // A short watch history, so resourceVersions expire (410) after a few hundred writes as
      // they do on the real cluster after etcd compaction.
      const cluster = await helper
        .startTestEmbeddedCluster({
          controllers: true,
          speed: 20,
          historySize: expiringHistorySize,
          tokenAuthFile,
        })
        .catch(async (error: unknown) => {
          await rm(tokenDir, { recursive: true, force: true });
          throw error;
        });
      return {
        kubeconfigPath: cluster.kubeconfigPath,
        stop: async () => {
          await cluster.stop();
          await rm(tokenDir, { recursive: true, force: true });
        },
      };
    },
  };
}

function realFixture(): ContractFixture {
  const lookup = findRealClusterInstall();
  return {
    name: 'real',
    skipReason: lookup.ok ? undefined : lookup.reason,
    // Real time: machines take 10-15 s each to start, upgrades replace them one by one.
    stepTimeoutMs: 240_000,
    start: () => startRealCluster({ extraTokenLines: tokenFileLines }),
  };
}

/**
 * Both fixtures, in a fixed order; each test file prints the skip reasons once.
 * CONTRACT_FIXTURES=embedded (or real, or embedded,real) runs only those.
 */
export function contractFixtures(): ContractFixture[] {
  const selected = process.env.CONTRACT_FIXTURES?.split(',').map((s) => s.trim());
  const fixtures = [embeddedFixture(), realFixture()].map((f) =>
    selected === undefined || selected.includes(f.name) || f.skipReason !== undefined
      ? f
      : { ...f, skipReason: `not selected by CONTRACT_FIXTURES=${process.env.CONTRACT_FIXTURES}` },
  );
  for (const f of fixtures) {
    if (f.skipReason !== undefined) console.warn(`${f.name} fixture skipped: ${f.skipReason}`);
  }
  return fixtures;
}

/** ../shared/capi beside the checkout, or undefined when it is absent (tests then skip). */
export function sharedCapiDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../../shared/capi/', import.meta.url));
  return existsSync(dir) ? dir : undefined;
}
