import { RE2JS } from '@bufbuild/re2';

export interface Matcher {
  test(text: string): boolean;
}

const cache = new Map<string, Matcher | Error>();

/**
 * Constructs whose meaning differs between RE2 and ECMAScript (or that only RE2 has). Patterns
 * without them mean the same in both, so the much faster native RegExp can run them.
 */
const notPortable = /\(\?|\\[zAQCpPsS]|\[\[:|\\x\{/;

/**
 * CRD patterns are Go RE2 syntax: a pattern is accepted or refused as RE2JS (RE2 semantics)
 * decides, and matched natively when the two engines agree on its meaning. Compiled once per pattern.
 */
export function compileGoRegex(pattern: string): Matcher | Error {
  let matcher = cache.get(pattern);
  if (matcher === undefined) {
    try {
      const re = RE2JS.compile(pattern);
      matcher = notPortable.test(pattern) ? { test: (text: string) => re.test(text) } : nativeOr(re, pattern);
    } catch (error) {
      matcher = error instanceof Error ? error : new Error(String(error));
    }
    cache.set(pattern, matcher);
  }
  return matcher;
}

function nativeOr(re: RE2JS, pattern: string): Matcher {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return { test: (text: string) => re.test(text) };
  }
}
