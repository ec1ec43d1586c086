import type { AdmissionCause, KubeObject } from '../admission.ts';
import { applyDefaults } from './apply-defaults.ts';
import { cloneJson } from './clone-json.ts';
import { CelValidator } from './cel-validator.ts';
import type { CompiledNode } from './compiled-node.ts';
import { aggregateMessage, blockingReasons } from './field-errors.ts';
import { objectMetaDecodeError } from './object-meta.ts';
import { prune } from './prune.ts';
import type { SchemaCheckOptions, SchemaCheckResult } from './types.ts';
import { SchemaValidator } from './validate-node.ts';

const rulesNotChecked: AdmissionCause = {
  reason: 'FieldValueInvalid',
  message:
    'Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  field: '<nil>',
};

/** What a CRD version's `check` needs to know besides its schema. */
export interface CheckTarget {
  kind: string;
  version: string;
  root: CompiledNode;
}

/**
 * kube-apiserver's order for a custom resource: decode with pruning (unknown fields → 400 under
 * Strict, warnings under Warn), drop non-nullable nulls, apply defaults, then validate: schema,
 * list-set/map keys, and CEL rules unless the schema errors make them moot (422 with every cause).
 */
export function checkAgainstSchema(
  target: CheckTarget,
  object: KubeObject,
  options: SchemaCheckOptions,
): SchemaCheckResult {
  try {
    return checkObject(target, object, options);
  } catch (error) {
    // Absurdly deep nesting exhausts the stack of the recursive walks: a bad request, not a crash.
    if (!(error instanceof RangeError)) throw error;
    const { kind, version } = target;
    const message = `${kind} in version "${version}" cannot be handled as a ${kind}: json: exceeded max depth`;
    return { ok: false, code: 400, message, causes: [] };
  }
}

function checkObject(
  target: CheckTarget,
  object: KubeObject,
  options: SchemaCheckOptions,
): SchemaCheckResult {
  const { kind, version, root } = target;
  const undecodable = objectMetaDecodeError(object.metadata);
  if (undecodable !== undefined) {
    return {
      ok: false,
      code: 400,
      message: `${kind} in version "${version}" cannot be handled as a ${kind}: ${undecodable}`,
      causes: [],
    };
  }
  const copy = cloneJson(object);
  const pruned: string[] = [];
  prune(copy, root, '', pruned, true);
  const unknown = pruned.map((path) => `unknown field "${path}"`);
  if (unknown.length > 0 && options.fieldValidation === 'Strict') {
    const message = `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.join(', ')}`;
    return { ok: false, code: 400, message, causes: [] };
  }
  applyDefaults(copy, root, true);
  const causes = options.validate === false ? [] : validate(root, copy, options.oldObject);
  if (causes.length > 0) return { ok: false, code: 422, message: aggregateMessage(causes), causes };
  return { ok: true, object: copy, warnings: options.fieldValidation === 'Warn' ? unknown : [] };
}

function validate(root: CompiledNode, object: KubeObject, old: KubeObject | undefined): AdmissionCause[] {
  const schema = new SchemaValidator();
  schema.validate(object, root, '', old, true);
  const causes = [...schema.errors, ...schema.listErrors];
  if (!root.hasRules) return causes;
  if (causes.some((cause) => blockingReasons.has(cause.reason))) return [...causes, rulesNotChecked];
  const cel = new CelValidator();
  cel.validate(object, root, '', old, true);
  return [...causes, ...cel.errors];
}
