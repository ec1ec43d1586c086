/** Label and field selectors as the real API server parses them. */
import type { KubeObject } from './admission.ts';
import {
  matchesLabelSelector,
  parseLabelSelector as parseSelector,
  splitSelectorTerms,
} from '../../src/k8s/label-selector.ts';
import { badRequest } from './errors.ts';

export type Selector = (obj: KubeObject) => boolean;

const everything: Selector = () => true;

/** The label-selector syntax is the gateway's, from the shared lower layer; errors answer 400. */
export function parseLabelSelector(text: string | null): Selector {
  if (!text) return everything;
  const parsed = parseSelector(text);
  if (!parsed.ok) throw badRequest(`unable to parse requirement: ${parsed.error}`);
  return (obj) => matchesLabelSelector(parsed.selector, obj.metadata.labels);
}

function fieldValue(obj: KubeObject, path: string): string {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? '' : String(current);
}

/** Field selector over `metadata.name`, `metadata.namespace` and the kind's selectable fields. */
export function parseFieldSelector(text: string | null, selectable: string[]): Selector {
  if (!text) return everything;
  const supported = new Set(['metadata.name', 'metadata.namespace', ...selectable]);
  const tests = splitSelectorTerms(text).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (!supported.has(field)) throw badRequest(`field label not supported: ${field}`);
    return (obj: KubeObject) => (fieldValue(obj, field) === value) === (op !== '!=');
  });
  return (obj) => tests.every((t) => t(obj));
}
