import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../admission.ts';

interface GeneratedSchemas {
  source: string[];
  /** CRD name → version → openAPIV3Schema */
  crds: Record<string, Record<string, object>>;
}

/**
 * The project's own table of the kinds the embedded cluster serves out of the box (CAPI core,
 * kubeadm providers, addons, IPAM, runtime, clusterctl and CAPI's Dev/Docker test providers),
 * rendered as CRD objects with the real CRDs' schemas (generated/capi-schemas.json). Printer
 * columns follow the real CRDs; a column is `Name|type|jsonPath[|priority]`.
 */
interface KindRow {
  group: string;
  kind: string;
  shortNames?: string[];
  scope?: 'Cluster';
  status?: boolean;
  /** scale subresource; `selector` adds labelSelectorPath .status.selector. */
  scale?: 'selector' | 'replicas';
  columns?: string[];
  legacyColumns?: string[];
}

const core = 'cluster.x-k8s.io';
const infra = 'infrastructure.cluster.x-k8s.io';
const age = 'Age|date|.metadata.creationTimestamp';
const paused = 'Paused|string|.status.conditions[?(@.type=="Paused")].status|10';
const clusterLabel = "Cluster|string|.metadata.labels['cluster\\.x-k8s\\.io/cluster-name']";
const condition = (name: string, type = name) =>
  `${name}|string|.status.conditions[?(@.type=="${type}")].status`;
const replicaColumns = [
  'Desired|integer|.spec.replicas',
  'Current|integer|.status.replicas',
  'Ready|integer|.status.readyReplicas',
  'Available|integer|.status.availableReplicas',
  'Up-to-date|integer|.status.upToDateReplicas',
];
const machineColumns = [
  clusterLabel,
  'Provider ID|string|.spec.providerID|10',
  'Failure domain|string|.status.failureDomain',
  'IP|string|.status.addresses[?(@.type=="InternalIP")].address|10',
  paused,
  'Provisioned|string|.status.initialization.provisioned',
  age,
];
const legacyMachineColumns = [
  clusterLabel,
  'Machine|string|.metadata.ownerReferences[?(@.kind=="Machine")].name',
  'ProviderID|string|.spec.providerID',
  'Ready|string|.status.ready',
  age,
];

const kinds: KindRow[] = [
  {
    group: core,
    kind: 'Cluster',
    shortNames: ['cl'],
    status: true,
    columns: [
      'ClusterClass|string|.spec.topology.classRef.name',
      condition('Available'),
      'CP Desired|integer|.status.controlPlane.desiredReplicas',
      'CP Current|integer|.status.controlPlane.replicas|10',
      'CP Ready|integer|.status.controlPlane.readyReplicas|10',
      'CP Available|integer|.status.controlPlane.availableReplicas',
      'CP Up-to-date|integer|.status.controlPlane.upToDateReplicas',
      'W Desired|integer|.status.workers.desiredReplicas',
      'W Current|integer|.status.workers.replicas|10',
      'W Ready|integer|.status.workers.readyReplicas|10',
      'W Available|integer|.status.workers.availableReplicas',
      'W Up-to-date|integer|.status.workers.upToDateReplicas',
      paused,
      'Phase|string|.status.phase',
      age,
      'Version|string|.spec.topology.version',
    ],
    legacyColumns: [
      'ClusterClass|string|.spec.topology.class',
      'Phase|string|.status.phase',
      age,
      'Version|string|.spec.topology.version',
    ],
  },
  {
    group: core,
    kind: 'ClusterClass',
    legacyColumns: [age],
    shortNames: ['cc'],
    status: true,
    columns: [paused, condition('Variables Ready', 'VariablesReady'), age],
  },
  {
    group: core,
    kind: 'Machine',
    shortNames: ['ma'],
    status: true,
    columns: [
      'Cluster|string|.spec.clusterName',
      'Node Name|string|.status.nodeRef.name',
      'Provider ID|string|.spec.providerID|10',
      'Failure domain|string|.status.failureDomain',
      condition('Ready'),
      condition('Available'),
      condition('Up-to-date', 'UpToDate'),
      'Internal-IP|string|.status.addresses[?(@.type=="InternalIP")].address|10',
      'External-IP|string|.status.addresses[?(@.type=="ExternalIP")].address|10',
      'OS-Image|string|.status.nodeInfo.osImage|10',
      paused,
      'Phase|string|.status.phase',
      age,
      'Version|string|.spec.version',
    ],
    legacyColumns: [
      'Cluster|string|.spec.clusterName',
      'NodeName|string|.status.nodeRef.name',
      'ProviderID|string|.spec.providerID',
      'Phase|string|.status.phase',
      age,
      'Version|string|.spec.version',
    ],
  },
  {
    group: core,
    kind: 'MachineSet',
    legacyColumns: [
      'Cluster|string|.spec.clusterName',
      'Desired|integer|.spec.replicas|10',
      'Replicas|integer|.status.replicas',
      'Ready|integer|.status.readyReplicas',
      'Available|integer|.status.availableReplicas',
      age,
      'Version|string|.spec.template.spec.version',
    ],
    shortNames: ['ms'],
    status: true,
    scale: 'selector',
    columns: [
      'Cluster|string|.spec.clusterName',
      ...replicaColumns,
      paused,
      age,
      'Version|string|.spec.template.spec.version',
    ],
  },
  {
    group: core,
    kind: 'MachineDeployment',
    shortNames: ['md'],
    status: true,
    scale: 'selector',
    columns: [
      'Cluster|string|.spec.clusterName',
      condition('Available'),
      ...replicaColumns,
      paused,
      'Phase|string|.status.phase',
      age,
      'Version|string|.spec.template.spec.version',
    ],
    legacyColumns: [
      'Cluster|string|.spec.clusterName',
      'Desired|integer|.spec.replicas|10',
      'Replicas|integer|.status.replicas',
      'Ready|integer|.status.readyReplicas',
      'Updated|integer|.status.updatedReplicas',
      'Unavailable|integer|.status.unavailableReplicas',
      'Phase|string|.status.phase',
      age,
      'Version|string|.spec.template.spec.version',
    ],
  },
  {
    group: core,
    kind: 'MachinePool',
    legacyColumns: [
      'Cluster|string|.spec.clusterName',
      'Desired|integer|.spec.replicas|10',
      'Replicas|string|.status.replicas',
      'Phase|string|.status.phase',
      age,
      'Version|string|.spec.template.spec.version',
    ],
    shortNames: ['mp'],
    status: true,
    scale: 'replicas',
    columns: [
      'Cluster|string|.spec.clusterName',
      ...replicaColumns,
      paused,
      'Phase|string|.status.phase',
      age,
      'Version|string|.spec.template.spec.version',
    ],
  },
  {
    group: core,
    kind: 'MachineHealthCheck',
    legacyColumns: [
      'Cluster|string|.spec.clusterName',
      'ExpectedMachines|integer|.status.expectedMachines',
      'MaxUnhealthy|string|.spec.maxUnhealthy',
      'CurrentHealthy|integer|.status.currentHealthy',
      age,
    ],
    shortNames: ['mhc', 'mhcs'],
    status: true,
    columns: [
      'Cluster|string|.spec.clusterName',
      'Replicas|integer|.status.expectedMachines',
      'Healthy|integer|.status.currentHealthy',
      paused,
      age,
    ],
  },
  {
    group: core,
    kind: 'MachineDrainRule',
    columns: ['Behavior|string|.spec.drain.behavior', 'Order|string|.spec.drain.order', age],
  },
  {
    group: 'controlplane.cluster.x-k8s.io',
    kind: 'KubeadmControlPlane',
    shortNames: ['kcp'],
    status: true,
    scale: 'selector',
    columns: [
      clusterLabel,
      condition('Available'),
      ...replicaColumns,
      paused,
      'Initialized|boolean|.status.initialization.controlPlaneInitialized',
      age,
      'Version|string|.spec.version',
    ],
    legacyColumns: [
      clusterLabel,
      'Initialized|boolean|.status.initialized',
      'API Server Available|boolean|.status.ready',
      'Desired|integer|.spec.replicas|10',
      'Replicas|integer|.status.replicas',
      'Ready|integer|.status.readyReplicas',
      'Updated|integer|.status.updatedReplicas',
      'Unavailable|integer|.status.unavailableReplicas',
      age,
      'Version|string|.spec.version',
    ],
  },
  {
    group: 'controlplane.cluster.x-k8s.io',
    kind: 'KubeadmControlPlaneTemplate',
    legacyColumns: [age],
    columns: ['ClusterClass|string|.metadata.ownerReferences[?(@.kind=="ClusterClass")].name', age],
  },
  {
    group: 'bootstrap.cluster.x-k8s.io',
    kind: 'KubeadmConfig',
    legacyColumns: [clusterLabel, age],
    status: true,
    columns: [
      clusterLabel,
      paused,
      'Data secret created|string|.status.initialization.dataSecretCreated',
      age,
    ],
  },
  {
    group: 'bootstrap.cluster.x-k8s.io',
    kind: 'KubeadmConfigTemplate',
    legacyColumns: [age],
    columns: [
      'ClusterClass|string|.metadata.ownerReferences[?(@.kind=="ClusterClass")].name',
      'Cluster|string|.metadata.ownerReferences[?(@.kind=="Cluster")].name',
      age,
    ],
  },
  {
    group: 'addons.cluster.x-k8s.io',
    kind: 'ClusterResourceSet',
    legacyColumns: [age],
    status: true,
    columns: [condition('Applied', 'ResourcesApplied'), paused, age],
  },
  {
    group: 'addons.cluster.x-k8s.io',
    kind: 'ClusterResourceSetBinding',
    columns: ['Cluster|string|.spec.clusterName', age],
    legacyColumns: [age],
  },
  {
    group: 'ipam.cluster.x-k8s.io',
    kind: 'IPAddress',
    columns: [
      'Address|string|.spec.address',
      'Pool Name|string|.spec.poolRef.name',
      'Pool Kind|string|.spec.poolRef.kind',
      age,
    ],
  },
  {
    group: 'ipam.cluster.x-k8s.io',
    kind: 'IPAddressClaim',
    status: true,
    columns: ['Pool Name|string|.spec.poolRef.name', 'Pool Kind|string|.spec.poolRef.kind', age],
  },
  {
    group: 'runtime.cluster.x-k8s.io',
    kind: 'ExtensionConfig',
    legacyColumns: [age],
    shortNames: ['ext'],
    scope: 'Cluster',
    status: true,
    columns: [paused, condition('Discovered'), age],
  },
  {
    group: 'clusterctl.cluster.x-k8s.io',
    kind: 'Provider',
    columns: [age, 'Type|string|.type', 'Provider|string|.providerName', 'Version|string|.version'],
  },
  ...['Dev', 'Docker'].flatMap((prefix): KindRow[] => [
    { group: infra, kind: `${prefix}Cluster`, status: true, columns: [clusterLabel, age] },
    { group: infra, kind: `${prefix}ClusterTemplate`, columns: [age] },
    {
      group: infra,
      kind: `${prefix}Machine`,
      status: true,
      columns: machineColumns,
      legacyColumns: legacyMachineColumns,
    },
    { group: infra, kind: `${prefix}MachineTemplate`, status: true, columns: [age] },
    { group: infra, kind: `${prefix}MachinePool`, status: true, columns: [age] },
    { group: infra, kind: `${prefix}MachinePoolTemplate`, columns: [age] },
  ]),
];

/** The `cluster.x-k8s.io/provider` label clusterctl puts on each provider's CRDs. */
const providerLabels: Record<string, string> = {
  'bootstrap.cluster.x-k8s.io': 'bootstrap-kubeadm',
  'controlplane.cluster.x-k8s.io': 'control-plane-kubeadm',
  [infra]: 'infrastructure-docker',
  'clusterctl.cluster.x-k8s.io': 'clusterctl',
};

/** Groups whose kinds CAPI v1.14 serves at v1beta1 too, through its conversion webhooks. */
const convertedGroups = new Set([
  core,
  'bootstrap.cluster.x-k8s.io',
  'controlplane.cluster.x-k8s.io',
  'addons.cluster.x-k8s.io',
]);

const capiConversionWebhook = {
  strategy: 'Webhook',
  webhook: {
    clientConfig: { service: { namespace: 'capi-system', name: 'capi-webhook-service', path: '/convert' } },
    conversionReviewVersions: ['v1', 'v1beta1'],
  },
};

const providerGroups = new Set(['bootstrap.cluster.x-k8s.io', 'controlplane.cluster.x-k8s.io', infra]);

/** Versions per group for each CAPI API generation; groups not listed keep their own. */
const groupVersions: Record<'v1beta2' | 'v1beta1', Record<string, string>> = {
  v1beta2: { 'runtime.cluster.x-k8s.io': 'v1beta2', 'clusterctl.cluster.x-k8s.io': 'v1alpha3' },
  v1beta1: { 'runtime.cluster.x-k8s.io': 'v1alpha1', 'clusterctl.cluster.x-k8s.io': 'v1alpha3' },
};

function printerColumn(spec: string): Record<string, unknown> {
  const [name, type, jsonPath, priority] = spec.split('|');
  return { name, type, jsonPath, ...(priority ? { priority: Number(priority) } : {}) };
}

/**
 * The CRD schemas of CAPI v1.14 (structure and validations, no descriptions), derived from the
 * CAPI Go modules by scripts/generate-capi-schemas.ts and committed, so a fresh machine serves
 * them with no network (embedded/README.md explains the choice). Read once, on first use.
 */
let generated: GeneratedSchemas | undefined;
function generatedSchemas(): GeneratedSchemas {
  generated ??= JSON.parse(
    readFileSync(new URL('./generated/capi-schemas.json', import.meta.url), 'utf8'),
  ) as GeneratedSchemas;
  return generated;
}

/** A short fingerprint of the generated schemas: a stored built-in CRD with another one is replaced. */
let fingerprint: string | undefined;
export function builtinSchemaFingerprint(): string {
  fingerprint ??= createHash('sha256')
    .update(JSON.stringify(generatedSchemas()))
    .update(JSON.stringify(kinds))
    .digest('hex')
    .slice(0, 16);
  return fingerprint;
}

/**
 * Marks the CRDs this table creates (its value: the schemas' fingerprint), so a later build can
 * bring them up to date while a real CRD applied over one stays as applied.
 */
export const builtinSchemaAnnotation = 'embedded.capi-gateway.dev/builtin-schema';

/** Open schema, only for a version CAPI v1.14 does not serve (DevMachinePool at v1beta1 in legacy mode). */
function openSchema(kind: string): object {
  return {
    type: 'object',
    description: `${kind} (built-in schema of the embedded cluster: CAPI v1.14 does not serve this version, fields are not validated).`,
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
    },
  };
}

function schemaFor(crdName: string, kind: string, version: string): object {
  const schema = generatedSchemas().crds[crdName]?.[version];
  return { openAPIV3Schema: schema ? structuredClone(schema) : openSchema(kind) };
}

function subresources(row: KindRow): Record<string, unknown> | undefined {
  if (!row.status && !row.scale) return undefined;
  const scale = row.scale
    ? {
        scale: {
          specReplicasPath: '.spec.replicas',
          statusReplicasPath: '.status.replicas',
          ...(row.scale === 'selector' ? { labelSelectorPath: '.status.selector' } : {}),
        },
      }
    : {};
  return { ...(row.status ? { status: {} } : {}), ...scale };
}

function crdFor(row: KindRow, capiApi: 'v1beta2' | 'v1beta1'): KubeObject {
  const singular = row.kind.toLowerCase();
  const plural = singular.endsWith('s') ? `${singular}es` : `${singular}s`;
  const version = groupVersions[capiApi][row.group] ?? capiApi;
  const columns = (capiApi === 'v1beta1' ? (row.legacyColumns ?? row.columns) : row.columns) ?? [age];
  const names = {
    kind: row.kind,
    listKind: `${row.kind}List`,
    plural,
    singular,
    ...(row.shortNames ? { shortNames: row.shortNames } : {}),
    categories: ['cluster-api'],
  };
  const sub = subresources(row);
  const servedVersion = (name: string, storage: boolean, cols: string[]) => ({
    name,
    served: true,
    storage,
    schema: schemaFor(`${plural}.${row.group}`, row.kind, name),
    ...(sub ? { subresources: sub } : {}),
    additionalPrinterColumns: cols.map(printerColumn),
  });
  // As CAPI v1.14 installs them: v1beta1 still served, converted by CAPI's conversion webhooks
  // (in-process converters here, embedded/conversion/).
  const convertible = capiApi === 'v1beta2' && convertedGroups.has(row.group);
  const versions = convertible
    ? [servedVersion(version, true, columns), servedVersion('v1beta1', false, row.legacyColumns ?? columns)]
    : [servedVersion(version, true, columns)];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.${row.group}`,
      annotations: { [builtinSchemaAnnotation]: builtinSchemaFingerprint() },
      labels: {
        'cluster.x-k8s.io/provider': providerLabels[row.group] ?? 'cluster-api',
        ...(providerGroups.has(row.group)
          ? { 'cluster.x-k8s.io/v1beta1': 'v1beta1', 'cluster.x-k8s.io/v1beta2': 'v1beta2' }
          : {}),
      },
    },
    spec: {
      group: row.group,
      names,
      scope: row.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
      versions,
      ...(convertible ? { conversion: capiConversionWebhook } : {}),
    },
    status: {
      acceptedNames: names,
      storedVersions: [version],
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
      ],
    },
  };
}

/** The built-in CRDs for a management cluster of the given CAPI API generation (v1beta1 = legacy, CAPI ≤ v1.10). */
export function builtinCrdsFor(capiApi: 'v1beta2' | 'v1beta1'): KubeObject[] {
  return kinds.map((row) => crdFor(row, capiApi));
}

export const builtinCrds: KubeObject[] = builtinCrdsFor('v1beta2');
