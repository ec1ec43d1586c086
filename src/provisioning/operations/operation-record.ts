import type { KubeObject } from '../../k8s/kube-object.ts';
import type { ObjectAddress } from '../../capi/views.ts';
import { operationKind } from './operation-crd.ts';

export type OperationPhase = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export type StepPhase = OperationPhase;

export const terminalPhases: ReadonlySet<OperationPhase> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export interface StepStatus {
  name: string;
  phase: StepPhase;
  startedAt?: string;
  finishedAt?: string;
  /** What the step waits for, or why it failed, in the management cluster's terms. */
  message?: string;
  /** The step's action (its write) was done; a resumed driver does not write again. */
  acted?: boolean;
  /** metadata.generation of the object the action wrote, for checks that wait for it. */
  writtenGeneration?: number;
  /** 0..1 within the step, from what the management cluster reports (e.g. 2 of 3 machines). */
  progress?: number;
}

export interface OperationStatus {
  phase: OperationPhase;
  currentStep?: string;
  steps: StepStatus[];
  progress: number;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  /** The gateway replica that wrote this status. */
  drivenBy?: string;
  children: ObjectAddress[];
}

/** An Operation object as the gateway reads it (spec and status, with its own address). */
export interface OperationRecord {
  /** Its address (group capi-gateway.dev, kind Operation): global IDs encode it like any object's. */
  address: ObjectAddress;
  uid: string;
  resourceVersion: string;
  createdAt: string | null;
  type: string;
  /** What it changes (null for fleet-wide operations). */
  target: ObjectAddress | null;
  parent: ObjectAddress | null;
  input: Record<string, unknown>;
  requestedBy: string;
  /** The requester's groups when authentication recorded them; null for an operation recorded without. */
  requestedGroups: string[] | null;
  cancelRequested: boolean;
  status: OperationStatus;
}

const phases: ReadonlySet<string> = new Set(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function phaseOf(value: unknown): OperationPhase {
  return typeof value === 'string' && phases.has(value) ? (value as OperationPhase) : 'PENDING';
}

function addressOf(value: unknown, managementCluster: string): ObjectAddress | null {
  const a = record(value);
  const name = str(a['name']);
  const kind = str(a['kind']);
  if (!name || !kind) return null;
  return {
    managementCluster: str(a['managementCluster']) || managementCluster,
    group: str(a['group']) ?? '',
    kind,
    namespace: str(a['namespace']) ?? '',
    name,
  };
}

function stepOf(value: unknown): StepStatus | null {
  const s = record(value);
  const name = str(s['name']);
  if (!name) return null;
  return {
    name,
    phase: phaseOf(s['phase']),
    ...(str(s['startedAt']) ? { startedAt: str(s['startedAt']) } : {}),
    ...(str(s['finishedAt']) ? { finishedAt: str(s['finishedAt']) } : {}),
    ...(str(s['message']) ? { message: str(s['message']) } : {}),
    ...(s['acted'] === true ? { acted: true } : {}),
    ...(typeof s['writtenGeneration'] === 'number' ? { writtenGeneration: s['writtenGeneration'] } : {}),
    ...(typeof s['progress'] === 'number' ? { progress: s['progress'] } : {}),
  };
}

/** Reads an Operation object; anything malformed reads as its safe default, never throws. */
export function operationRecordOf(object: KubeObject, managementCluster: string): OperationRecord {
  const spec = record(object['spec']);
  const status = record(object['status']);
  const steps = Array.isArray(status['steps']) ? status['steps'].map(stepOf) : [];
  const children = Array.isArray(status['children'])
    ? status['children'].map((c) => addressOf(c, managementCluster))
    : [];
  return {
    address: {
      managementCluster,
      group: operationKind.group,
      kind: operationKind.kind,
      namespace: object.metadata.namespace ?? '',
      name: object.metadata.name,
    },
    uid: object.metadata.uid ?? '',
    resourceVersion: object.metadata.resourceVersion ?? '',
    createdAt: object.metadata.creationTimestamp ?? null,
    type: str(spec['type']) ?? '',
    target: addressOf(spec['target'], managementCluster),
    parent: addressOf(spec['parent'], managementCluster),
    input: record(spec['input']),
    requestedBy: str(spec['requestedBy']) ?? 'anonymous',
    requestedGroups: Array.isArray(spec['requestedGroups'])
      ? spec['requestedGroups'].filter((g): g is string => typeof g === 'string')
      : null,
    cancelRequested: spec['cancelRequested'] === true,
    status: {
      phase: phaseOf(status['phase']),
      ...(str(status['currentStep']) ? { currentStep: str(status['currentStep']) } : {}),
      steps: steps.filter((s): s is StepStatus => s !== null),
      progress: typeof status['progress'] === 'number' ? status['progress'] : 0,
      ...(str(status['startedAt']) ? { startedAt: str(status['startedAt']) } : {}),
      ...(str(status['finishedAt']) ? { finishedAt: str(status['finishedAt']) } : {}),
      ...(str(status['error']) ? { error: str(status['error']) } : {}),
      ...(str(status['drivenBy']) ? { drivenBy: str(status['drivenBy']) } : {}),
      children: children.filter((c): c is ObjectAddress => c !== null),
    },
  };
}

export function isTerminal(op: OperationRecord): boolean {
  return terminalPhases.has(op.status.phase);
}
