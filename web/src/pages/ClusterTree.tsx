/**
 * The cluster as `clusterctl describe cluster` shows it: the Cluster, its infrastructure, the
 * control plane and its machines, each MachineDeployment → MachineSets → machines, MachinePools,
 * MachineHealthChecks. Conditions open per row, identical machines are grouped, each object's YAML
 * fetched when its row's YAML is opened.
 */
import { useState, type ReactNode } from 'react';
import type {
  DashClusterTreeFragment,
  DashConditionFragment,
  DashMachineFragment,
} from '../../generated/graphql.ts';
import { conditionHealth, HealthBadge, isNegativePolarity, type HealthInfo } from '../components/Health.tsx';
import { YamlPanel, YamlToggle } from '../components/YamlView.tsx';

export type Tree = DashClusterTreeFragment;

function summaryHealth(conditions: readonly DashConditionFragment[], deleting: boolean): HealthInfo {
  if (deleting) return { level: 'idle', text: 'Deleting' };
  const main =
    conditions.find((c) => c.type === 'Ready') ??
    conditions.find((c) => c.type === 'Available') ??
    conditions.find((c) => c.status === 'False' && !isNegativePolarity(c.type));
  if (!main) {
    if (conditions.length === 0) return { level: 'idle', text: 'no condition' };
    const unknown = conditions.filter((c) => c.status === 'Unknown').length;
    return unknown === 0
      ? { level: 'ok', text: 'no problem reported' }
      : { level: 'progress', text: `${unknown} conditions Unknown` };
  }
  return {
    level: conditionHealth(main.status, main.type),
    text: `${main.type}: ${main.status}${main.reason ? ` (${main.reason})` : ''}`,
  };
}

function Conditions({ conditions }: { conditions: readonly DashConditionFragment[] }) {
  return (
    <table className="conditions">
      <thead>
        <tr>
          <th>Type</th>
          <th>Status</th>
          <th>Reason</th>
          <th>Message</th>
          <th>Since</th>
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => (
          <tr key={c.type}>
            <td>{c.type}</td>
            <td>
              <HealthBadge health={{ level: conditionHealth(c.status, c.type), text: c.status }} />
            </td>
            <td>{c.reason ?? ''}</td>
            <td className="message">{c.message ?? ''}</td>
            <td>{c.lastTransitionTime ? new Date(c.lastTransitionTime).toLocaleTimeString() : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface RowProps {
  id: string;
  kind: string;
  name: string;
  detail?: ReactNode;
  conditions: readonly DashConditionFragment[];
  deleting?: boolean;
  actions?: ReactNode;
  children?: ReactNode;
  flash: ReadonlySet<string>;
}

export function TreeRow(props: RowProps) {
  const [open, setOpen] = useState(false);
  const [yamlOpen, setYamlOpen] = useState(false);
  const label = `${props.kind} ${props.name}`;
  return (
    <li className="tree-item" data-kind={props.kind} data-name={props.name}>
      <div className={`tree-row${props.flash.has(props.id) ? ' flash' : ''}`}>
        <span className="kind">{props.kind}</span> <span className="name">{props.name}</span>{' '}
        <HealthBadge health={summaryHealth(props.conditions, Boolean(props.deleting))} />{' '}
        {props.detail && <span className="detail">{props.detail}</span>}
        <span className="row-actions">
          {props.conditions.length > 0 && (
            <button
              type="button"
              className="small"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
              aria-label={`conditions of ${props.name}`}
            >
              {props.conditions.length} conditions
            </button>
          )}
          <YamlToggle open={yamlOpen} onToggle={() => setYamlOpen(!yamlOpen)} label={label} />
          {props.actions}
        </span>
      </div>
      {open && <Conditions conditions={props.conditions} />}
      {yamlOpen && <YamlPanel id={props.id} label={label} />}
      {props.children && <ul className="tree">{props.children}</ul>}
    </li>
  );
}

function counts(o: {
  desired?: number | null;
  replicas?: number | null;
  ready?: number | null;
  available?: number | null;
  upToDate?: number | null;
}): string {
  return `desired ${o.desired ?? '—'} · replicas ${o.replicas ?? 0} · ready ${o.ready ?? 0} · available ${o.available ?? 0} · up-to-date ${o.upToDate ?? 0}`;
}

export { counts };

/** Machines whose state reads the same (phase, version, conditions) are one row, like clusterctl. */
function groupKey(m: DashMachineFragment): string {
  return [
    m.phase,
    m.version,
    m.deletionTimestamp ? 'deleting' : '',
    ...m.conditions.map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`),
  ].join('|');
}

export function MachineList(props: {
  machines: readonly DashMachineFragment[];
  flash: ReadonlySet<string>;
  machineActions(machine: DashMachineFragment): ReactNode;
}) {
  const groups = new Map<string, DashMachineFragment[]>();
  for (const m of [...props.machines].sort((a, b) => a.name.localeCompare(b.name)))
    groups.set(groupKey(m), [...(groups.get(groupKey(m)) ?? []), m]);
  return (
    <>
      {[...groups.values()].map((group) =>
        group.length === 1 ? (
          <MachineRow
            key={group[0]!.id}
            machine={group[0]!}
            flash={props.flash}
            actions={props.machineActions(group[0]!)}
          />
        ) : (
          <MachineGroup key={group[0]!.id} group={group} {...props} />
        ),
      )}
    </>
  );
}

function MachineGroup(props: {
  group: DashMachineFragment[];
  flash: ReadonlySet<string>;
  machineActions(machine: DashMachineFragment): ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const first = props.group[0]!;
  const flashed = props.group.some((m) => props.flash.has(m.id));
  return (
    <li className="tree-item" data-kind="MachineGroup">
      <div className={`tree-row${flashed ? ' flash' : ''}`}>
        <span className="kind">{props.group.length} Machines</span>{' '}
        <span className="name">{props.group.map((m) => m.name).join(', ')}</span>{' '}
        <HealthBadge health={summaryHealth(first.conditions, Boolean(first.deletionTimestamp))} />{' '}
        <span className="detail">
          {first.phase ?? '—'} {first.version ?? ''}
        </span>
        <span className="row-actions">
          <button type="button" className="small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Group' : 'Show each'}
          </button>
        </span>
      </div>
      {open && (
        <ul className="tree">
          {props.group.map((m) => (
            <MachineRow key={m.id} machine={m} flash={props.flash} actions={props.machineActions(m)} />
          ))}
        </ul>
      )}
    </li>
  );
}

function MachineRow({
  machine,
  flash,
  actions,
}: {
  machine: DashMachineFragment;
  flash: ReadonlySet<string>;
  actions: ReactNode;
}) {
  return (
    <TreeRow
      id={machine.id}
      kind="Machine"
      name={machine.name}
      conditions={machine.conditions}
      deleting={Boolean(machine.deletionTimestamp)}
      flash={flash}
      detail={
        <>
          {machine.phase ?? '—'} {machine.version ?? ''} {machine.nodeName ? `node ${machine.nodeName}` : ''}
        </>
      }
      actions={actions}
    >
      {machine.infrastructureMachine && (
        <TreeRow
          id={machine.infrastructureMachine.id}
          kind={machine.infrastructureMachine.kind}
          name={machine.infrastructureMachine.name}
          conditions={machine.infrastructureMachine.conditions}
          flash={flash}
        />
      )}
      {machine.bootstrapConfig && (
        <TreeRow
          id={machine.bootstrapConfig.id}
          kind={machine.bootstrapConfig.kind}
          name={machine.bootstrapConfig.name}
          conditions={machine.bootstrapConfig.conditions}
          flash={flash}
        />
      )}
    </TreeRow>
  );
}

/** What changes on an object and is worth a highlight (its children are compared on their own). */
function signature(o: Record<string, unknown>): string {
  const keys = [
    'phase',
    'version',
    'desired',
    'replicas',
    'ready',
    'available',
    'upToDate',
    'paused',
    'deletionTimestamp',
    'nodeName',
    'conditions',
    'kubernetesVersion',
    'currentHealthy',
  ];
  return JSON.stringify(keys.map((k) => o[k]));
}

/** Every object of the tree by ID with its signature (for highlighting what changed). */
export function signatures(tree: Tree): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    if (typeof o.id === 'string' && typeof o.kind === 'string') out.set(o.id, signature(o));
    for (const [k, v] of Object.entries(o)) if (k !== 'labels' && k !== 'annotations') visit(v);
  };
  visit(tree);
  return out;
}
