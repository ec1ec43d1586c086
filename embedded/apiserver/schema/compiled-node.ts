import type { AdmissionCause } from '../admission.ts';
import { compileRule, isUnsupported } from './cel-rules.ts';
import type { CompiledRule, UnsupportedRule } from './cel-rules.ts';
import { compileValueChecks } from './value-checks.ts';
import type { SchemaProps } from './schema-props.ts';

export type ValueCheck = (value: unknown, path: string, errors: AdmissionCause[]) => void;

/** One schema node, compiled once per CRD version so per-request work is a plain walk. */
export interface CompiledNode {
  props: SchemaProps;
  type: string | undefined;
  intOrString: boolean;
  nullable: boolean;
  preserveUnknown: boolean;
  embeddedResource: boolean;
  properties: Map<string, CompiledNode> | undefined;
  /** Schema of map values (additionalProperties with a schema). */
  additional: CompiledNode | undefined;
  /** additionalProperties: true — any value kept as is. */
  additionalAny: boolean;
  items: CompiledNode | undefined;
  /** Properties with a default, applied when absent (or null and not nullable). */
  defaults: Array<{ key: string; value: unknown; nullable: boolean }>;
  required: string[];
  checks: ValueCheck[];
  listType: 'atomic' | 'set' | 'map';
  listMapKeys: string[];
  allOf: CompiledNode[];
  anyOf: CompiledNode[];
  oneOf: CompiledNode[];
  not: CompiledNode | undefined;
  rules: CompiledRule[];
  /** True when this node or a descendant has a default: defaulting skips subtrees without. */
  hasDefaults: boolean;
  /** True when this node or a descendant has CEL rules: the CEL pass skips subtrees without. */
  hasRules: boolean;
}

export interface CompileContext {
  unsupported: Array<UnsupportedRule & { path: string }>;
}

export function compileNode(props: SchemaProps, path: string, context: CompileContext): CompiledNode {
  const properties = props.properties
    ? new Map(Object.entries(props.properties).map(([k, v]) => [k, compileNode(v, `${path}.${k}`, context)]))
    : undefined;
  const additionalSchema =
    typeof props.additionalProperties === 'object' ? props.additionalProperties : undefined;
  const additional = additionalSchema ? compileNode(additionalSchema, `${path}[*]`, context) : undefined;
  const items = props.items ? compileNode(props.items, `${path}[*]`, context) : undefined;
  const junctor = (list: SchemaProps[] | undefined) => (list ?? []).map((s) => compileNode(s, path, context));
  const rules: CompiledRule[] = [];
  for (const rule of props['x-kubernetes-validations'] ?? []) {
    const compiled = compileRule(rule);
    if (isUnsupported(compiled)) context.unsupported.push({ ...compiled, path: path || '<root>' });
    else rules.push(compiled);
  }
  const node: CompiledNode = {
    props,
    type: props.type,
    intOrString: props['x-kubernetes-int-or-string'] === true,
    nullable: props.nullable === true,
    preserveUnknown: props['x-kubernetes-preserve-unknown-fields'] === true,
    embeddedResource: props['x-kubernetes-embedded-resource'] === true,
    properties,
    additional,
    additionalAny: props.additionalProperties === true,
    items,
    defaults: Object.entries(props.properties ?? {})
      .filter(([, child]) => child.default !== undefined)
      .map(([key, child]) => ({ key, value: child.default, nullable: child.nullable === true })),
    required: props.required ?? [],
    checks: compileValueChecks(props),
    listType: props['x-kubernetes-list-type'] ?? 'atomic',
    listMapKeys: props['x-kubernetes-list-map-keys'] ?? [],
    allOf: junctor(props.allOf),
    anyOf: junctor(props.anyOf),
    oneOf: junctor(props.oneOf),
    not: props.not ? compileNode(props.not, path, context) : undefined,
    rules,
    hasDefaults: false,
    hasRules: false,
  };
  const children = [...(properties?.values() ?? []), additional, items];
  node.hasDefaults = node.defaults.length > 0 || children.some((child) => child?.hasDefaults === true);
  node.hasRules = rules.length > 0 || children.some((child) => child?.hasRules === true);
  return node;
}
