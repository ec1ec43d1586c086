import { describe, expect, it } from 'vitest';
import { cloneJson } from '../../apiserver/schema/clone-json.ts';
import { compileGoRegex } from '../../apiserver/schema/go-regex.ts';

const matches = (pattern: string, text: string) => {
  const matcher = compileGoRegex(pattern);
  if (matcher instanceof Error) throw matcher;
  return matcher.test(text);
};

describe('CRD patterns (Go RE2)', () => {
  it('match unanchored, like go-openapi', () => {
    expect(matches('[0-9]+', 'abc123')).toBe(true);
    expect(matches('^[a-z]+$', 'abc123')).toBe(false);
  });

  it('understand RE2-only syntax', () => {
    expect(matches('(?i)^abc$', 'ABC')).toBe(true);
    expect(matches('^a\\z', 'a')).toBe(true);
    expect(matches('^[[:alpha:]]+$', 'abc')).toBe(true);
    expect(matches('^(?P<word>x)$', 'x')).toBe(true);
  });

  it('use RE2 semantics where the engines differ (\\s is ASCII whitespace only)', () => {
    expect(matches('^\\s$', '\u00a0')).toBe(false);
    expect(matches('^\\s$', '\t')).toBe(true);
  });

  it('refuse what RE2 refuses (lookaround, backreferences)', () => {
    expect(compileGoRegex('(?=a)a')).toBeInstanceOf(Error);
    expect(compileGoRegex('(a)\\1')).toBeInstanceOf(Error);
  });
});

describe('cloneJson', () => {
  it('copies deeply and keeps a "__proto__" key as data', () => {
    const value = JSON.parse('{"a":[{"b":1}],"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = cloneJson(value);
    expect(copy).toEqual(value);
    expect(copy.a).not.toBe(value.a);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['a', '__proto__']);
  });
});
