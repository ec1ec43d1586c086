import { describe, expect, it } from 'vitest';
import { matchesLabelSelector, parseLabelSelector } from '../../../src/k8s/label-selector.ts';

function matches(selector: string, labels: Record<string, string>): boolean {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error);
  return matchesLabelSelector(parsed.selector, labels);
}

const errorOf = (selector: string) => {
  const parsed = parseLabelSelector(selector);
  return parsed.ok ? undefined : parsed.error;
};

describe('label selectors as the API server parses them', () => {
  it('every operator', () => {
    const labels = { env: 'prod', 'cluster.x-k8s.io/cluster-name': 'c1', empty: '' };
    expect(matches('env=prod', labels)).toBe(true);
    expect(matches('env==prod', labels)).toBe(true);
    expect(matches('env!=prod', labels)).toBe(false);
    expect(matches('tier!=web', labels)).toBe(true);
    expect(matches('env in (dev, prod)', labels)).toBe(true);
    expect(matches('env in(dev,prod)', labels)).toBe(true);
    expect(matches('env notin (prod)', labels)).toBe(false);
    expect(matches('tier notin (web)', labels)).toBe(true);
    expect(matches('cluster.x-k8s.io/cluster-name', labels)).toBe(true);
    expect(matches('!tier', labels)).toBe(true);
    expect(matches('! env', labels)).toBe(false);
    expect(matches('empty=', labels)).toBe(true);
    expect(matches('env=prod,cluster.x-k8s.io/cluster-name in (c1),!tier', labels)).toBe(true);
    expect(matches('', labels)).toBe(true);
  });

  it('a key prefix must be a DNS subdomain: lower case, no underscore', () => {
    expect(errorOf('Example.com/a')).toBe('invalid label key "Example.com/a"');
    expect(errorOf('ex_ample.com/a')).toBe('invalid label key "ex_ample.com/a"');
    expect(errorOf('example.com/Name_ok')).toBeUndefined();
    expect(errorOf('-a')).toBe('invalid label key "-a"');
  });

  it('key names and values are at most 63 characters, prefixes at most 253', () => {
    expect(errorOf(`${'a'.repeat(63)}=x`)).toBeUndefined();
    expect(errorOf(`${'a'.repeat(64)}=x`)).toMatch(/invalid label key/);
    expect(errorOf(`a=${'v'.repeat(64)}`)).toMatch(/invalid label value/);
    expect(errorOf(`a in (x, ${'v'.repeat(64)})`)).toMatch(/invalid label value/);
    const longPrefix = `${'p'.repeat(60)}.`.repeat(5).slice(0, 254);
    expect(errorOf(`${longPrefix}/a`)).toMatch(/invalid label key/);
  });

  it('refuses an empty value set and terms it cannot read', () => {
    expect(errorOf('env in ()')).toBe("for 'in', 'notin' operators, values set can't be empty");
    expect(errorOf('a b c')).toBe("found 'a b c', expected: identifier");
    expect(errorOf('env=pr od')).toBeDefined();
    expect(errorOf('env=-x')).toBe('invalid label value: "-x"');
  });
});
