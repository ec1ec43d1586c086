import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/k8s/domain-error.ts';
import {
  advanceOperation,
  type AdvanceContext,
} from '../../../src/provisioning/operations/advance-operation.ts';
import type {
  OperationRecord,
  OperationStatus,
} from '../../../src/provisioning/operations/operation-record.ts';
import {
  done,
  failed,
  waiting,
  type OperationType,
  type StepOutcome,
} from '../../../src/provisioning/operations/operation-type.ts';

function operation(status: Partial<OperationStatus> = {}, cancelRequested = false): OperationRecord {
  return {
    address: {
      managementCluster: 'mc',
      group: 'capi-gateway.dev',
      kind: 'Operation',
      namespace: 'ns',
      name: 'op',
    },
    uid: 'u',
    resourceVersion: '1',
    createdAt: null,
    type: 'Test',
    target: null,
    parent: null,
    input: {},
    requestedBy: 'anonymous',
    requestedGroups: null,
    cancelRequested,
    status: { phase: 'PENDING', steps: [], progress: 0, children: [], ...status },
  };
}

/** A context whose persist records what would be written; the clock is fixed. */
function context() {
  const persisted: OperationStatus[] = [];
  const ctx = {
    identity: 'me',
    now: () => new Date('2026-01-01T00:00:00Z'),
    persist: (op: OperationRecord, status: OperationStatus): Promise<Result<OperationRecord>> => {
      persisted.push(status);
      return Promise.resolve({ ok: true, value: { ...op, status } });
    },
  } as unknown as AdvanceContext;
  return { ctx, persisted };
}

function twoSteps(
  first: () => StepOutcome,
  act?: () => Result<void>,
): { type: OperationType; acts: number[] } {
  const acts: number[] = [];
  return {
    acts,
    type: {
      name: 'Test',
      steps: () => [
        { name: 'one', check: first },
        {
          name: 'two',
          act: () => {
            acts.push(1);
            return Promise.resolve(act?.() ?? { ok: true, value: undefined });
          },
          check: () => waiting('two is waiting', 0.5),
        },
      ],
    },
  };
}

describe('advancing an operation', () => {
  it('goes through every step that is done, acts once, and reports progress from the waiting step', async () => {
    const { ctx } = context();
    const { type, acts } = twoSteps(() => done());
    const first = await advanceOperation(operation(), type, ctx);
    expect(first.ok && first.value.status).toMatchObject({
      phase: 'RUNNING',
      currentStep: 'two',
      progress: 0.75,
      drivenBy: 'me',
      steps: [
        { name: 'one', phase: 'SUCCEEDED' },
        { name: 'two', phase: 'RUNNING', acted: true, message: 'two is waiting', progress: 0.5 },
      ],
    });
    const again = await advanceOperation(first.ok ? first.value : operation(), type, ctx);
    expect(again.ok).toBe(true);
    expect(acts).toHaveLength(1);
  });

  it('persists nothing when nothing changed', async () => {
    const { ctx, persisted } = context();
    const { type } = twoSteps(() => waiting('one is waiting'));
    const first = await advanceOperation(operation(), type, ctx);
    await advanceOperation(first.ok ? first.value : operation(), type, ctx);
    expect(persisted).toHaveLength(1);
  });

  it('fails the operation with the failing step and its message', async () => {
    const { ctx } = context();
    const { type, acts } = twoSteps(() => failed('the Cluster is gone'));
    const result = await advanceOperation(operation(), type, ctx);
    expect(result.ok && result.value.status).toMatchObject({
      phase: 'FAILED',
      error: 'one: the Cluster is gone',
      steps: [{ phase: 'FAILED' }, { phase: 'PENDING' }],
    });
    expect(acts).toHaveLength(0);
  });

  it('retries an action the management cluster could not take, and fails on one it refused', async () => {
    const { ctx } = context();
    const unavailable = twoSteps(
      () => done(),
      () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'connection refused' } }),
    );
    const retried = await advanceOperation(operation(), unavailable.type, ctx);
    expect(retried.ok && retried.value.status).toMatchObject({
      phase: 'RUNNING',
      steps: [{ phase: 'SUCCEEDED' }, { phase: 'RUNNING', message: 'connection refused' }],
    });
    const forbidden = twoSteps(
      () => done(),
      () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } }),
    );
    const refused = await advanceOperation(operation(), forbidden.type, ctx);
    // A 403 is the API server refusing the requester (their RBAC): the step says Forbidden.
    expect(refused.ok && refused.value.status).toMatchObject({
      phase: 'FAILED',
      error: 'two: Forbidden: no',
      steps: [{ phase: 'SUCCEEDED' }, { phase: 'FAILED', message: 'Forbidden: no' }],
    });
  });

  it('cancels before any further step acts, and fails operations of an unknown type', async () => {
    const { ctx } = context();
    const { type, acts } = twoSteps(() => done());
    const cancelled = await advanceOperation(operation({}, true), type, ctx);
    expect(cancelled.ok && cancelled.value.status.phase).toBe('CANCELLED');
    expect(acts).toHaveLength(0);
    const unknown = await advanceOperation(operation(), undefined, ctx);
    expect(unknown.ok && unknown.value.status).toMatchObject({
      phase: 'FAILED',
      error: "no operation type 'Test' is known to this gateway",
    });
  });
});
