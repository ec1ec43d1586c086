/**
 * What the simulated InfraMachinePool provider writes, against each kind's real schema: only the
 * fields the served version declares, and among them everything the engine reads back (instance
 * names, versions, readiness, the provisioned signal). A field the schema lacks would be pruned by
 * the API server, differ on every reconcile, and be written again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import type { EngineContext } from '../../controllers/engine-context.ts';
import {
  type PoolInstance,
  isPoolProvisioned,
  readInstances,
  writePoolStatus,
} from '../../controllers/infra-machine-pool-provider.ts';
import { resolveFromCrd } from '../../controllers/object-cache.ts';
import { pruneToSchema } from '../../controllers/schema-fields.ts';
import { findGoModule } from '../../../test/acceptance/go-module.ts';
import { SHARED_CAPI, SKIP_REASON, haveSharedCapi } from './engine-harness.ts';

const ctx = { clock: { now: () => Date.parse('2026-01-01T00:00:00Z') } } as unknown as EngineContext;
/** Two instances, one ready, with the providerIDs the engine derives for the kind. */
const poolInstances = (scheme: string): PoolInstance[] => [
  { instanceName: 'pool-a', providerID: `${scheme}pool-a`, version: 'v1.34.1', ready: true },
  { instanceName: 'pool-b', providerID: `${scheme}pool-b`, version: 'v1.34.1', ready: false },
];

/** The status the engine writes for `crd`'s kind, and the pool read back as the engine reads it. */
function written(
  crd: KubeObject,
  instances: PoolInstance[],
): { status: Record<string, unknown>; pool: KubeObject } {
  const kind = resolveFromCrd(crd);
  if (!kind) throw new Error('CRD not resolved');
  const pool: KubeObject = {
    apiVersion: `${kind.type.group}/${kind.type.version}`,
    kind: kind.type.kind,
    metadata: { name: 'pool', uid: 'u-1', generation: 3 },
    spec: { providerIDList: instances.filter((i) => i.ready).map((i) => i.providerID) },
  };
  const status: Record<string, unknown> = {};
  writePoolStatus(ctx, kind, pool, instances, true, status);
  pruneToSchema(status, kind.statusSchema);
  const back = { ...pool, status };
  expect(isPoolProvisioned(back, kind)).toBe(true);
  return { status, pool: back };
}

const loadCrd = (file: string): KubeObject => parse(readFileSync(file, 'utf8')) as KubeObject;

describe.skipIf(!haveSharedCapi)(haveSharedCapi ? 'InfraMachinePool status vs schema' : SKIP_REASON, () => {
  it('DockerMachinePool and DevMachinePool (CAPI v1.14): instanceName, providerID, ready, addresses; no instanceID or initialization', () => {
    for (const [file, kindFields] of [
      ['infrastructure.cluster.x-k8s.io_dockermachinepools.yaml', ['bootstrapped']],
      ['infrastructure.cluster.x-k8s.io_devmachinepools.yaml', []],
    ] as const) {
      const { status, pool } = written(
        loadCrd(join(SHARED_CAPI, 'crds', file)),
        poolInstances('docker:////'),
      );
      expect(Object.keys(status).sort(), file).toEqual(
        ['conditions', 'instances', 'observedGeneration', 'ready', 'replicas'].sort(),
      );
      const [first] = status.instances as Array<Record<string, unknown>>;
      expect(Object.keys(first ?? {}).sort(), file).toEqual(
        ['addresses', 'instanceName', 'providerID', 'ready', 'version', ...kindFields].sort(),
      );
      const kind = resolveFromCrd(loadCrd(join(SHARED_CAPI, 'crds', file)));
      expect(readInstances(kind!, pool)).toEqual(poolInstances('docker:////'));
    }
  });
});

const capa = await findGoModule('sigs.k8s.io/cluster-api-provider-aws/v2', 'v2.13.0');

describe.skipIf(!capa.ok)(
  capa.ok ? 'AWSMachinePool status vs schema' : `CAPA: ${capa.ok ? '' : capa.reason}`,
  () => {
    it('keeps instanceID and version only; readiness comes from spec.providerIDList', () => {
      const dir = capa.ok ? capa.dir : '';
      const crd = loadCrd(join(dir, 'config/crd/bases/infrastructure.cluster.x-k8s.io_awsmachinepools.yaml'));
      const { status, pool } = written(crd, poolInstances('aws://'));
      expect(status).not.toHaveProperty('observedGeneration');
      expect(status).not.toHaveProperty('initialization');
      expect(status).toMatchObject({ ready: true, replicas: 1 });
      for (const instance of status.instances as Array<Record<string, unknown>>)
        expect(Object.keys(instance).sort()).toEqual(['instanceID', 'version']);
      const kind = resolveFromCrd(crd);
      expect(readInstances(kind!, pool).map((i) => [i.instanceName, i.ready])).toEqual([
        ['pool-a', true],
        ['pool-b', false],
      ]);
    });
  },
);
