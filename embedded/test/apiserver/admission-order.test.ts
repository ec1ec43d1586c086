/**
 * kube-apiserver's order for a custom resource write: decode (prune, schema defaults), mutating
 * admission, schema validation of what the mutating plugins produced, validating admission.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './raw-client.ts';

const gadgets = '/apis/example.com/v1/namespaces/default/gadgets';

const gadgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Gadget', plural: 'gadgets' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['mode'],
                properties: {
                  mode: { type: 'string', enum: ['fast', 'slow'] },
                  colour: { type: 'string', default: 'grey' },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const gadget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'example.com/v1',
  kind: 'Gadget',
  metadata: { name },
  spec,
});

describe('admission order for custom resources', () => {
  let server: TestApiServer;
  const seen: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    server = await startTestApiServer();
    const crd = await server.client.send(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      gadgetCrd,
    );
    expect(crd.status, crd.text).toBe(201);
  });
  afterEach(() => {
    server.admission.mutating.length = 0;
    server.admission.validating.length = 0;
    seen.length = 0;
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  /** A defaulting webhook: sets `spec.mode` when missing, and records the object it was given. */
  function defaultMode(mode: string): void {
    server.admission.mutating.push({
      name: 'default-mode',
      admit: (request) => {
        const spec = request.object?.['spec'] as Record<string, unknown> | undefined;
        if (spec) {
          seen.push(structuredClone(spec));
          spec['mode'] ??= mode;
        }
        return { allowed: true };
      },
    });
  }

  it('validates after mutating admission: a required field a webhook defaults is not missing', async () => {
    defaultMode('fast');
    server.admission.validating.push({
      name: 'record',
      validate: (request) => (seen.push({ validated: request.object?.['spec'] }), { allowed: true }),
    });
    const created = await server.client.send('POST', gadgets, gadget('defaulted', {}));
    expect(created.status, created.text).toBe(201);
    expect(created.json()['spec']).toEqual({ mode: 'fast', colour: 'grey' });
    // The webhook saw the decoded object (schema defaults applied), the validator the mutated one.
    expect(seen).toEqual([{ colour: 'grey' }, { validated: { mode: 'fast', colour: 'grey' } }]);
  });

  it('rejects what a mutating plugin writes that the schema does not allow (422)', async () => {
    defaultMode('medium');
    const created = await server.client.send('POST', gadgets, gadget('bad-default', {}));
    expect(created.status).toBe(422);
    expect(created.json()['message']).toContain('spec.mode: Unsupported value: "medium"');
  });

  it('without a mutating plugin, a missing required field is a 422', async () => {
    const created = await server.client.send('POST', gadgets, gadget('missing', {}));
    expect(created.status).toBe(422);
    expect(created.json()['message']).toContain('spec.mode: Required value');
  });

  it('answers with the schema’s errors when a mutating plugin fails on an object the schema rejects', async () => {
    server.admission.mutating.push({
      name: 'fragile',
      admit: (request) => {
        const spec = request.object?.['spec'] as { mode: string };
        spec.mode = spec.mode.toLowerCase();
        return { allowed: true };
      },
    });
    const created = await server.client.send('POST', gadgets, gadget('fragile', { mode: 3 }));
    expect(created.status).toBe(422);
    expect(created.json()['message']).toContain(
      'spec.mode: Invalid value: "integer": spec.mode in body must be of type string',
    );
  });

  it('still rejects unknown fields under Strict before any plugin runs (400)', async () => {
    defaultMode('fast');
    const created = await server.client.send(
      'POST',
      `${gadgets}?fieldValidation=Strict`,
      gadget('strict', { mode: 'slow', bogus: 1 }),
    );
    expect(created.status).toBe(400);
    expect(created.json()['message']).toContain('strict decoding error: unknown field "spec.bogus"');
    expect(seen).toEqual([]);
  });
});
