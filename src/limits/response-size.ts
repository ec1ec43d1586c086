/**
 * Whether a result would serialise to more than `max` bytes, found by walking it and stopping
 * as soon as it is over — cheaper than serialising it twice. Strings count their UTF-16 length,
 * a lower bound of their UTF-8 bytes: the cap is about orders of magnitude, not exact bytes.
 */
export function jsonBytesExceed(value: unknown, max: number): boolean {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || v === undefined) total += 4;
    else if (typeof v === 'string') total += v.length + 2;
    else if (typeof v !== 'object') total += String(v).length;
    else if (Array.isArray(v)) {
      total += 1 + v.length;
      for (const item of v) stack.push(item);
    } else {
      for (const key in v) {
        total += key.length + 4;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
    if (total > max) return true;
  }
  return false;
}
