import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  listTemplateVariables,
  renderTemplate,
  substituteVariables,
} from '../../../src/provisioning/render-template.ts';

const templates = fileURLToPath(new URL('../../../../shared/capi/templates/', import.meta.url));
const haveShared = existsSync(templates);

describe('substituteVariables', () => {
  it('replaces ${VAR} with its value', () => {
    expect(substituteVariables('name: ${NAME}', { NAME: 'a' })).toEqual({ ok: true, text: 'name: a' });
  });

  it('uses := and :- defaults when unset or empty, = and - defaults only when unset', () => {
    const text = '${A:=x} ${B:-y} ${C=z} ${D-w}';
    expect(substituteVariables(text, {})).toEqual({ ok: true, text: 'x y z w' });
    expect(substituteVariables(text, { A: '', B: '', C: '', D: '' })).toEqual({ ok: true, text: 'x y  ' });
    expect(substituteVariables(text, { A: '1', B: '2', C: '3', D: '4' })).toEqual({
      ok: true,
      text: '1 2 3 4',
    });
  });

  it(':= assigns the default for later references', () => {
    expect(substituteVariables('${A:=v1} ${A}', {})).toEqual({ ok: true, text: 'v1 v1' });
  });

  it('keeps $$ as a literal dollar, so $${VAR} survives unexpanded', () => {
    expect(substituteVariables('echo $${HOME} $$1 $x', {})).toEqual({ ok: true, text: 'echo ${HOME} $1 $x' });
  });

  it('expands variables inside defaults', () => {
    expect(substituteVariables('${A:=${B}-suffix}', { B: 'b' })).toEqual({ ok: true, text: 'b-suffix' });
  });

  it('reports every missing variable at once, sorted', () => {
    expect(substituteVariables('${Z} ${A} ${Z} ${B:=ok} ${C:-${D}}', {})).toEqual({
      ok: false,
      missing: ['A', 'D', 'Z'],
    });
  });
});

describe('listTemplateVariables', () => {
  it('lists names with defaults and whether they are required', () => {
    expect(listTemplateVariables('${A} ${B:=1} $${C} ${A:-2}')).toEqual([
      { name: 'A', defaultValue: '2', required: false },
      { name: 'B', defaultValue: '1', required: false },
    ]);
  });
});

describe('renderTemplate', () => {
  it('returns the objects of a multi-document template', () => {
    const result = renderTemplate(
      'kind: A\napiVersion: v1\nmetadata: {name: "${N}"}\n---\n---\nkind: B\napiVersion: v1\nmetadata: {name: b}\n',
      {
        N: 'a',
      },
    );
    expect(result.ok && result.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['A/a', 'B/b']);
  });

  it('rejects a document that is not a Kubernetes object', () => {
    const result = renderTemplate('just: text\n', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'InvalidTemplate' } });
  });

  it('rejects malformed YAML with the document number', () => {
    const result = renderTemplate('kind: A\n---\nkind: [\n', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'InvalidTemplate', message: /document 2/ } });
  });

  it.skipIf(!haveShared)('renders the in-memory cluster template (needs ../shared/capi)', () => {
    const text = readFileSync(`${templates}cluster-template-in-memory.yaml`, 'utf8');
    const missing = renderTemplate(text, {});
    expect(missing).toMatchObject({
      ok: false,
      error: {
        kind: 'MissingVariables',
        variables: [
          'CLUSTER_NAME',
          'CONTROL_PLANE_MACHINE_COUNT',
          'KUBERNETES_VERSION',
          'NAMESPACE',
          'WORKER_MACHINE_COUNT',
        ],
      },
    });
    const rendered = renderTemplate(text, {
      CLUSTER_NAME: 'c1',
      NAMESPACE: 'default',
      KUBERNETES_VERSION: 'v1.33.0',
      CONTROL_PLANE_MACHINE_COUNT: '3',
      WORKER_MACHINE_COUNT: '2',
    });
    expect(rendered.ok).toBe(true);
    if (!rendered.ok) return;
    const [cluster] = rendered.objects;
    expect(cluster).toMatchObject({
      kind: 'Cluster',
      metadata: { name: 'c1', namespace: 'default' },
      spec: {
        clusterNetwork: { services: { cidrBlocks: ['10.128.0.0/12'] }, serviceDomain: 'cluster.local' },
        topology: { version: 'v1.33.0', controlPlane: { replicas: 3 } },
      },
    });
  });
});
