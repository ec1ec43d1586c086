/**
 * Cluster: controlPlaneRef/infrastructureRef → contract-versioned refs, topology.class(+Namespace)
 * → topology.classRef, topology machineHealthCheck → healthCheck, node*Timeouts → deletion,
 * worker strategy → rollout.strategy; status: controlPlane/workers summaries, initialization,
 * failureDomains map ⇄ list. topology.rolloutAfter and variables[].definitionFrom were dropped by
 * v1beta2 and are not carried over.
 */
import type { ConversionContext } from '../apiserver/conversion.ts';
import { healthCheckToMachineHealthCheck, machineHealthCheckToHealthCheck } from './health-check.ts';
import { kindConverter } from './kind-converter.ts';
import { arrayAt, eachObject, isObject, objectAt, put, take, type Json } from './json.ts';
import { rolloutToStrategy, strategyToRollout } from './machine-deployment.ts';
import { deletionToTimeouts, timeoutsToDeletion } from './machine-spec.ts';
import { fromContractRef, toContractRef } from './refs.ts';

function topologyToV1beta2(topology: Json): Json {
  const classRef: Json = {};
  put(classRef, 'name', take(topology, 'class'));
  put(classRef, 'namespace', take(topology, 'classNamespace'));
  if (Object.keys(classRef).length) topology['classRef'] = classRef;
  delete topology['rolloutAfter'];
  eachObject(topology, 'variables', (v) => {
    delete v['definitionFrom'];
    return v;
  });
  const controlPlane = objectAt(topology['controlPlane']);
  if (controlPlane) {
    machineHealthCheckToHealthCheck(controlPlane, controlPlane, true);
    timeoutsToDeletion(controlPlane, controlPlane);
  }
  const workers = objectAt(topology['workers']);
  eachObject(workers, 'machineDeployments', (md) => {
    machineHealthCheckToHealthCheck(md, md, true);
    timeoutsToDeletion(md, md);
    strategyToRollout(md, md, ['healthCheck', 'remediation']);
    return md;
  });
  eachObject(workers, 'machinePools', (mp) => {
    timeoutsToDeletion(mp, mp);
    return mp;
  });
  return topology;
}

function topologyToV1beta1(topology: Json, namespace: string | undefined): Json {
  const classRef = objectAt(take(topology, 'classRef'));
  put(topology, 'class', classRef?.['name']);
  put(topology, 'classNamespace', classRef?.['namespace']);
  const controlPlane = objectAt(topology['controlPlane']);
  if (controlPlane) {
    healthCheckToMachineHealthCheck(controlPlane, controlPlane, namespace, true);
    deletionToTimeouts(controlPlane, controlPlane);
  }
  const workers = objectAt(topology['workers']);
  eachObject(workers, 'machineDeployments', (md) => {
    rolloutToStrategy(md, md, ['healthCheck', 'remediation']);
    delete md['rollout'];
    healthCheckToMachineHealthCheck(md, md, namespace, true);
    deletionToTimeouts(md, md);
    return md;
  });
  eachObject(workers, 'machinePools', (mp) => {
    deletionToTimeouts(mp, mp);
    return mp;
  });
  return topology;
}

function specToV1beta2(spec: Json): Json {
  for (const ref of ['controlPlaneRef', 'infrastructureRef'])
    if (spec[ref] !== undefined) spec[ref] = toContractRef(spec[ref]);
  const topology = objectAt(spec['topology']);
  if (topology) topologyToV1beta2(topology);
  return spec;
}

function specToV1beta1(spec: Json, namespace: string | undefined, context: ConversionContext): Json {
  for (const ref of ['controlPlaneRef', 'infrastructureRef'])
    if (spec[ref] !== undefined) spec[ref] = fromContractRef(spec[ref], namespace, context);
  const network = objectAt(spec['clusterNetwork']);
  if (network?.['apiServerPort'] === 0) delete network['apiServerPort'];
  const topology = objectAt(spec['topology']);
  if (topology) topologyToV1beta1(topology, namespace);
  return spec;
}

export const clusterConverter = kindConverter({
  group: 'cluster.x-k8s.io',
  kind: 'Cluster',
  specToV1beta2,
  specToV1beta1: (spec, object, context) => specToV1beta1(spec, object.metadata.namespace, context),
  status: {
    deprecated: ['failureReason', 'failureMessage'],
    underV1beta2: ['controlPlane', 'workers'],
    initialization: {
      controlPlaneInitialized: 'controlPlaneReady',
      infrastructureProvisioned: 'infrastructureReady',
    },
  },
  statusToV1beta2: (status) => {
    const domains = objectAt(status['failureDomains']);
    if (domains)
      status['failureDomains'] = Object.keys(domains)
        .sort()
        .map((name) => ({ name, ...objectAt(domains[name]) }));
  },
  statusToV1beta1: (status) => {
    const domains = arrayAt(status['failureDomains']);
    if (!domains) return;
    const map: Json = {};
    for (const fd of domains) {
      if (!isObject(fd) || typeof fd['name'] !== 'string') continue;
      const { name, ...rest } = fd;
      map[name] = rest;
    }
    status['failureDomains'] = map;
  },
  lossy: [['spec', 'topology', 'controlPlane', 'healthCheck', 'checks', 'unhealthyMachineConditions']],
});
