/**
 * One cluster, live: its describe tree from clusterUpdated (changes highlighted briefly), the
 * actions, and the operations started here with their steps.
 */
import { useEffect, useRef, useState } from 'react';
import { request, subscribe } from '../api.ts';
import {
  DashClusterDocument,
  DashClusterUpdatedDocument,
  type DashOperationFragment,
} from '../../generated/graphql.ts';
import { clusterHealth, HealthBadge } from '../components/Health.tsx';
import { Link } from '../components/Link.tsx';
import { OperationView } from '../components/OperationView.tsx';
import {
  ClusterLevelActions,
  deleteMachine,
  rolloutControlPlane,
  rolloutMachineDeployment,
  ScaleAction,
  SimpleAction,
  UpgradeAction,
} from './ClusterActions.tsx';
import { counts, MachineList, signatures, TreeRow, type Tree } from './ClusterTree.tsx';

const flashMs = 2_000;

function useLiveCluster(managementCluster: string, namespace: string, name: string) {
  const [tree, setTree] = useState<Tree | null>();
  const [error, setError] = useState<string>();
  const [liveError, setLiveError] = useState<string>();
  const [flash, setFlash] = useState<ReadonlySet<string>>(new Set());
  const previous = useRef<Map<string, string>>(undefined);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    previous.current = undefined;
    setTree(undefined);
    const show = (next: Tree): void => {
      const now = signatures(next);
      const before = previous.current;
      previous.current = now;
      setTree(next);
      if (!before) return;
      const changed = [...now].filter(([id, sig]) => before.get(id) !== sig).map(([id]) => id);
      if (changed.length === 0) return;
      setFlash((current) => new Set([...current, ...changed]));
      setTimeout(
        () => setFlash((current) => new Set([...current].filter((id) => !changed.includes(id)))),
        flashMs,
      );
    };
    void (async () => {
      const result = await request(DashClusterDocument, { managementCluster, namespace, name });
      if (cancelled) return;
      if (!result.ok) return setError(result.error.message);
      const answer = result.data.cluster;
      if (answer.__typename !== 'Cluster')
        return setError(`${answer.__typename}: ${'message' in answer ? answer.message : ''}`);
      show(answer);
      stop = subscribe(
        DashClusterUpdatedDocument,
        { id: answer.id },
        {
          next: (data, errors) => {
            setLiveError(errors);
            if (data.clusterUpdated) show(data.clusterUpdated);
            // Null with an error: the management cluster cannot be read; what was shown stays.
            else if (!errors) setTree(null);
          },
          error: (message) => setLiveError(message),
        },
      );
    })();
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [managementCluster, namespace, name]);
  return { tree, error, liveError, flash };
}

export function ClusterPage(props: { managementCluster: string; namespace: string; name: string }) {
  const { tree, error, liveError, flash } = useLiveCluster(
    props.managementCluster,
    props.namespace,
    props.name,
  );
  const [operations, setOperations] = useState<DashOperationFragment[]>([]);
  const started = (operation: DashOperationFragment): void => setOperations((list) => [operation, ...list]);

  const title = (
    <h1>
      <Link href="/">Fleet</Link> / {props.managementCluster} / {props.namespace} / {props.name}
    </h1>
  );
  if (error)
    return (
      <main>
        {title}
        <div className="error">{error}</div>
      </main>
    );
  if (tree === undefined)
    return (
      <main>
        {title}
        <p className="muted">Loading…</p>
      </main>
    );
  if (tree === null)
    return (
      <main>
        {title}
        <p>The cluster is gone.</p>
      </main>
    );

  const cp = tree.controlPlane;
  return (
    <main>
      {title}
      <div className="cluster-head">
        <HealthBadge health={clusterHealth(tree)} /> phase {tree.phase ?? '—'} · Kubernetes{' '}
        {tree.kubernetesVersion ?? '—'}
        {tree.topology && (
          <>
            {' '}
            · ClusterClass {tree.topology.classNamespace}/{tree.topology.class}
          </>
        )}
        {tree.controlPlaneEndpoint && (
          <>
            {' '}
            · endpoint {tree.controlPlaneEndpoint.host}:{tree.controlPlaneEndpoint.port}
          </>
        )}
        {tree.paused && <strong> · paused</strong>}
      </div>
      {liveError && (
        <div className="error" role="status">
          Not live right now (what is shown may be stale): {liveError}
        </div>
      )}
      <section className="panel" aria-label="actions">
        <UpgradeAction id={tree.id} name={tree.name} current={tree.kubernetesVersion} onStarted={started} />
        <ClusterLevelActions id={tree.id} name={tree.name} paused={tree.paused} onStarted={started} />
      </section>
      {operations.length > 0 && (
        <section aria-label="operations started here">
          <h2>Operations</h2>
          {operations.map((operation) => (
            <OperationView key={operation.id} operation={operation} />
          ))}
        </section>
      )}
      <section aria-label="cluster tree">
        <h2>Tree</h2>
        <ul className="tree root">
          <TreeRow
            id={tree.id}
            kind="Cluster"
            name={tree.name}
            conditions={tree.conditions}
            deleting={Boolean(tree.deletionTimestamp)}
            flash={flash}
            detail={<>{tree.phase ?? '—'}</>}
          >
            {tree.infrastructureCluster && (
              <TreeRow
                id={tree.infrastructureCluster.id}
                kind={tree.infrastructureCluster.kind}
                name={tree.infrastructureCluster.name}
                conditions={tree.infrastructureCluster.conditions}
                flash={flash}
              />
            )}
            {cp && (
              <TreeRow
                id={cp.id}
                kind={cp.kind}
                name={cp.name}
                conditions={cp.conditions}
                deleting={Boolean(cp.deletionTimestamp)}
                flash={flash}
                detail={
                  <>
                    {cp.version ?? ''} · {counts(cp)}
                  </>
                }
                actions={
                  <>
                    <ScaleAction
                      kind="controlPlane"
                      id={cp.id}
                      name={cp.name}
                      current={cp.desired}
                      onStarted={started}
                    />
                    <SimpleAction
                      label="Rollout"
                      title={`Replace every machine of ${cp.name}, one at a time?`}
                      onStarted={started}
                      send={rolloutControlPlane(cp.id)}
                    />
                  </>
                }
              >
                <MachineList
                  machines={cp.machines}
                  flash={flash}
                  machineActions={(m) => <MachineDelete id={m.id} name={m.name} onStarted={started} />}
                />
              </TreeRow>
            )}
            {tree.machineDeployments.map((md) => (
              <TreeRow
                key={md.id}
                id={md.id}
                kind="MachineDeployment"
                name={md.name}
                conditions={md.conditions}
                deleting={Boolean(md.deletionTimestamp)}
                flash={flash}
                detail={
                  <>
                    {md.phase ?? ''} {md.version ?? ''} · {counts(md)}
                  </>
                }
                actions={
                  <>
                    <ScaleAction
                      kind="machineDeployment"
                      id={md.id}
                      name={md.name}
                      current={md.desired}
                      onStarted={started}
                    />
                    <SimpleAction
                      label="Rollout"
                      title={`Replace every machine of ${md.name}?`}
                      onStarted={started}
                      send={rolloutMachineDeployment(md.id)}
                    />
                  </>
                }
              >
                {md.machineSets.map((ms) => (
                  <TreeRow
                    key={ms.id}
                    id={ms.id}
                    kind="MachineSet"
                    name={ms.name}
                    conditions={ms.conditions}
                    deleting={Boolean(ms.deletionTimestamp)}
                    flash={flash}
                    detail={
                      <>
                        {ms.version ?? ''} · {counts(ms)}
                      </>
                    }
                  >
                    <MachineList
                      machines={ms.machines}
                      flash={flash}
                      machineActions={(m) => <MachineDelete id={m.id} name={m.name} onStarted={started} />}
                    />
                  </TreeRow>
                ))}
              </TreeRow>
            ))}
            {tree.machinePools.map((mp) => (
              <TreeRow
                key={mp.id}
                id={mp.id}
                kind="MachinePool"
                name={mp.name}
                conditions={mp.conditions}
                deleting={Boolean(mp.deletionTimestamp)}
                flash={flash}
                detail={
                  <>
                    {mp.phase ?? ''} {mp.version ?? ''} · {counts(mp)}
                  </>
                }
                actions={
                  <ScaleAction
                    kind="machinePool"
                    id={mp.id}
                    name={mp.name}
                    current={mp.desired}
                    onStarted={started}
                  />
                }
              >
                {mp.infrastructureMachinePool && (
                  <TreeRow
                    id={mp.infrastructureMachinePool.id}
                    kind={mp.infrastructureMachinePool.kind}
                    name={mp.infrastructureMachinePool.name}
                    conditions={mp.infrastructureMachinePool.conditions}
                    flash={flash}
                  />
                )}
                <MachineList
                  machines={mp.machines}
                  flash={flash}
                  machineActions={(m) => <MachineDelete id={m.id} name={m.name} onStarted={started} />}
                />
              </TreeRow>
            ))}
            {tree.machineHealthChecks.map((mhc) => (
              <TreeRow
                key={mhc.id}
                id={mhc.id}
                kind="MachineHealthCheck"
                name={mhc.name}
                conditions={mhc.conditions}
                flash={flash}
                detail={
                  <>
                    targets {mhc.targets.join(', ') || '—'} · healthy {mhc.currentHealthy ?? 0}/
                    {mhc.expectedMachines ?? 0} · remediations allowed {mhc.remediationsAllowed ?? 0}
                  </>
                }
              />
            ))}
          </TreeRow>
        </ul>
      </section>
    </main>
  );
}

function MachineDelete(props: {
  id: string;
  name: string;
  onStarted(operation: DashOperationFragment): void;
}) {
  return (
    <SimpleAction
      label="Delete"
      danger
      title={`Delete machine ${props.name}?`}
      body={<p>Its owner replaces it.</p>}
      onStarted={props.onStarted}
      send={deleteMachine(props.id)}
    />
  );
}
