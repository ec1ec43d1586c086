/**
 * The engine says why it is stuck: a write the API server refuses is logged as one structured
 * line (controller, kind/namespace/name, the operation and its target, the server's code and
 * answer), once per object and cause — retries of the same cause stay quiet, a new cause or a
 * cause that comes back is logged again — and the blocked object's conditions carry CAPI's reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineLogger, ReconcileErrors } from '../../controllers/reconcile-errors.ts';
import {
  type EngineHarness,
  R,
  SKIP_REASON,
  haveSharedCapi,
  readTemplate,
  startEngineHarness,
  waitFor,
} from './engine-harness.ts';

interface Line {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

function recordingLogger(): { logger: EngineLogger; lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void =>
      void lines.push({ level, fields, message });
  return {
    lines,
    logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') },
  };
}

describe('ReconcileErrors: once per object and cause', () => {
  const object = { controller: 'ms', kind: 'MachineSet', namespace: 'default', name: 'workers' };
  const refused = {
    operation: 'create',
    target: { kind: 'AcmeMachine', name: 'w-1' },
    code: 422,
    answer: 'no',
  };

  it('logs a cause the first time, not on every retry, and again when it changes or comes back', async () => {
    const { logger, lines } = recordingLogger();
    const errors = new ReconcileErrors(logger);
    const reconcile = (causes: Array<typeof refused>) =>
      errors.run('ms|default/workers', object, async () => {
        for (const cause of causes) errors.fail(cause);
      });
    for (let retry = 0; retry < 5; retry++) await reconcile([refused]);
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'reconcile error',
        fields: {
          ...object,
          operation: 'create',
          target: { kind: 'AcmeMachine', name: 'w-1' },
          code: 422,
          answer: 'no',
        },
      },
    ]);
    await reconcile([{ ...refused, answer: 'still no, differently' }]);
    expect(lines).toHaveLength(2);
    await reconcile([]);
    expect(errors.tracked).toBe(0);
    await reconcile([refused]);
    expect(lines).toHaveLength(3);
  });

  it('keeps two causes of one reconcile apart and objects apart', async () => {
    const { logger, lines } = recordingLogger();
    const errors = new ReconcileErrors(logger);
    const other = { ...refused, operation: 'patch status', code: 500 };
    for (let retry = 0; retry < 3; retry++) {
      await errors.run('ms|default/workers', object, async () => {
        errors.fail(refused);
        errors.fail(other);
      });
      await errors.run('ms|default/other', { ...object, name: 'other' }, async () => errors.fail(refused));
    }
    expect(lines.map((line) => [line.fields.name, line.fields.operation])).toEqual([
      ['workers', 'create'],
      ['workers', 'patch status'],
      ['other', 'create'],
    ]);
  });
});

const GROUP = 'infrastructure.acme.example';
/** An InfraMachine kind that only accepts small flavours, and a template that asks for a huge one. */
const PICKY_PROVIDER = [
  'AcmeCluster:acmeclusters',
  'AcmeMachine:acmemachines',
  'AcmeMachineTemplate:acmemachinetemplates',
]
  .map((entry) => {
    const [kind = '', plural = ''] = entry.split(':');
    const machineSpec = `{ type: object, properties: { providerID: { type: string }, flavor: { type: string, enum: [small] } } }`;
    const spec =
      kind === 'AcmeCluster'
        ? `{ type: object, properties: { controlPlaneEndpoint: { type: object, properties: { host: { type: string }, port: { type: integer } } } } }`
        : kind === 'AcmeMachine'
          ? machineSpec
          : `{ type: object, properties: { template: { type: object, properties: { spec: { type: object, properties: { flavor: { type: string } } } } } } }`;
    return `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${GROUP}
  labels: { cluster.x-k8s.io/v1beta1: v1alpha1 }
spec:
  group: ${GROUP}
  scope: Namespaced
  names: { kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List }
  versions:
    - name: v1alpha1
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: ${spec}
            status: { type: object, properties: { ready: { type: boolean } } }
`;
  })
  .join('---\n');

function pickyCluster(flavor: string): string {
  return readTemplate('simple-cluster.yaml')
    .replaceAll('apiGroup: infrastructure.cluster.x-k8s.io', `apiGroup: ${GROUP}`)
    .replaceAll('apiVersion: infrastructure.cluster.x-k8s.io/v1beta2', `apiVersion: ${GROUP}/v1alpha1`)
    .replaceAll('DockerMachineTemplate', 'AcmeMachineTemplate')
    .replaceAll('DockerCluster', 'AcmeCluster')
    .replace(
      /extraMounts:\n\s+- containerPath: "\/var\/run\/docker.sock"\n\s+hostPath: "\/var\/run\/docker.sock"/g,
      `flavor: ${flavor}`,
    );
}

describe.skipIf(!haveSharedCapi)(haveSharedCapi ? 'engine: says why it is stuck' : SKIP_REASON, () => {
  let h: EngineHarness;
  const recorder = recordingLogger();
  const errorsFor = (kind: string) =>
    recorder.lines.filter((line) => line.level === 'error' && line.fields.kind === kind);

  beforeAll(async () => {
    h = await startEngineHarness({ speed: 50, engineLogger: recorder.logger });
    await h.apply(PICKY_PROVIDER);
    // The control plane gets a flavour the provider accepts; the workers' template does not.
    await h.apply(pickyCluster('small'));
    await h.patch(
      { group: GROUP, version: 'v1alpha1', plural: 'acmemachinetemplates' },
      'default',
      'worker',
      {
        spec: { template: { spec: { flavor: 'huge' } } },
      },
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('logs the refused InfraMachine once, with the object, the target and the API server answer', async () => {
    const [line] = await waitFor('a reconcile error for the MachineSet', async () => {
      const found = errorsFor('MachineSet');
      return found.length > 0 && found;
    });
    const [ms] = await h.list(R.machineSets, 'default');
    expect(line?.message).toBe('reconcile error');
    expect(line?.fields).toMatchObject({
      controller: 'ms',
      kind: 'MachineSet',
      namespace: 'default',
      name: ms?.metadata.name,
      operation: 'create',
      target: { kind: 'AcmeMachine', namespace: 'default' },
      code: 422,
    });
    expect(String(line?.fields.answer)).toMatch(/flavor/);
    expect(String(line?.fields.answer)).toMatch(/huge/);
  });

  it("carries CAPI's reason in the MachineSet's conditions, and stops logging once the cause is fixed", async () => {
    const v1beta1Sets = { ...R.machineSets, version: 'v1beta1' };
    const created = await waitFor('MachinesCreated=False on the v1beta1 MachineSet', async () => {
      const [ms] = await h.list(v1beta1Sets, 'default');
      const conditions = (ms?.status?.conditions ?? []) as Array<Record<string, string>>;
      const condition = conditions.find((c) => c.type === 'MachinesCreated');
      return condition?.status === 'False' && condition;
    });
    expect(created).toMatchObject({ reason: 'InfrastructureTemplateCloningFailed', severity: 'Error' });
    expect(created.message).toMatch(/huge/);
    await h.patch(
      { group: GROUP, version: 'v1alpha1', plural: 'acmemachinetemplates' },
      'default',
      'worker',
      {
        spec: { template: { spec: { flavor: 'small' } } },
      },
    );
    await waitFor('the worker Running', async () =>
      (await h.list(R.machines, 'default')).every((m) => m.status?.phase === 'Running'),
    );
    // Every retry of the same refusal stayed quiet: one line per object and cause.
    const causes = errorsFor('MachineSet').map((line) =>
      JSON.stringify([line.fields.name, line.fields.answer]),
    );
    expect(new Set(causes).size).toBe(causes.length);
  });
});
