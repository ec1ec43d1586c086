import { RE2JS } from '@bufbuild/re2';

export interface Matcher {
  test(text: string): boolean;
}

const cache = new Map<string, Matcher | Error>();

/**
 * CRD patterns are Go RE2 syntax; RE2JS accepts exactly that (no lookbehind, `\z`, `(?i)`…),
 * where a translated ECMAScript RegExp would silently differ. Compiled once per pattern.
 */
export function compileGoRegex(pattern: string): Matcher | Error {
  let matcher = cache.get(pattern);
  if (matcher === undefined) {
    try {
      const re = RE2JS.compile(pattern);
      matcher = { test: (text: string) => re.test(text) };
    } catch (error) {
      matcher = error instanceof Error ? error : new Error(String(error));
    }
    cache.set(pattern, matcher);
  }
  return matcher;
}
