/**
 * `--wait` against a gateway lost on the way: the operation goes on in the gateway, so the CLI
 * waits for it and follows the reopened stream (which starts with the operation as it is now),
 * instead of failing with exit 2 while the operation may still succeed.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ClientError, GatewayClient, OperationFieldsFragment } from '../../client/index.ts';
import { followOperation } from '../../src/cli/commands/follow-operation.ts';

type Step = OperationFieldsFragment['steps'][number];

function operation(phase: OperationFieldsFragment['phase'], steps: Array<[string, Step['phase']]>) {
  return {
    id: 'op-1',
    name: 'scale-md-1',
    namespace: 'default',
    managementCluster: 'mc',
    type: 'ScaleMachineDeployment',
    phase,
    progress: phase === 'SUCCEEDED' ? 1 : 0.5,
    currentStep: null,
    requestedBy: 'anonymous',
    createdAt: null,
    startedAt: null,
    finishedAt: null,
    error: null,
    cancelRequested: false,
    targetId: null,
    target: null,
    parent: null,
    steps: steps.map(([name, p]) => ({ name, phase: p, message: null, startedAt: null, finishedAt: null })),
  } as unknown as OperationFieldsFragment;
}

type Event =
  { ok: true; data: { operationUpdated: OperationFieldsFragment } } | { ok: false; error: ClientError };

/** A client whose nth subscription yields the nth list of events, then ends. */
function scriptedClient(streams: Event[][]): GatewayClient & { opened: number } {
  const client = {
    url: 'http://gateway.test/graphql',
    opened: 0,
    async request() {
      throw new Error('not used');
    },
    async *subscribe() {
      const events = streams[client.opened++] ?? [];
      for (const e of events) yield e.ok ? { ...e, partial: [] } : e;
    },
    async close() {},
  };
  return client as unknown as GatewayClient & { opened: number };
}

const lost: Event = {
  ok: false,
  error: { kind: 'unreachable', url: 'http://gateway.test/graphql', message: 'closed 1006' },
};

describe('--wait follows an operation through a lost gateway', () => {
  it('reopens the stream after the connection drops and ends with the operation', async () => {
    const running = operation('RUNNING', [
      ['patch', 'SUCCEEDED'],
      ['wait for replicas', 'RUNNING'],
    ]);
    const done = operation('SUCCEEDED', [
      ['patch', 'SUCCEEDED'],
      ['wait for replicas', 'SUCCEEDED'],
    ]);
    const client = scriptedClient([
      [{ ok: true, data: { operationUpdated: running } }, lost],
      [lost],
      [{ ok: true, data: { operationUpdated: done } }],
    ]);
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));

    const end = await followOperation(client, running, out as unknown as NodeJS.WriteStream);

    expect(end.phase).toBe('SUCCEEDED');
    expect(client.opened).toBe(3);
    const lines = text.trimEnd().split('\n');
    expect(lines).toContain(
      'warning: lost the gateway at http://gateway.test/graphql (closed 1006); retrying',
    );
    expect(lines).toContain('reconnected to the gateway at http://gateway.test/graphql');
    expect(lines.at(-1)).toBe('operation default/scale-md-1 SUCCEEDED');
    expect(lines.filter((l) => l.startsWith('warning:'))).toHaveLength(1);
  });

  it('an operation that ended while the gateway was away is read from the reopened stream', async () => {
    const running = operation('RUNNING', [['patch', 'RUNNING']]);
    const failed = {
      ...operation('FAILED', [['patch', 'FAILED']]),
      error: 'replicas were changed by another request',
    };
    const client = scriptedClient([[lost], [{ ok: true, data: { operationUpdated: failed } }]]);
    const out = new PassThrough();
    const end = await followOperation(client, running, out as unknown as NodeJS.WriteStream);
    expect(end).toMatchObject({ phase: 'FAILED', error: 'replicas were changed by another request' });
  });
});
