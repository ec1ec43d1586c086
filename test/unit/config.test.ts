import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../src/config/load-config.ts';

describe('gateway config', () => {
  it('accepts kubeconfig and embedded entries and resolves relative paths', () => {
    const result = parseGatewayConfig(
      'managementClusters:\n  - { name: prod, kubeconfig: ./prod.kubeconfig, context: admin }\n  - { name: local, embedded: true }\n',
      '/etc/capi',
    );
    expect(result).toEqual({
      ok: true,
      config: {
        managementClusters: [
          { name: 'prod', kubeconfig: '/etc/capi/prod.kubeconfig', context: 'admin' },
          { name: 'local', embedded: true },
        ],
      },
    });
  });

  it('names the bad field', () => {
    const result = parseGatewayConfig('managementClusters:\n  - { name: Prod_1, kubeconfig: x }\n', '/');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/managementClusters\.0\.name/);
  });

  it('rejects an entry with neither kubeconfig nor embedded, unknown fields, duplicates and two embedded', () => {
    const bad = [
      'managementClusters:\n  - { name: a }\n',
      'managementClusters:\n  - { name: a, kubeconfig: x, colour: red }\n',
      'managementClusters:\n  - { name: a, kubeconfig: x }\n  - { name: a, kubeconfig: y }\n',
      'managementClusters:\n  - { name: a, embedded: true }\n  - { name: b, embedded: true }\n',
      'managementClusters: [',
    ];
    for (const text of bad) expect(parseGatewayConfig(text, '/').ok, text).toBe(false);
  });
});
