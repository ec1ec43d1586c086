/**
 * The actions of one cluster, each with a confirmation and its typed error shown next to it:
 * scale, upgrade (the plan first), pause / resume, rollout, delete machine, delete cluster.
 */
import { useState, type ReactNode } from 'react';
import { request } from '../api.ts';
import {
  DashDeleteClusterDocument,
  DashDeleteMachineDocument,
  DashPauseClusterDocument,
  DashPlanUpgradeDocument,
  DashResumeClusterDocument,
  DashRolloutControlPlaneDocument,
  DashRolloutMachineDeploymentDocument,
  DashScaleControlPlaneDocument,
  DashScaleMachineDeploymentDocument,
  DashScaleMachinePoolDocument,
  DashUpgradeClusterDocument,
  type DashOperationFragment,
  type DashPlanUpgradeQuery,
} from '../../generated/graphql.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { useAction } from '../components/useAction.ts';

type Started = (operation: DashOperationFragment) => void;

interface Pending {
  title: string;
  body?: ReactNode;
  label: string;
  danger?: boolean;
  typeToConfirm?: string;
  go(): void;
}

/** A button (or small form) whose action runs after a confirmation; its error stays beside it. */
function useConfirm() {
  const [pending, setPending] = useState<Pending>();
  const dialog = pending && (
    <ConfirmDialog
      title={pending.title}
      confirmLabel={pending.label}
      danger={pending.danger}
      typeToConfirm={pending.typeToConfirm}
      onCancel={() => setPending(undefined)}
      onConfirm={() => {
        setPending(undefined);
        pending.go();
      }}
    >
      {pending.body}
    </ConfirmDialog>
  );
  return { ask: setPending, dialog };
}

export type ScaleKind = 'controlPlane' | 'machineDeployment' | 'machinePool';

export function ScaleAction(props: {
  kind: ScaleKind;
  id: string;
  name: string;
  current: number | null | undefined;
  onStarted: Started;
}) {
  const [replicas, setReplicas] = useState(String(props.current ?? 1));
  const action = useAction(props.onStarted);
  const { ask, dialog } = useConfirm();
  const send = (n: number) => {
    if (props.kind === 'controlPlane')
      return action.run(
        () => request(DashScaleControlPlaneDocument, { id: props.id, replicas: n }),
        (d) => d.scaleControlPlane,
      );
    if (props.kind === 'machineDeployment')
      return action.run(
        () => request(DashScaleMachineDeploymentDocument, { id: props.id, replicas: n }),
        (d) => d.scaleMachineDeployment,
      );
    return action.run(
      () => request(DashScaleMachinePoolDocument, { id: props.id, replicas: n }),
      (d) => d.scaleMachinePool,
    );
  };
  return (
    <span className="action">
      <form
        className="inline"
        aria-label={`scale ${props.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(replicas);
          ask({ title: `Scale ${props.name} to ${n}?`, label: 'Scale', go: () => void send(n) });
        }}
      >
        <input
          type="number"
          min={0}
          value={replicas}
          onChange={(e) => setReplicas(e.target.value)}
          aria-label={`replicas of ${props.name}`}
          className="narrow"
        />
        <button type="submit" className="small" disabled={action.busy}>
          Scale
        </button>
      </form>
      {dialog}
      {action.error && <ErrorView error={action.error} />}
    </span>
  );
}

export function SimpleAction(props: {
  label: string;
  title: string;
  danger?: boolean;
  typeToConfirm?: string;
  body?: ReactNode;
  send(run: ReturnType<typeof useAction>['run']): Promise<void>;
  onStarted: Started;
}) {
  const action = useAction(props.onStarted);
  const { ask, dialog } = useConfirm();
  return (
    <span className="action">
      <button
        type="button"
        className={`small${props.danger ? ' danger' : ''}`}
        disabled={action.busy}
        onClick={() =>
          ask({
            title: props.title,
            label: props.label,
            danger: props.danger,
            typeToConfirm: props.typeToConfirm,
            body: props.body,
            go: () => void props.send(action.run),
          })
        }
      >
        {props.label}
      </button>
      {dialog}
      {action.error && <ErrorView error={action.error} />}
    </span>
  );
}

export const rolloutControlPlane = (id: string) => (run: ReturnType<typeof useAction>['run']) =>
  run(
    () => request(DashRolloutControlPlaneDocument, { id }),
    (d) => d.rolloutControlPlane,
  );
export const rolloutMachineDeployment = (id: string) => (run: ReturnType<typeof useAction>['run']) =>
  run(
    () => request(DashRolloutMachineDeploymentDocument, { id }),
    (d) => d.rolloutMachineDeployment,
  );
export const deleteMachine = (id: string) => (run: ReturnType<typeof useAction>['run']) =>
  run(
    () => request(DashDeleteMachineDocument, { id }),
    (d) => d.deleteMachine,
  );

type Plan = DashPlanUpgradeQuery['planUpgrade'];

function PlanView({ plan }: { plan: Extract<Plan, { __typename: 'UpgradePlan' }> }) {
  return (
    <div className="plan" aria-label="upgrade plan">
      <p>
        {plan.topology
          ? 'ClusterClass cluster: CAPI orchestrates once spec.topology.version is set.'
          : 'Plain cluster: the control plane first, then each worker pool.'}{' '}
        Control plane now {plan.currentControlPlaneVersion ?? '—'}, workers{' '}
        {plan.currentWorkerVersions.join(', ') || '—'}.
      </p>
      <ol>
        {plan.steps.map((s) => (
          <li key={s.name}>
            {s.kind} <strong>{s.name}</strong> {s.fromVersion ?? '?'} → {plan.targetVersion} ({s.machineCount}{' '}
            machines replaced)
          </li>
        ))}
      </ol>
      {plan.blockers.length > 0 && (
        <div className="error" role="alert">
          Blocked:
          <ul>
            {plan.blockers.map((b, i) => (
              <li key={i}>
                <code>{b.code}</code>: {b.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export function UpgradeAction(props: {
  id: string;
  name: string;
  current: string | null | undefined;
  onStarted: Started;
}) {
  const [version, setVersion] = useState('');
  const [plan, setPlan] = useState<Plan>();
  const [planError, setPlanError] = useState<string>();
  const action = useAction((operation) => {
    setPlan(undefined);
    props.onStarted(operation);
  });
  const { ask, dialog } = useConfirm();
  const loadPlan = async (): Promise<void> => {
    setPlanError(undefined);
    action.clear();
    const result = await request(DashPlanUpgradeDocument, { id: props.id, version: version.trim() });
    if (!result.ok) return setPlanError(result.error.message);
    setPlan(result.data.planUpgrade);
  };
  const upgrade = () =>
    ask({
      title: `Upgrade ${props.name} to ${version.trim()}?`,
      label: 'Upgrade',
      body: plan?.__typename === 'UpgradePlan' ? <PlanView plan={plan} /> : undefined,
      go: () =>
        void action.run(
          () => request(DashUpgradeClusterDocument, { id: props.id, version: version.trim() }),
          (d) => d.upgradeCluster,
        ),
    });
  return (
    <div className="action upgrade">
      <form
        className="inline"
        aria-label="upgrade"
        onSubmit={(e) => {
          e.preventDefault();
          void loadPlan();
        }}
      >
        <label>
          Upgrade from {props.current ?? '—'} to{' '}
          <input
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            placeholder="v1.34.0"
            aria-label="target version"
            required
          />
        </label>
        <button type="submit" className="small">
          Plan upgrade
        </button>
        {plan?.__typename === 'UpgradePlan' && (
          <button type="button" className="small primary" onClick={upgrade} disabled={action.busy}>
            Upgrade…
          </button>
        )}
      </form>
      {planError && <div className="error">{planError}</div>}
      {plan?.__typename === 'UpgradePlan' && <PlanView plan={plan} />}
      {plan && plan.__typename !== 'UpgradePlan' && (
        <ErrorView error={plan as { __typename: string; message: string }} />
      )}
      {dialog}
      {action.error && <ErrorView error={action.error} />}
    </div>
  );
}

export function ClusterLevelActions(props: {
  id: string;
  name: string;
  paused: boolean;
  onStarted: Started;
}) {
  return (
    <div className="cluster-actions">
      {props.paused ? (
        <SimpleAction
          label="Resume"
          title={`Resume reconciliation of ${props.name}?`}
          onStarted={props.onStarted}
          send={(run) =>
            run(
              () => request(DashResumeClusterDocument, { id: props.id }),
              (d) => d.resumeCluster,
            )
          }
        />
      ) : (
        <SimpleAction
          label="Pause"
          title={`Pause reconciliation of ${props.name}?`}
          body={<p>CAPI stops reconciling the cluster and everything it owns until it is resumed.</p>}
          onStarted={props.onStarted}
          send={(run) =>
            run(
              () => request(DashPauseClusterDocument, { id: props.id }),
              (d) => d.pauseCluster,
            )
          }
        />
      )}
      <SimpleAction
        label="Delete cluster"
        title={`Delete ${props.name}?`}
        danger
        typeToConfirm={props.name}
        body={
          <p>
            CAPI removes the workers, then the control plane, then the infrastructure. This cannot be undone.
          </p>
        }
        onStarted={props.onStarted}
        send={(run) =>
          run(
            () => request(DashDeleteClusterDocument, { id: props.id }),
            (d) => d.deleteCluster,
          )
        }
      />
    </div>
  );
}
