import type { KubeObject } from '../admission.ts';
import { applyDefaults } from './apply-defaults.ts';
import type { CompiledNode } from './compiled-node.ts';
import { aggregateMessage } from './field-errors.ts';
import { prune } from './prune.ts';
import type { SchemaCheckOptions, SchemaCheckResult } from './types.ts';
import { SchemaValidator } from './validate-node.ts';

/**
 * kube-apiserver's order for a custom resource: decode with pruning (unknown fields → 400 under
 * Strict, warnings under Warn), drop non-nullable nulls, apply defaults, then validate schema and
 * CEL rules (422 with every cause).
 */
export function checkAgainstSchema(
  root: CompiledNode,
  object: KubeObject,
  options: SchemaCheckOptions,
): SchemaCheckResult {
  const copy = structuredClone(object);
  const pruned: string[] = [];
  prune(copy, root, '', pruned, true);
  const unknown = pruned.map((path) => `unknown field "${path}"`);
  if (unknown.length > 0 && options.fieldValidation === 'Strict') {
    return { ok: false, code: 400, message: `strict decoding error: ${unknown.join(', ')}`, causes: [] };
  }
  applyDefaults(copy, root, true);
  const validator = new SchemaValidator();
  validator.validate(copy, root, '', options.oldObject, true);
  if (validator.errors.length > 0) {
    return { ok: false, code: 422, message: aggregateMessage(validator.errors), causes: validator.errors };
  }
  return { ok: true, object: copy, warnings: options.fieldValidation === 'Warn' ? unknown : [] };
}
