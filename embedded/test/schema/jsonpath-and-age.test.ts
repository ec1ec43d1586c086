import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../apiserver/schema/human-duration.ts';
import { evaluateJsonPath } from '../../apiserver/schema/jsonpath.ts';

describe('printer-column JSONPath', () => {
  const machine = {
    metadata: {
      labels: { 'cluster.x-k8s.io/cluster-name': 'c1' },
      ownerReferences: [{ kind: 'MachineSet', name: 'ms' }],
    },
    status: {
      addresses: [
        { type: 'ExternalIP', address: '1.2.3.4' },
        { type: 'InternalIP', address: '10.0.0.1' },
      ],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };

  it.each([
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    ['.status.addresses[?(@.type=="InternalIP")].address', ['10.0.0.1']],
    ['.status.addresses[?(@.type!="InternalIP")].address', ['1.2.3.4']],
    [".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']", ['c1']],
    // CAPA's and CAPG's CLUSTER column: escaped dots in a dotted path, not in brackets.
    ['.metadata.labels.cluster\\.x-k8s\\.io/cluster-name', ['c1']],
    ['{.metadata.labels.cluster\\.x-k8s\\.io/cluster-name}', ['c1']],
    ['.metadata.labels.cluster\\.x-k8s\\.io', []],
    ['.status.addresses[0].type', ['ExternalIP']],
    ['.status.addresses[-1].type', ['InternalIP']],
    ['.status.addresses[*].type', ['ExternalIP', 'InternalIP']],
    ['{.metadata.ownerReferences[?(@.kind=="MachineSet")].name}', ['ms']],
    ['.status.phase', []],
  ])('%s', (expr, expected) => {
    expect(evaluateJsonPath(expr, machine)).toEqual(expected);
  });

  it('reports an expression it cannot parse as an error', () => {
    expect(evaluateJsonPath('.status..phase', machine)).toBeInstanceOf(Error);
  });
});

describe('AGE like kubectl', () => {
  const s = 1000;
  it.each([
    [-5 * s, '<invalid>'],
    [-0.5 * s, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [125 * s, '2m5s'],
    [10 * 60 * s, '10m'],
    [179 * 60 * s, '179m'],
    [3 * 3600 * s + 5 * 60 * s, '3h5m'],
    [30 * 3600 * s, '30h'],
    [50 * 3600 * s, '2d2h'],
    [30 * 24 * 3600 * s, '30d'],
    [(3 * 365 + 10) * 24 * 3600 * s, '3y10d'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
