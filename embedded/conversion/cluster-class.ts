/**
 * ClusterClass: LocalObjectTemplate `ref`s → `templateRef`s (worker `template.{metadata,
 * bootstrap, infrastructure}` flattened), namingStrategy → naming, infrastructureNamingStrategy →
 * infrastructure.naming, machineHealthCheck → healthCheck, node*Timeouts → deletion, worker
 * strategy → rollout.strategy, variables[].metadata → deprecatedV1Beta1Metadata.
 */
import { healthCheckToMachineHealthCheck, machineHealthCheckToHealthCheck } from './health-check.ts';
import { kindConverter } from './kind-converter.ts';
import { child, dropEmpty, eachObject, objectAt, put, take, type Json } from './json.ts';
import { rolloutToStrategy, strategyToRollout } from './machine-deployment.ts';
import { deletionToTimeouts, timeoutsToDeletion } from './machine-spec.ts';
import { fromTemplateRef, toTemplateRef } from './refs.ts';
import { conditionsOnly } from './status.ts';

/** {ref: ObjectReference} on `holder` → {templateRef} (in place). */
function refToTemplateRef(holder: Json | undefined): void {
  if (!holder || holder['ref'] === undefined) return;
  holder['templateRef'] = toTemplateRef(take(holder, 'ref'));
}

function templateRefToRef(holder: Json | undefined, namespace: string | undefined): void {
  if (!holder || holder['templateRef'] === undefined) return;
  holder['ref'] = fromTemplateRef(take(holder, 'templateRef'), namespace);
}

function workerToV1beta2(worker: Json, isDeployment: boolean): Json {
  const template = objectAt(take(worker, 'template'));
  if (template) {
    put(worker, 'metadata', template['metadata']);
    for (const part of ['bootstrap', 'infrastructure']) {
      const holder = objectAt(template[part]);
      refToTemplateRef(holder);
      put(worker, part, holder);
    }
  }
  put(worker, 'naming', take(worker, 'namingStrategy'));
  if (isDeployment) machineHealthCheckToHealthCheck(worker, worker, false);
  timeoutsToDeletion(worker, worker);
  if (isDeployment) strategyToRollout(worker, worker, ['healthCheck', 'remediation']);
  return worker;
}

function workerToV1beta1(worker: Json, namespace: string | undefined, isDeployment: boolean): Json {
  const template: Json = {};
  put(template, 'metadata', take(worker, 'metadata'));
  for (const part of ['bootstrap', 'infrastructure']) {
    const holder = objectAt(take(worker, part));
    templateRefToRef(holder, namespace);
    put(template, part, holder);
  }
  if (Object.keys(template).length) worker['template'] = template;
  put(worker, 'namingStrategy', take(worker, 'naming'));
  if (isDeployment) {
    rolloutToStrategy(worker, worker, ['healthCheck', 'remediation']);
    delete worker['rollout'];
    healthCheckToMachineHealthCheck(worker, worker, namespace, false);
  }
  deletionToTimeouts(worker, worker);
  return worker;
}

export const clusterClassConverter = kindConverter({
  group: 'cluster.x-k8s.io',
  kind: 'ClusterClass',
  specToV1beta2: (spec) => {
    const infrastructure = objectAt(spec['infrastructure']);
    refToTemplateRef(infrastructure);
    const naming = objectAt(take(spec, 'infrastructureNamingStrategy'));
    if (naming) child(spec, 'infrastructure')['naming'] = naming;
    const controlPlane = objectAt(spec['controlPlane']);
    if (controlPlane) {
      refToTemplateRef(controlPlane);
      refToTemplateRef(objectAt(controlPlane['machineInfrastructure']));
      put(controlPlane, 'naming', take(controlPlane, 'namingStrategy'));
      machineHealthCheckToHealthCheck(controlPlane, controlPlane, false);
      timeoutsToDeletion(controlPlane, controlPlane);
    }
    const workers = objectAt(spec['workers']);
    eachObject(workers, 'machineDeployments', (md) => workerToV1beta2(md, true));
    eachObject(workers, 'machinePools', (mp) => workerToV1beta2(mp, false));
    eachObject(spec, 'variables', (v) => {
      put(v, 'deprecatedV1Beta1Metadata', take(v, 'metadata'));
      return v;
    });
    return spec;
  },
  specToV1beta1: (spec, object) => {
    const namespace = object.metadata.namespace;
    const infrastructure = objectAt(spec['infrastructure']);
    templateRefToRef(infrastructure, namespace);
    if (infrastructure) {
      put(spec, 'infrastructureNamingStrategy', take(infrastructure, 'naming'));
      dropEmpty(spec, 'infrastructure');
    }
    const controlPlane = objectAt(spec['controlPlane']);
    if (controlPlane) {
      templateRefToRef(controlPlane, namespace);
      templateRefToRef(objectAt(controlPlane['machineInfrastructure']), namespace);
      put(controlPlane, 'namingStrategy', take(controlPlane, 'naming'));
      healthCheckToMachineHealthCheck(controlPlane, controlPlane, namespace, false);
      deletionToTimeouts(controlPlane, controlPlane);
    }
    const workers = objectAt(spec['workers']);
    eachObject(workers, 'machineDeployments', (md) => workerToV1beta1(md, namespace, true));
    eachObject(workers, 'machinePools', (mp) => workerToV1beta1(mp, namespace, false));
    eachObject(spec, 'variables', (v) => {
      put(v, 'metadata', take(v, 'deprecatedV1Beta1Metadata'));
      return v;
    });
    return spec;
  },
  status: conditionsOnly,
});
