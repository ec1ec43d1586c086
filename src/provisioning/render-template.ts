/**
 * Renders clusterctl-style templates: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`,
 * `${VAR=default}`, `${VAR-default}` and `$$` (a literal `$`), as the envsubst library
 * clusterctl uses does, then splits the result into its YAML documents.
 * Missing variables are collected and reported together so a user fixes them in one go.
 */
import { parseAllDocuments } from 'yaml';

export type TemplateVariables = Readonly<Record<string, string | undefined>>;

export type TemplateObject = {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

export type RenderTemplateError =
  | { kind: 'MissingVariables'; message: string; variables: string[] }
  | { kind: 'InvalidTemplate'; message: string };

export type RenderTemplateResult =
  { ok: true; yaml: string; objects: TemplateObject[] } | { ok: false; error: RenderTemplateError };

export interface TemplateVariable {
  name: string;
  /** The default written in the template (`${VAR:=default}`), if any. */
  defaultValue?: string;
  /** True when the template has no default for it anywhere. */
  required: boolean;
}

type Operator = ':=' | ':-' | '=' | '-';

interface Expansion {
  name: string;
  operator?: Operator;
  defaultText?: string;
  /** Index just past the closing brace. */
  end: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS: readonly Operator[] = [':=', ':-', '=', '-'];

/** Parses `${...}` starting at `start` (the `$`); undefined when it is not a variable reference. */
function parseExpansion(text: string, start: number): Expansion | undefined {
  const nameMatch = NAME.exec(text.slice(start + 2));
  if (!nameMatch) return undefined;
  const name = nameMatch[0];
  let index = start + 2 + name.length;
  if (text[index] === '}') return { name, end: index + 1 };
  const operator = OPERATORS.find((op) => text.startsWith(op, index));
  if (!operator) return undefined;
  index += operator.length;
  // The default may itself hold `${...}`: find the brace that closes this expansion.
  let depth = 1;
  for (let i = index; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) {
      return { name, operator, defaultText: text.slice(index, i), end: i + 1 };
    }
  }
  return undefined;
}

function isSet(value: string | undefined): value is string {
  return value !== undefined;
}

function substitute(
  text: string,
  variables: Record<string, string | undefined>,
  missing: Set<string>,
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text[dollar + 1] === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    const expansion = text[dollar + 1] === '{' ? parseExpansion(text, dollar) : undefined;
    if (!expansion) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    out += expand(expansion, variables, missing);
    i = expansion.end;
  }
  return out;
}

function expand(
  expansion: Expansion,
  variables: Record<string, string | undefined>,
  missing: Set<string>,
): string {
  const value = variables[expansion.name];
  const { operator } = expansion;
  if (!operator) {
    if (!isSet(value)) {
      missing.add(expansion.name);
      return '';
    }
    return value;
  }
  const useDefault = operator.startsWith(':') ? !value : !isSet(value);
  if (!useDefault) return value ?? '';
  const fallback = substitute(expansion.defaultText ?? '', variables, missing);
  // `:=` / `=` also assign, so later plain references see the default.
  if (operator.endsWith('=')) variables[expansion.name] = fallback;
  return fallback;
}

/** Substitutes variables; returns the text or the sorted list of variables that have no value. */
export function substituteVariables(
  template: string,
  variables: TemplateVariables,
): { ok: true; text: string } | { ok: false; missing: string[] } {
  const missing = new Set<string>();
  const text = substitute(template, { ...variables }, missing);
  return missing.size === 0 ? { ok: true, text } : { ok: false, missing: [...missing].sort() };
}

/** Every variable a template mentions, with its default; for forms that ask for values. */
export function listTemplateVariables(template: string): TemplateVariable[] {
  const found = new Map<string, TemplateVariable>();
  const visit = (text: string): void => {
    for (let i = text.indexOf('$'); i !== -1; i = text.indexOf('$', i + 1)) {
      if (text[i + 1] === '$') {
        i++;
        continue;
      }
      const expansion = text[i + 1] === '{' ? parseExpansion(text, i) : undefined;
      if (!expansion) continue;
      const known = found.get(expansion.name);
      const hasDefault = expansion.operator !== undefined;
      found.set(expansion.name, {
        name: expansion.name,
        defaultValue: known?.defaultValue ?? (hasDefault ? expansion.defaultText : undefined),
        required: (known?.required ?? true) && !hasDefault,
      });
      if (expansion.defaultText) visit(expansion.defaultText);
      i = expansion.end - 1;
    }
  };
  visit(template);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function isTemplateObject(value: unknown): value is TemplateObject {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.apiVersion === 'string' &&
    typeof candidate.kind === 'string' &&
    typeof candidate.metadata === 'object' &&
    candidate.metadata !== null
  );
}

/** Parses multi-document YAML into Kubernetes objects, skipping empty documents. */
export function parseManifests(
  yaml: string,
): { ok: true; objects: TemplateObject[] } | { ok: false; error: RenderTemplateError } {
  const objects: TemplateObject[] = [];
  const documents = parseAllDocuments(yaml);
  for (const [index, document] of documents.entries()) {
    if (document.errors.length > 0) {
      return {
        ok: false,
        error: { kind: 'InvalidTemplate', message: `document ${index + 1}: ${document.errors[0]?.message}` },
      };
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isTemplateObject(value)) {
      return {
        ok: false,
        error: {
          kind: 'InvalidTemplate',
          message: `document ${index + 1} is not a Kubernetes object (apiVersion, kind and metadata are required)`,
        },
      };
    }
    objects.push(value);
  }
  return { ok: true, objects };
}

export function renderTemplate(template: string, variables: TemplateVariables): RenderTemplateResult {
  const substituted = substituteVariables(template, variables);
  if (!substituted.ok) {
    return {
      ok: false,
      error: {
        kind: 'MissingVariables',
        message: `value for variables [${substituted.missing.join(', ')}] is not set`,
        variables: substituted.missing,
      },
    };
  }
  const parsed = parseManifests(substituted.text);
  if (!parsed.ok) return parsed;
  return { ok: true, yaml: substituted.text, objects: parsed.objects };
}
