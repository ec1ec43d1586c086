/**
 * Who an operation's writes are made as: read from the Operation object (requestedBy,
 * requestedGroups), so any replica acts as the same user; and the Operation CRD gaining
 * spec.requestedGroups where an older one is installed.
 */
import { describe, expect, it } from 'vitest';
import type { DomainError, Result } from '../../../src/k8s/domain-error.ts';
import type { KubeObject } from '../../../src/k8s/kube-object.ts';
import { unavailableWriter, type KubeWriter } from '../../../src/k8s/kube-writer.ts';
import { actorOf } from '../../../src/provisioning/operations/operation-actor.ts';
import { ensureOperationCrd, operationCrd } from '../../../src/provisioning/operations/operation-crd.ts';
import { operationRecordOf } from '../../../src/provisioning/operations/operation-record.ts';

const operationObject = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'capi-gateway.dev/v1alpha1',
  kind: 'Operation',
  metadata: { name: 'op', namespace: 'ns', uid: 'u', resourceVersion: '1' },
  spec: { type: 'ScaleMachineDeployment', ...spec },
});

describe('the actor of an operation', () => {
  it('is the requester with the recorded groups, on any replica', () => {
    const record = operationRecordOf(
      operationObject({ requestedBy: 'alice', requestedGroups: ['ops', 'system:authenticated'] }),
      'mc',
    );
    expect(record.requestedGroups).toEqual(['ops', 'system:authenticated']);
    expect(actorOf(record)).toEqual({ user: 'alice', groups: ['ops', 'system:authenticated'] });
    // Recorded with authentication but no groups: still the user (kube adds system:authenticated).
    expect(
      actorOf(operationRecordOf(operationObject({ requestedBy: 'carol', requestedGroups: [] }), 'mc')),
    ).toEqual({ user: 'carol', groups: [] });
  });

  it('is the gateway itself for an operation recorded without authentication', () => {
    const anonymous = operationRecordOf(operationObject({ requestedBy: 'anonymous' }), 'mc');
    expect(anonymous.requestedGroups).toBeNull();
    expect(actorOf(anonymous)).toBeUndefined();
    expect(actorOf(operationRecordOf(operationObject({}), 'mc'))).toBeUndefined();
  });

  it('is the named user without groups (never the gateway) when the groups were not recorded', () => {
    expect(actorOf(operationRecordOf(operationObject({ requestedBy: 'alice' }), 'mc'))).toEqual({
      user: 'alice',
      groups: [],
    });
  });
});

/** A writer over one stored CRD, recording the patches it was sent. */
function crdWriter(stored: KubeObject | null, patchError?: DomainError) {
  const patches: Array<Record<string, unknown>> = [];
  const created: KubeObject[] = [];
  const notFound: Result<KubeObject> = { ok: false, error: { code: 'NOT_FOUND', message: 'gone' } };
  const writer: KubeWriter = {
    ...unavailableWriter('not in this test'),
    read: () => Promise.resolve(stored ? { ok: true, value: stored } : notFound),
    create: (_target, object) => {
      created.push(object as KubeObject);
      return Promise.resolve({ ok: true, value: object as KubeObject });
    },
    mergePatch: (_target, _key, patch) => {
      patches.push(patch);
      return Promise.resolve(patchError ? { ok: false, error: patchError } : { ok: true, value: stored! });
    },
  };
  return { writer, patches, created };
}

/** The CRD as a gateway from before spec.requestedGroups installed it. */
function olderCrd(): KubeObject {
  const crd = structuredClone(operationCrd) as KubeObject & {
    spec: {
      versions: Array<{
        schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } };
      }>;
    };
  };
  delete crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties['requestedGroups'];
  crd.metadata.resourceVersion = '7';
  return crd;
}

describe('ensureOperationCrd', () => {
  it('creates a missing CRD, and leaves one with spec.requestedGroups alone', async () => {
    const missing = crdWriter(null);
    expect(await ensureOperationCrd(missing.writer)).toEqual({ ok: true, value: undefined });
    expect(missing.created).toHaveLength(1);
    const current = crdWriter(structuredClone(operationCrd));
    expect(await ensureOperationCrd(current.writer)).toEqual({ ok: true, value: undefined });
    expect(current.patches).toEqual([]);
  });

  it('patches an installed CRD that lacks spec.requestedGroups (the API server would prune it)', async () => {
    const older = crdWriter(olderCrd());
    expect(await ensureOperationCrd(older.writer)).toEqual({ ok: true, value: undefined });
    expect(older.patches).toEqual([
      { spec: { versions: (operationCrd['spec'] as { versions: unknown }).versions } },
    ]);
  });

  it('a CRD it may not patch is a notice, not a stop; a conflict is retried', async () => {
    const forbidden = crdWriter(olderCrd(), { code: 'FORBIDDEN', message: 'cannot patch' });
    const answer = await ensureOperationCrd(forbidden.writer);
    expect(answer.ok).toBe(true);
    expect(answer.ok && answer.value).toMatch(/lacks spec.requestedGroups and cannot be updated/);
    const conflict = crdWriter(olderCrd(), { code: 'CONFLICT', message: 'changed' });
    expect(await ensureOperationCrd(conflict.writer)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });
});
