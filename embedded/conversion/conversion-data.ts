/**
 * What a v1beta1 object cannot hold of its v1beta2 original rides along in the
 * `cluster.x-k8s.io/conversion-data` annotation (as CAPI's MarshalData does), so a client that
 * reads at v1beta1 and writes back does not erase v1beta2-only fields. Unlike CAPI, only the
 * listed lossy paths are kept (not the whole object): the annotation stays small.
 */
import type { KubeObject } from '../apiserver/admission.ts';
import { isDeepStrictEqual } from 'node:util';
import { getPath, isObject, setPath, type Json } from './json.ts';

export const conversionDataAnnotation = 'cluster.x-k8s.io/conversion-data';

/**
 * Records on the spoke the hub's values at `paths` that the spoke does not carry back
 * (`roundTrip` is the spoke converted back to a hub without the annotation).
 */
export function marshalData(
  hub: KubeObject,
  spoke: KubeObject,
  roundTrip: KubeObject,
  paths: string[][],
): void {
  const kept: Json = {};
  for (const path of paths) {
    const value = getPath(hub, path);
    if (value !== undefined && !isDeepStrictEqual(value, getPath(roundTrip, path)))
      setPath(kept, path, value);
  }
  if (!Object.keys(kept).length) return;
  spoke.metadata.annotations = {
    ...spoke.metadata.annotations,
    [conversionDataAnnotation]: JSON.stringify(kept),
  };
}

/**
 * Takes the annotation off the spoke and restores its values on the hub: where the spoke gave
 * nothing, or as the fields of an object the spoke gave only some of (the spoke's fields win).
 */
export function unmarshalData(spoke: KubeObject, hub: KubeObject, paths: string[][]): void {
  const text = spoke.metadata.annotations?.[conversionDataAnnotation];
  const annotations = hub.metadata.annotations;
  if (annotations) {
    delete annotations[conversionDataAnnotation];
    if (!Object.keys(annotations).length) delete hub.metadata.annotations;
  }
  if (text === undefined) return;
  let kept: unknown;
  try {
    kept = JSON.parse(text);
  } catch {
    return;
  }
  for (const path of paths) {
    const value = getPath(kept, path);
    if (value === undefined) continue;
    const current = getPath(hub, path);
    if (current === undefined) setPath(hub as unknown as Json, path, value);
    else if (isObject(current) && isObject(value))
      setPath(hub as unknown as Json, path, { ...value, ...current });
  }
}
