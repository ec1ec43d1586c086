import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { KubeObject } from '../../apiserver/admission.ts';
import { builtinCrds, toTable } from '../../apiserver/schema/index.ts';
import { haveCapiData, realCrd, template } from './capi-data.ts';

const now = Date.parse('2026-01-01T12:00:00Z');
const clock = () => now;
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();

describe.skipIf(!haveCapiData)('tables from the real Cluster CRD', () => {
  const provisioned = (): KubeObject => {
    const cluster = structuredClone(template('simple-cluster.yaml', 'Cluster'));
    cluster.metadata.creationTimestamp = minutesAgo(5);
    cluster.spec = {
      ...(cluster.spec as object),
      topology: { classRef: { name: 'quick-start' }, version: 'v1.31.0' },
    };
    cluster.status = {
      phase: 'Provisioned',
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Paused', status: 'False' },
      ],
      controlPlane: {
        desiredReplicas: 3,
        replicas: 3,
        readyReplicas: 2,
        availableReplicas: 2,
        upToDateReplicas: 3,
      },
      workers: { desiredReplicas: 2, replicas: 2 },
    };
    return cluster;
  };

  it('has NAME plus the 16 printer columns, wide ones at priority 10', () => {
    const table = toTable(realCrd('Cluster'), 'v1beta2', [provisioned()], {
      includeObject: 'None',
      now: clock,
    });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.columnDefinitions).toHaveLength(17);
    expect(table.columnDefinitions[0]).toMatchObject({
      name: 'Name',
      type: 'string',
      format: 'name',
      priority: 0,
    });
    expect(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      'Name',
      'ClusterClass',
      'Available',
      'CP Desired',
      'CP Available',
      'CP Up-to-date',
      'W Desired',
      'W Available',
      'W Up-to-date',
      'Phase',
      'Age',
      'Version',
    ]);
    expect(table.rows[0]!.cells).toEqual([
      'my-cluster',
      'quick-start',
      'True',
      3,
      3,
      2,
      2,
      3,
      2,
      2,
      null,
      null,
      null,
      'False',
      'Provisioned',
      '5m',
      'v1.31.0',
    ]);
    expect(table.rows[0]!.object).toBeUndefined();
  });

  it('includes partial metadata or the whole object as asked, and omits headers for --no-headers', () => {
    const cluster = provisioned();
    const metadata = toTable(realCrd('Cluster'), 'v1beta2', [cluster], {
      includeObject: 'Metadata',
      noHeaders: true,
      now: clock,
    });
    expect(metadata.columnDefinitions).toEqual([]);
    expect(metadata.rows[0]!.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: cluster.metadata,
    });
    const whole = toTable(realCrd('Cluster'), 'v1beta2', [cluster], { includeObject: 'Object', now: clock });
    expect(whole.rows[0]!.object).toEqual(cluster);
  });

  it('evaluates label JSONPaths with escaped dots (KubeadmControlPlane CLUSTER column)', () => {
    const kcp = structuredClone(template('simple-cluster.yaml', 'KubeadmControlPlane'));
    kcp.metadata.labels = { 'cluster.x-k8s.io/cluster-name': 'my-cluster' };
    kcp.status = { initialization: { controlPlaneInitialized: true }, replicas: 3 };
    const table = toTable(realCrd('KubeadmControlPlane'), 'v1beta2', [kcp], {
      includeObject: 'None',
      now: clock,
    });
    const cell = (name: string) =>
      table.rows[0]!.cells[table.columnDefinitions.findIndex((c) => c.name === name)];
    expect(cell('Cluster')).toBe('my-cluster');
    expect(cell('Initialized')).toBe(true);
    expect(cell('Current')).toBe(3);
  });
});

describe('tables without a CRD', () => {
  it('give a CRD without printer columns NAME and AGE', () => {
    const crd = structuredClone(
      builtinCrds.find((c) => c.metadata.name === 'devclustertemplates.infrastructure.cluster.x-k8s.io')!,
    );
    const object: KubeObject = {
      apiVersion: 'v',
      kind: 'DevClusterTemplate',
      metadata: { name: 't', creationTimestamp: minutesAgo(90) },
    };
    const table = toTable(crd, 'v1beta2', [object], { includeObject: 'None', now: clock });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(table.rows[0]!.cells).toEqual(['t', '90m']);
  });

  it('render Secrets with TYPE and DATA, never their contents', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'c1-kubeconfig', creationTimestamp: minutesAgo(3 * 24 * 60) },
      type: 'cluster.x-k8s.io/secret',
      data: { value: 'c2VjcmV0' },
    };
    const table = toTable(undefined, 'v1', [secret], { includeObject: 'None', now: clock });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(table.rows[0]!.cells).toEqual(['c1-kubeconfig', 'cluster.x-k8s.io/secret', 1, '3d']);
    expect(JSON.stringify(table)).not.toContain('c2VjcmV0');
  });

  it('render Namespaces with STATUS', () => {
    const ns: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default', creationTimestamp: minutesAgo(1) },
    };
    const table = toTable(undefined, 'v1', [ns], { includeObject: 'None', now: clock });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Status', 'Age']);
    expect(table.rows[0]!.cells).toEqual(['default', 'Active', '60s']);
  });

  it('know the kind of an empty list from the options', () => {
    const table = toTable(undefined, 'v1', [], { includeObject: 'None', kind: 'ConfigMap' });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(table.rows).toEqual([]);
  });
});

describe('a provider CRD whose printer column escapes dots in a dotted path', () => {
  // As CAPA's AWSCluster (and CAPG's GCPCluster) declare their CLUSTER column.
  const crd = YAML.parse(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: awsclusters.infrastructure.cluster.x-k8s.io }
spec:
  group: infrastructure.cluster.x-k8s.io
  names: { kind: AWSCluster, listKind: AWSClusterList, plural: awsclusters, singular: awscluster }
  scope: Namespaced
  versions:
    - name: v1beta2
      served: true
      storage: true
      additionalPrinterColumns:
        - description: Cluster to which this AWSCluster belongs
          jsonPath: .metadata.labels.cluster\\.x-k8s\\.io/cluster-name
          name: Cluster
          type: string
      schema:
        openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`) as KubeObject;

  it('shows the cluster name in the CLUSTER column', () => {
    const awsCluster: KubeObject = {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'AWSCluster',
      metadata: {
        name: 'capa-1',
        labels: { 'cluster.x-k8s.io/cluster-name': 'capa-1' },
        creationTimestamp: minutesAgo(2),
      },
    };
    const table = toTable(crd, 'v1beta2', [awsCluster], { includeObject: 'None', now: clock });
    // Declared columns replace the default AGE, as on a real server.
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Cluster']);
    expect(table.rows[0]!.cells).toEqual(['capa-1', 'capa-1']);
  });
});
