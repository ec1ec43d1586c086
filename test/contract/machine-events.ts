/**
 * Records every Machine watch event of a cluster, in the order the API server sends them, from a
 * list's resourceVersion (so nothing between the list and the watch is missed). Orderings are
 * asserted on this stream (one watch = one resourceVersion order), not on wall-clock times.
 */
import type { TestKube } from './kube.ts';
import type { Loose } from './kube.ts';
import { listItems } from './kube.ts';

export interface MachineEvent {
  type: string;
  name: string;
  version: string | undefined;
  controlPlane: boolean;
  phase: string | undefined;
  creationTimestamp: string | undefined;
  deleting: boolean;
}

export interface MachineEventRecorder {
  events: MachineEvent[];
  /** Set when the server ended the watch with an error. */
  error(): unknown;
  stop(): void;
}

function toEvent(type: string, machine: Loose): MachineEvent {
  return {
    type,
    name: machine.metadata?.name ?? '',
    version: machine.spec?.version as string | undefined,
    controlPlane: machine.metadata?.labels?.['cluster.x-k8s.io/control-plane'] !== undefined,
    phase: machine.status?.phase as string | undefined,
    creationTimestamp:
      machine.metadata?.creationTimestamp === undefined
        ? undefined
        : new Date(machine.metadata.creationTimestamp).toISOString(),
    deleting: machine.metadata?.deletionTimestamp !== undefined,
  };
}

export async function recordMachineEvents(
  kube: TestKube,
  namespace: string,
  clusterName: string,
): Promise<MachineEventRecorder> {
  const labelSelector = `cluster.x-k8s.io/cluster-name=${clusterName}`;
  const list = await kube.objects.list<Loose>(
    'cluster.x-k8s.io/v1beta2',
    'Machine',
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    labelSelector,
  );
  const events: MachineEvent[] = list.items.map((m) => toEvent('LISTED', m));
  let resourceVersion = list.metadata?.resourceVersion ?? '';
  let failure: unknown;
  let stopped = false;
  let controller: AbortController | undefined;
  const start = async (): Promise<void> => {
    controller = await kube.watch.watch(
      `/apis/cluster.x-k8s.io/v1beta2/namespaces/${namespace}/machines`,
      { resourceVersion, labelSelector, allowWatchBookmarks: true },
      (type: string, object: Loose) => {
        if (object.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
        if (type === 'ERROR') failure = new Error(`watch ERROR event: ${JSON.stringify(object)}`);
        else if (type !== 'BOOKMARK') events.push(toEvent(type, object));
      },
      (error: unknown) => {
        if (stopped) return;
        if (error) failure = error;
        // The server ends watches after its request timeout: resume from the last version seen.
        else void start().catch((e: unknown) => (failure = e));
      },
    );
  };
  await start();
  return {
    events,
    error: () => failure,
    stop: () => {
      stopped = true;
      controller?.abort();
    },
  };
}

/** Machines of the cluster as a plain listing, for failure messages. */
export async function machineListing(
  kube: TestKube,
  namespace: string,
  clusterName: string,
): Promise<string> {
  const items = await listItems(
    kube,
    'cluster.x-k8s.io/v1beta2',
    'Machine',
    namespace,
    `cluster.x-k8s.io/cluster-name=${clusterName}`,
  );
  return items
    .map((m) => {
      const e = toEvent('', m);
      return `${e.name} ${e.controlPlane ? 'cp' : 'worker'} ${e.version} ${e.phase}`;
    })
    .join('; ');
}
