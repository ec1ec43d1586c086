import type { OperationRecord, StepStatus } from '../../src/provisioning/operations/operation-record.ts';
import {
  cancelOperation,
  childrenOf,
  operation,
  operationId,
  operationsConnection,
  parentOf,
  targetIdOf,
  targetOf,
} from '../../resolvers/operations.ts';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../../resolvers/errors.ts';
import type { Page } from '../../resolvers/pagination.ts';
import { builder } from '../builder.ts';

export const OperationPhaseEnum = builder.enumType('OperationPhase', {
  values: {
    PENDING: { description: 'Recorded; no driver has started it yet.' },
    RUNNING: { description: 'A driver is advancing it, step by step.' },
    SUCCEEDED: { description: 'Every step is done, as the management cluster reports it.' },
    FAILED: { description: 'A step failed; `error` says which and why.' },
    CANCELLED: { description: 'Stopped on request before its last step.' },
  } as const,
});

const OperationStepRef = builder.objectRef<StepStatus>('OperationStep').implement({
  description: 'One step of an operation, as its driver last recorded it.',
  fields: (t) => ({
    name: t.exposeString('name'),
    phase: t.field({ type: OperationPhaseEnum, resolve: (s) => s.phase }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.startedAt ?? null }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.finishedAt ?? null }),
    message: t.string({
      nullable: true,
      description: 'What the step waits for, or why it failed, in the management cluster’s terms.',
      resolve: (s) => s.message ?? null,
    }),
  }),
});

export const OperationRef = builder.objectRef<OperationRecord>('Operation');

builder.node(OperationRef, {
  description:
    'A change to the fleet, tracked from request to end state. Stored in the management cluster ' +
    'it changes (kind Operation, capi-gateway.dev/v1alpha1: `kubectl get operations -A`).',
  id: { resolve: (op) => operationId(op) },
  fields: (t) => ({
    type: t.exposeString('type', { description: 'What kind of change, e.g. CreateCluster.' }),
    phase: t.field({ type: OperationPhaseEnum, resolve: (op) => op.status.phase }),
    name: t.string({ resolve: (op) => op.address.name }),
    namespace: t.string({ resolve: (op) => op.address.namespace }),
    managementCluster: t.string({ resolve: (op) => op.address.managementCluster }),
    target: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      description: 'What it changes, as it is now (null once deleted, or for fleet-wide operations).',
      resolve: (op, _args, ctx) => targetOf(ctx, op) as never,
    }),
    targetId: t.id({
      nullable: true,
      description: 'The global ID of what it changes, also once that is gone.',
      resolve: (op) => targetIdOf(op),
    }),
    steps: t.field({ type: [OperationStepRef], resolve: (op) => op.status.steps }),
    currentStep: t.string({ nullable: true, resolve: (op) => op.status.currentStep ?? null }),
    progress: t.float({
      description: '0..1: steps done, plus the current step’s share as the management cluster reports it.',
      resolve: (op) => op.status.progress,
    }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (op) => op.createdAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (op) => op.status.startedAt ?? null }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (op) => op.status.finishedAt ?? null }),
    requestedBy: t.exposeString('requestedBy', {
      description: "Who asked ('anonymous' without authentication).",
    }),
    input: t.field({
      type: 'JSON',
      description: 'The request as the mutation recorded it.',
      resolve: (op) => op.input,
    }),
    error: t.string({ nullable: true, resolve: (op) => op.status.error ?? null }),
    cancelRequested: t.exposeBoolean('cancelRequested'),
    drivenBy: t.string({
      nullable: true,
      description: 'The gateway replica that last advanced it.',
      resolve: (op) => op.status.drivenBy ?? null,
    }),
    children: t.field({ type: [OperationRef], resolve: (op, _args, ctx) => childrenOf(ctx, op) }),
    parent: t.field({ type: OperationRef, nullable: true, resolve: (op, _args, ctx) => parentOf(ctx, op) }),
  }),
});

const OperationFilterInput = builder.inputType('OperationFilter', {
  fields: (t) => ({
    managementCluster: t.string(),
    namespace: t.string(),
    types: t.stringList({ description: 'Any of these types, e.g. ["CreateCluster"].' }),
    phases: t.field({ type: [OperationPhaseEnum] }),
    targetId: t.id({ description: 'Operations on this object (its global ID).' }),
    requestedBy: t.string(),
    includeChildren: t.boolean({ description: 'false: leave out the children of other operations.' }),
  }),
});

builder.queryFields((t) => ({
  operation: t.field({
    type: OperationRef,
    nullable: true,
    description: 'One operation by its ID (null when none has it).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => operation(ctx, String(args.id)),
  }),
  operations: t.connection(
    {
      type: OperationRef,
      description: 'The history: every operation on every management cluster, newest first.',
      args: { filter: t.arg({ type: OperationFilterInput }) },
      resolve: (_root, args, ctx) =>
        operationsConnection(ctx, {
          ...args,
          filter: args.filter
            ? { ...args.filter, targetId: args.filter.targetId == null ? null : String(args.filter.targetId) }
            : null,
        }),
    },
    {
      name: 'OperationConnection',
      fields: (tc) => ({
        totalCount: tc.int({
          description: 'How many operations match the filter, on every page together.',
          resolve: (c) => (c as unknown as Page<OperationRecord>).totalCount,
        }),
      }),
    },
  ),
}));

const CancelOperationPayload = builder
  .objectRef<{ operation: OperationRecord }>('CancelOperationPayload')
  .implement({
    fields: (t) => ({ operation: t.field({ type: OperationRef, resolve: (p) => p.operation }) }),
  });

builder.mutationField('cancelOperation', (t) =>
  t.field({
    type: CancelOperationPayload,
    description:
      'Stops an operation at its next step boundary: no new step starts and no further write is made. ' +
      'What the management cluster already does (a rollout CAPI started) carries on.',
    args: { id: t.arg.id({ required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ConflictError, UnavailableError],
      directResult: true,
      union: { name: 'CancelOperationResult' },
    },
    resolve: (_root, args, ctx) => cancelOperation(ctx, String(args.id)),
  }),
);
