/**
 * The management clusters the contract suite runs against: `embedded` (this project's API server
 * and simulated engine) and `real` (kube-apiserver, etcd and the CAPI managers built from Go
 * modules). A fixture that cannot run here says why, and its tests are skipped.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findRealClusterInstall } from '../realcluster/install.ts';
import { startRealCluster } from '../realcluster/fixture.ts';

export interface ContractCluster {
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export interface ContractFixture {
  name: 'embedded' | 'real';
  /** Why this fixture cannot run here, or undefined when it can. */
  skipReason: string | undefined;
  start(): Promise<ContractCluster>;
}

const embeddedHelper = fileURLToPath(new URL('../support/embedded-cluster.ts', import.meta.url));

interface EmbeddedHelperModule {
  startTestEmbeddedCluster(options: { controllers: boolean; speed: number }): Promise<ContractCluster>;
}

function embeddedFixture(): ContractFixture {
  return {
    name: 'embedded',
    skipReason: existsSync(embeddedHelper)
      ? undefined
      : 'test/support/embedded-cluster.ts does not exist yet',
    async start() {
      const helper = (await import(embeddedHelper)) as EmbeddedHelperModule;
      return helper.startTestEmbeddedCluster({ controllers: true, speed: 20 });
    },
  };
}

function realFixture(): ContractFixture {
  const lookup = findRealClusterInstall();
  return {
    name: 'real',
    skipReason: lookup.ok ? undefined : lookup.reason,
    start: () => startRealCluster(),
  };
}

/** Both fixtures, in a fixed order; each test file prints the skip reasons once. */
export function contractFixtures(): ContractFixture[] {
  const fixtures = [embeddedFixture(), realFixture()];
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
