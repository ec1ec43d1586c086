/**
 * KubeadmConfigSpec (KubeadmConfig, KubeadmConfigTemplate, KubeadmControlPlane[Template]):
 * extraArgs maps → [{name, value}] lists, duration strings → …Seconds, the kubeadm timeouts
 * moved to init/joinConfiguration.timeouts. v1beta1-only fields v1beta2 dropped
 * (clusterConfiguration.apiVersion/kind/clusterName/kubernetesVersion/networking,
 * init/joinConfiguration.apiVersion/kind, useExperimentalRetryJoin) are not carried over.
 */
import { fromSeconds, toSeconds } from './durations.ts';
import { argsToList, argsToMap } from './extra-args.ts';
import { child, dropEmpty, eachObject, objectAt, put, take, type Json } from './json.ts';

const components = ['apiServer', 'controllerManager', 'scheduler'] as const;

function mapArgs(target: Json | undefined, convert: (args: unknown) => unknown): void {
  if (target && target['extraArgs'] !== undefined) target['extraArgs'] = convert(target['extraArgs']);
}

function eachArgsHolder(spec: Json, convert: (args: unknown) => unknown): void {
  const cluster = objectAt(spec['clusterConfiguration']);
  for (const component of components) mapArgs(objectAt(cluster?.[component]), convert);
  mapArgs(objectAt(objectAt(cluster?.['etcd'])?.['local']), convert);
  for (const config of ['initConfiguration', 'joinConfiguration']) {
    const registration = objectAt(objectAt(spec[config])?.['nodeRegistration']);
    if (registration && registration['kubeletExtraArgs'] !== undefined)
      registration['kubeletExtraArgs'] = convert(registration['kubeletExtraArgs']);
  }
}

export function kubeadmConfigSpecToV1beta2(spec: Json): Json {
  eachArgsHolder(spec, argsToList);
  const cluster = objectAt(spec['clusterConfiguration']);
  const init = objectAt(spec['initConfiguration']);
  const join = objectAt(spec['joinConfiguration']);
  const controlPlaneTimeout = toSeconds(
    take(objectAt(cluster?.['apiServer']) ?? {}, 'timeoutForControlPlane'),
  );
  if (cluster) {
    for (const field of ['apiVersion', 'kind', 'clusterName', 'kubernetesVersion', 'networking'])
      delete cluster[field];
    dropEmpty(cluster, 'apiServer');
  }
  if (controlPlaneTimeout !== undefined)
    child(child(spec, 'initConfiguration'), 'timeouts')['controlPlaneComponentHealthCheckSeconds'] =
      controlPlaneTimeout;
  for (const config of [init, join]) {
    if (!config) continue;
    delete config['apiVersion'];
    delete config['kind'];
    eachObject(config, 'bootstrapTokens', (token) => {
      const ttl = toSeconds(take(token, 'ttl'));
      return ttl === undefined ? token : { ...token, ttlSeconds: ttl };
    });
  }
  const discovery = objectAt(join?.['discovery']);
  const discoveryTimeout = discovery ? toSeconds(take(discovery, 'timeout')) : undefined;
  if (join && discoveryTimeout !== undefined)
    child(join, 'timeouts')['tlsBootstrapSeconds'] = discoveryTimeout;
  delete spec['useExperimentalRetryJoin'];
  dropEmpty(spec, 'clusterConfiguration');
  return spec;
}

export function kubeadmConfigSpecToV1beta1(spec: Json): Json {
  eachArgsHolder(spec, argsToMap);
  const init = objectAt(spec['initConfiguration']);
  const join = objectAt(spec['joinConfiguration']);
  const initTimeouts = objectAt(init?.['timeouts']);
  const controlPlaneTimeout = fromSeconds(initTimeouts?.['controlPlaneComponentHealthCheckSeconds']);
  if (controlPlaneTimeout !== undefined)
    put(
      child(child(spec, 'clusterConfiguration'), 'apiServer'),
      'timeoutForControlPlane',
      controlPlaneTimeout,
    );
  const joinTimeouts = objectAt(join?.['timeouts']);
  const discoveryTimeout = fromSeconds(joinTimeouts?.['tlsBootstrapSeconds']);
  if (join && discoveryTimeout !== undefined) put(child(join, 'discovery'), 'timeout', discoveryTimeout);
  for (const config of [init, join]) {
    if (!config) continue;
    delete config['timeouts'];
    eachObject(config, 'bootstrapTokens', (token) => {
      const ttl = fromSeconds(take(token, 'ttlSeconds'));
      return ttl === undefined ? token : { ...token, ttl };
    });
  }
  return spec;
}

/** v1beta2 kubeadm timeouts v1beta1 has no place for, under a KubeadmConfigSpec at `prefix`. */
export function kubeadmLossyPaths(prefix: string[]): string[][] {
  return [
    [...prefix, 'initConfiguration', 'timeouts'],
    [...prefix, 'joinConfiguration', 'timeouts'],
  ];
}
