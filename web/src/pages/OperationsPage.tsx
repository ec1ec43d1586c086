/** The history of operations (newest first) and one operation's steps, live. */
import { useEffect, useState } from 'react';
import { request } from '../api.ts';
import {
  DashCancelOperationDocument,
  DashOperationsDocument,
  type DashOperationFragment,
} from '../../generated/graphql.ts';
import { Link } from '../components/Link.tsx';
import { OperationView, PhaseBadge } from '../components/OperationView.tsx';
import { operationPath } from '../router.ts';
import { SimpleAction } from './ClusterActions.tsx';
import { TargetLink } from '../components/TargetLink.tsx';

export function OperationsPage({ id }: { id?: string }) {
  const [list, setList] = useState<DashOperationFragment[]>();
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    const load = async (): Promise<void> => {
      const result = await request(DashOperationsDocument, { first: 100 });
      if (stopped) return;
      if (!result.ok) return setError(result.error.message);
      setError(undefined);
      setList(result.data.operations.edges.map((e) => e.node));
      setTotal(result.data.operations.totalCount);
    };
    void load();
    // The history has no subscription of its own; the selected operation below is live.
    const timer = setInterval(() => void load(), 3_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  const selected = list?.find((o) => o.id === id);
  return (
    <main>
      <h1>Operations</h1>
      {error && <div className="error">{error}</div>}
      {selected && (
        <section aria-label="selected operation" className="panel">
          <OperationView operation={selected} title={selected.type} />
          {(selected.phase === 'RUNNING' || selected.phase === 'PENDING') && (
            <SimpleAction
              label="Cancel"
              title={`Cancel ${selected.name} at its next step?`}
              onStarted={() => undefined}
              send={(run) =>
                run(
                  () => request(DashCancelOperationDocument, { id: selected.id }),
                  (d) => d.cancelOperation,
                )
              }
            />
          )}
        </section>
      )}
      {id && list && !selected && <p className="muted">Operation {id} is not among the latest 100.</p>}
      <p className="muted">{total} operations (the latest 100 shown)</p>
      <table className="operations">
        <thead>
          <tr>
            <th>Operation</th>
            <th>Type</th>
            <th>Target</th>
            <th>Phase</th>
            <th>Progress</th>
            <th>Current step</th>
            <th>Management cluster</th>
            <th>Requested by</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {(list ?? []).map((o) => (
            <tr key={o.id} className={o.id === id ? 'selected' : ''}>
              <td>
                <Link href={operationPath(o.id)}>{o.name}</Link>
              </td>
              <td>{o.type}</td>
              <td>
                <TargetLink target={o.target} />
              </td>
              <td>
                <PhaseBadge phase={o.phase} />
              </td>
              <td>
                <progress max={1} value={o.progress} aria-label={`progress of ${o.name}`} />{' '}
                {Math.round(o.progress * 100)}%
              </td>
              <td>{o.currentStep ?? ''}</td>
              <td>{o.managementCluster}</td>
              <td>{o.requestedBy}</td>
              <td>{o.createdAt ? new Date(o.createdAt).toLocaleString() : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
