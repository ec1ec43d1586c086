/**
 * The structural rules of CAPI v1.14's v1beta2 CRD schemas that matter for bad input (`required`,
 * `minLength` / `maxLength`, `pattern`, `minimum` / `maximum`) for the core kinds, written as
 * compact OpenAPI schemas of our own. The embedded cluster registers these kinds with open
 * schemas (the real CRDs are not part of this repo), so without these rules a MachineDeployment
 * without `infrastructureRef.name` would be stored; with the real CRDs applied the API server's
 * own schema check rejects first and these rules never fire. Every object level preserves
 * unknown fields: only the listed constraints are checked, nothing is pruned.
 */

type Schema = Record<string, unknown>;

const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const KIND = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';
const API_VERSION =
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[a-z]([-a-z0-9]*[a-z0-9])?$';

function object(properties: Record<string, Schema>, required: string[] = []): Schema {
  return {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    properties,
    ...(required.length ? { required } : {}),
  };
}

function text(minLength: number, maxLength: number, pattern?: string): Schema {
  return { type: 'string', minLength, maxLength, ...(pattern ? { pattern } : {}) };
}

function integer(minimum: number, maximum?: number): Schema {
  return { type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }) };
}

function list(items: Schema): Schema {
  return { type: 'array', items };
}

/** v1beta2 ContractVersionedObjectReference: Cluster, Machine and KCP machine template refs. */
const contractRef = object(
  {
    apiGroup: text(1, 253, DNS1123_SUBDOMAIN),
    kind: text(1, 63, KIND),
    name: text(1, 253, DNS1123_SUBDOMAIN),
  },
  ['apiGroup', 'kind', 'name'],
);

/** ClusterClass and MachineHealthCheck template references keep apiVersion. */
const templateRef = object(
  {
    apiVersion: text(1, 317, API_VERSION),
    kind: text(1, 63, KIND),
    name: text(1, 253, DNS1123_SUBDOMAIN),
  },
  ['apiVersion', 'kind', 'name'],
);

const clusterName = text(1, 63);
const version = text(1, 256);

const machineSpec = object(
  {
    clusterName,
    version,
    bootstrap: object({ configRef: contractRef, dataSecretName: text(0, 253) }),
    infrastructureRef: contractRef,
    providerID: text(1, 512),
    failureDomain: text(1, 256),
  },
  ['bootstrap', 'clusterName', 'infrastructureRef'],
);

const machineTemplate = object({ spec: machineSpec }, ['spec']);

const topologyWorker = object({ class: text(1, 256), name: text(1, 63, DNS1123_SUBDOMAIN) }, [
  'class',
  'name',
]);

const clusterSpec = object({
  clusterNetwork: object({
    apiServerPort: integer(1, 65535),
    pods: object({ cidrBlocks: list(text(1, 43)) }, ['cidrBlocks']),
    services: object({ cidrBlocks: list(text(1, 43)) }, ['cidrBlocks']),
    serviceDomain: text(1, 253),
  }),
  controlPlaneEndpoint: object({ host: text(1, 512), port: integer(1, 65535) }),
  controlPlaneRef: contractRef,
  infrastructureRef: contractRef,
  topology: object(
    {
      classRef: object({ name: text(1, 253, DNS1123_SUBDOMAIN), namespace: text(1, 63, DNS1123_LABEL) }, [
        'name',
      ]),
      version,
      workers: object({
        machineDeployments: list(topologyWorker),
        machinePools: list(topologyWorker),
      }),
    },
    ['classRef', 'version'],
  ),
});

const workerClass = object(
  {
    class: text(1, 256),
    bootstrap: object({ templateRef }, ['templateRef']),
    infrastructure: object({ templateRef }, ['templateRef']),
  },
  ['bootstrap', 'class', 'infrastructure'],
);

const clusterClassSpec = object(
  {
    controlPlane: object({ templateRef, machineInfrastructure: object({ templateRef }, ['templateRef']) }, [
      'templateRef',
    ]),
    infrastructure: object({ templateRef }, ['templateRef']),
    kubernetesVersions: list(version),
    workers: object({ machineDeployments: list(workerClass), machinePools: list(workerClass) }),
  },
  ['controlPlane', 'infrastructure'],
);

const kubeadmControlPlaneSpec = object(
  {
    version,
    machineTemplate: object({ spec: object({ infrastructureRef: contractRef }, ['infrastructureRef']) }, [
      'spec',
    ]),
    remediation: object({ minHealthyPeriodSeconds: integer(0), retryPeriodSeconds: integer(0) }),
    rollout: object({ before: object({ certificatesExpiryDays: integer(7) }) }),
  },
  ['machineTemplate', 'version'],
);

const machineHealthCheckSpec = object(
  {
    clusterName,
    checks: object({ nodeStartupTimeoutSeconds: integer(0) }),
    remediation: object({
      templateRef,
      triggerIf: object({ unhealthyInRange: text(1, 32, '^\\[[0-9]+-[0-9]+\\]$') }),
    }),
  },
  ['clusterName', 'selector'],
);

export interface CoreKindSchema {
  group: string;
  kind: string;
  plural: string;
  /** The openAPIV3Schema of `spec` (every one of these CRDs requires `spec`). */
  spec: Schema;
}

const CORE = 'cluster.x-k8s.io';

export const coreKindSchemas: CoreKindSchema[] = [
  { group: CORE, kind: 'Cluster', plural: 'clusters', spec: clusterSpec },
  {
    group: CORE,
    kind: 'ClusterClass',
    plural: 'clusterclasses',
    spec: clusterClassSpec,
  },
  {
    group: CORE,
    kind: 'MachineDeployment',
    plural: 'machinedeployments',
    spec: object({ clusterName, template: machineTemplate }, ['clusterName', 'selector', 'template']),
  },
  {
    group: CORE,
    kind: 'MachineSet',
    plural: 'machinesets',
    spec: object({ clusterName, template: machineTemplate }, ['clusterName', 'selector', 'template']),
  },
  {
    group: CORE,
    kind: 'MachinePool',
    plural: 'machinepools',
    spec: object({ clusterName, template: machineTemplate }, ['clusterName', 'template']),
  },
  { group: CORE, kind: 'Machine', plural: 'machines', spec: machineSpec },
  {
    group: CORE,
    kind: 'MachineHealthCheck',
    plural: 'machinehealthchecks',
    spec: machineHealthCheckSpec,
  },
  {
    group: 'controlplane.cluster.x-k8s.io',
    kind: 'KubeadmControlPlane',
    plural: 'kubeadmcontrolplanes',
    spec: kubeadmControlPlaneSpec,
  },
];

/** A CRD object carrying the rules, for the API server's own schema machinery to compile. */
export function ruleCrd(schema: CoreKindSchema): {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Schema;
} {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${schema.plural}.${schema.group}` },
    spec: {
      group: schema.group,
      scope: 'Namespaced',
      names: { plural: schema.plural, kind: schema.kind },
      versions: [
        {
          name: 'v1beta2',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: object({ spec: schema.spec }, ['spec']),
          },
        },
      ],
    },
  };
}
