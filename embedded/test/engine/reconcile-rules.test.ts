/** The engine's pure rules: timing, rollout arithmetic, deletion order, versions, contracts, conditions. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../apiserver/admission.ts';
import { mergeConditions } from '../../controllers/conditions.ts';
import { remediationAllowed } from '../../controllers/machine-health-check-controller.ts';
import { resolveIntOrPercent } from '../../controllers/machine-deployment-controller.ts';
import { machinesToDelete } from '../../controllers/machine-set-controller.ts';
import {
  desiredTemplateHash,
  rolloutAfterPassed,
  untilRolloutAfter,
} from '../../controllers/machine-up-to-date.ts';
import { resolveFromCrd } from '../../controllers/object-cache.ts';
import { parseGoDuration, stepSeconds } from '../../controllers/simulation.ts';
import { nextVersionToward } from '../../controllers/topology-reconciler.ts';
import { WorkQueue } from '../../controllers/work-queue.ts';

const object = (partial: Partial<KubeObject> & { metadata: KubeObject['metadata'] }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'X',
  ...partial,
});

describe('simulated timing', () => {
  it('parses Go durations', () => {
    expect(parseGoDuration('10s')).toBe(10);
    expect(parseGoDuration('1m30s')).toBe(90);
    expect(parseGoDuration('500ms')).toBe(0.5);
    expect(parseGoDuration('soon')).toBeUndefined();
  });

  it('reads DevMachine start-up durations with a jitter that is stable per machine', () => {
    const dev = object({
      metadata: { name: 'm', uid: 'u-1' },
      spec: {
        backend: { inMemory: { vm: { provisioning: { startupDuration: '10s', startupJitter: '0.2' } } } },
      },
    });
    const seconds = stepSeconds(dev, 'vm');
    expect(seconds).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeLessThanOrEqual(12);
    expect(stepSeconds(dev, 'vm')).toBe(seconds);
    // Kinds without inMemory settings get the defaults.
    expect(stepSeconds(object({ metadata: { name: 'd', uid: 'u-2' } }), 'vm')).toBeGreaterThanOrEqual(5);
  });
});

describe('rollout arithmetic and deletion order', () => {
  it('resolves int-or-percent the way Kubernetes rounds', () => {
    expect(resolveIntOrPercent('25%', 5, 1, true)).toBe(2);
    expect(resolveIntOrPercent('25%', 5, 0, false)).toBe(1);
    expect(resolveIntOrPercent(3, 5, 1, true)).toBe(3);
    expect(resolveIntOrPercent(undefined, 5, 1, true)).toBe(1);
  });

  it('deletes annotated machines first, then unhealthy, then by order', () => {
    const ready = { conditions: [{ type: 'Ready', status: 'True' }] };
    const m = (name: string, created: string, extra: Partial<KubeObject> = {}): KubeObject =>
      object({ metadata: { name, uid: name, creationTimestamp: created }, status: ready, ...extra });
    const old = m('old', '2026-01-01T00:00:00Z');
    const young = m('young', '2026-01-03T00:00:00Z');
    const sick = m('sick', '2026-01-02T00:00:00Z', {
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    });
    const marked = m('marked', '2026-01-02T00:00:00Z', {
      metadata: { name: 'marked', uid: 'marked', annotations: { 'cluster.x-k8s.io/delete-machine': '' } },
    });
    expect(machinesToDelete([old, young, sick, marked], 2, 'Oldest').map((x) => x.metadata.name)).toEqual([
      'marked',
      'sick',
    ]);
    expect(machinesToDelete([old, young], 1, 'Oldest')[0]?.metadata.name).toBe('old');
    expect(machinesToDelete([old, young], 1, 'Newest')[0]?.metadata.name).toBe('young');
  });

  it('hashes the machine template without the labels CAPI adds, and honours rollout.after', () => {
    const md = (labels: Record<string, string>): KubeObject =>
      object({
        metadata: { name: 'md' },
        spec: { template: { metadata: { labels }, spec: { version: 'v1.33.0' } } },
      });
    expect(desiredTemplateHash(md({ a: 'b', 'machine-template-hash': 'x' }))).toBe(
      desiredTemplateHash(md({ a: 'b' })),
    );
    expect(desiredTemplateHash(md({ a: 'c' }))).not.toBe(desiredTemplateHash(md({ a: 'b' })));
    const owner = object({ metadata: { name: 'md' }, spec: { rollout: { after: '2026-01-02T00:00:00Z' } } });
    expect(rolloutAfterPassed(owner, '2026-01-01T00:00:00Z', Date.parse('2026-01-03T00:00:00Z'))).toBe(true);
    expect(rolloutAfterPassed(owner, '2026-01-01T00:00:00Z', Date.parse('2026-01-01T12:00:00Z'))).toBe(false);
    expect(rolloutAfterPassed(owner, '2026-01-02T01:00:00Z', Date.parse('2026-01-03T00:00:00Z'))).toBe(false);
    // A future moment: requeue just past it (at most an hour ahead); none once it has passed.
    expect(untilRolloutAfter(owner, Date.parse('2026-01-01T23:59:58Z'))).toBeGreaterThanOrEqual(2_000);
    expect(untilRolloutAfter(owner, Date.parse('2026-01-01T23:59:58Z'))).toBeLessThan(2_100);
    expect(untilRolloutAfter(owner, Date.parse('2026-01-01T00:00:00Z'))).toBe(3_600_000);
    expect(untilRolloutAfter(owner, Date.parse('2026-01-02T00:00:00Z'))).toBeUndefined();
  });
});

describe('versions, contracts, health-check limits', () => {
  it('steps one minor at a time through the class kubernetesVersions', () => {
    expect(nextVersionToward('v1.31.0', 'v1.33.1', ['v1.31.0', 'v1.32.2', 'v1.32.5', 'v1.33.1'])).toBe(
      'v1.32.5',
    );
    expect(nextVersionToward('v1.32.5', 'v1.33.1', [])).toBe('v1.33.1');
  });

  it('reads the contract and version from a CRD’s contract labels, or its schema without labels', () => {
    const crd = (
      labels: Record<string, string> | undefined,
      statusProperties: Record<string, unknown>,
    ): KubeObject =>
      object({
        metadata: { name: 'x', labels },
        spec: {
          group: 'infra.example',
          scope: 'Namespaced',
          names: { kind: 'FooMachine', plural: 'foomachines' },
          versions: [
            { name: 'v1alpha1', served: true, storage: false },
            {
              name: 'v1beta1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { properties: { status: { properties: statusProperties } } } },
            },
          ],
        },
      });
    expect(resolveFromCrd(crd({ 'cluster.x-k8s.io/v1beta2': 'v1alpha1_v1beta1' }, {}))).toMatchObject({
      contract: 'v1beta2',
      type: { version: 'v1beta1', plural: 'foomachines' },
    });
    expect(resolveFromCrd(crd({ 'cluster.x-k8s.io/v1beta1': 'v1alpha1' }, {}))).toMatchObject({
      contract: 'v1beta1',
      type: { version: 'v1alpha1' },
    });
    expect(resolveFromCrd(crd(undefined, { initialization: {} }))?.contract).toBe('v1beta2');
    expect(resolveFromCrd(crd(undefined, { ready: {} }))?.contract).toBe('v1beta1');
  });

  it('limits remediation with triggerIf', () => {
    const mhc = (triggerIf: Record<string, unknown>): KubeObject =>
      object({ metadata: { name: 'h' }, spec: { remediation: { triggerIf } } });
    expect(remediationAllowed(mhc({ unhealthyLessThanOrEqualTo: '40%' }), 5, 2)).toBe(true);
    expect(remediationAllowed(mhc({ unhealthyLessThanOrEqualTo: '40%' }), 5, 3)).toBe(false);
    expect(remediationAllowed(mhc({ unhealthyInRange: '[1-2]' }), 5, 3)).toBe(false);
    expect(remediationAllowed(mhc({}), 5, 5)).toBe(true);
  });
});

describe('conditions and the work queue', () => {
  it('keeps lastTransitionTime while the status is unchanged and other writers’ conditions', () => {
    const first = mergeConditions([], [{ type: 'Ready', status: false, reason: 'NotReady' }], 't1', 1);
    const withOther = [
      ...first,
      {
        type: 'HealthCheckSucceeded',
        status: 'True' as const,
        reason: 'Succeeded',
        message: '',
        lastTransitionTime: 't0',
      },
    ];
    const same = mergeConditions(
      withOther,
      [{ type: 'Ready', status: false, reason: 'StillNotReady' }],
      't2',
      2,
    );
    expect(same.find((c) => c.type === 'Ready')).toMatchObject({
      lastTransitionTime: 't1',
      reason: 'StillNotReady',
      observedGeneration: 2,
    });
    expect(same.find((c) => c.type === 'HealthCheckSucceeded')).toBeDefined();
    const flipped = mergeConditions(same, [{ type: 'Ready', status: true, reason: 'Ready' }], 't3', 2);
    expect(flipped.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      lastTransitionTime: 't3',
    });
  });

  it('a condition set twice in one update (default, then a phase’s problem) keeps its time while its final status holds', () => {
    const stuck = [
      { type: 'ScalingUp', status: false, reason: 'NotScalingUp' },
      { type: 'ScalingUp', status: true, reason: 'TemplateNotFound', message: 'gone' },
    ];
    const first = mergeConditions([], stuck, 't1', 1);
    expect(first).toEqual([
      {
        type: 'ScalingUp',
        status: 'True',
        reason: 'TemplateNotFound',
        message: 'gone',
        lastTransitionTime: 't1',
        observedGeneration: 1,
      },
    ]);
    // Reconciled again with nothing changed: the same condition, so no status write to make.
    expect(mergeConditions(first, stuck, 't2', 1)).toEqual(first);
  });

  it('never runs one key twice at once and re-runs it when it changed meanwhile', async () => {
    const runs: string[] = [];
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new WorkQueue(
      async (key) => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs.push(key);
        if (runs.length === 1) await gate;
        active--;
      },
      4,
      () => {},
    );
    queue.add('a');
    queue.add('a');
    await new Promise((resolve) => setImmediate(resolve));
    // Before start() (the caches have not listed) keys wait.
    expect(runs).toEqual([]);
    queue.start();
    await new Promise((resolve) => setImmediate(resolve));
    queue.add('a'); // while running: marked dirty
    release();
    const deadline = Date.now() + 2_000;
    while (runs.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(runs).toEqual(['a', 'a']);
    expect(maxActive).toBe(1);
    queue.stop();
  });
});
