/**
 * MachineSpec (Machine.spec and the MachineSet / MachineDeployment / MachinePool templates):
 * bootstrap.configRef and infrastructureRef become contract-versioned refs, node*Timeout
 * durations become deletion.node*TimeoutSeconds.
 */
import type { ConversionContext } from '../apiserver/conversion.ts';
import { fromSeconds, toSeconds } from './durations.ts';
import { child, dropEmpty, objectAt, put, take, type Json } from './json.ts';
import { fromContractRef, toContractRef } from './refs.ts';

const timeouts = ['nodeDrainTimeout', 'nodeVolumeDetachTimeout', 'nodeDeletionTimeout'] as const;

/** Moves node*Timeout durations of `from` into `to.deletion.node*TimeoutSeconds`. */
export function timeoutsToDeletion(from: Json, to: Json): void {
  const deletion = child(to, 'deletion');
  for (const field of timeouts) put(deletion, `${field}Seconds`, toSeconds(take(from, field)));
  dropEmpty(to, 'deletion');
}

/** Moves `from.deletion.node*TimeoutSeconds` into node*Timeout durations of `to`. */
export function deletionToTimeouts(from: Json, to: Json): void {
  const deletion = objectAt(from['deletion']);
  if (!deletion) return;
  for (const field of timeouts) put(to, field, fromSeconds(take(deletion, `${field}Seconds`)));
  dropEmpty(from, 'deletion');
}

export function machineSpecToV1beta2(spec: Json): Json {
  const bootstrap = objectAt(spec['bootstrap']);
  if (bootstrap && bootstrap['configRef'] !== undefined)
    bootstrap['configRef'] = toContractRef(bootstrap['configRef']);
  if (spec['infrastructureRef'] !== undefined)
    spec['infrastructureRef'] = toContractRef(spec['infrastructureRef']);
  timeoutsToDeletion(spec, spec);
  return spec;
}

export function machineSpecToV1beta1(
  spec: Json,
  namespace: string | undefined,
  context: ConversionContext,
): Json {
  const bootstrap = objectAt(spec['bootstrap']);
  if (bootstrap && bootstrap['configRef'] !== undefined)
    bootstrap['configRef'] = fromContractRef(bootstrap['configRef'], namespace, context);
  if (spec['infrastructureRef'] !== undefined)
    spec['infrastructureRef'] = fromContractRef(spec['infrastructureRef'], namespace, context);
  deletionToTimeouts(spec, spec);
  delete spec['minReadySeconds'];
  delete spec['taints'];
  return spec;
}
