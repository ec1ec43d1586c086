/** What an operation changes, as a link to its cluster's page. */
import type { DashOperationTargetFragment } from '../../generated/graphql.ts';
import { clusterPath } from '../router.ts';
import { Link } from './Link.tsx';

export function TargetLink({ target }: { target: DashOperationTargetFragment | null | undefined }) {
  if (!target || !('name' in target)) return <span className="muted">the fleet</span>;
  const clusterName =
    target.__typename === 'Cluster' ? target.name : 'cluster' in target ? target.cluster?.name : undefined;
  const label = `${target.kind} ${target.name}`;
  if (!clusterName) return <span>{label}</span>;
  return (
    <Link href={clusterPath(target.managementCluster.name, target.namespace, clusterName)}>{label}</Link>
  );
}
