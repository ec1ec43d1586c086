/**
 * Runs the CRD schema rules of the CAPI core kinds (capi-core-schemas.ts) through the API
 * server's own schema machinery, so a bad object is rejected with the very causes kube-apiserver
 * gives for a CRD schema violation (`spec.template.spec.infrastructureRef.name: Required value`).
 * Updates ratchet as the real server does: a value that did not change is not re-validated, so
 * objects stored before these rules existed can still be updated and finalized.
 */
import type { KubeObject, ValidatingAdmissionPlugin } from '../../apiserver/admission.ts';
import { compileCrd } from '../../apiserver/schema/index.ts';
import type { CompiledCrdVersion } from '../../apiserver/schema/index.ts';
import { allowed, rejectInvalid } from './admission-responses.ts';
import { coreKindSchemas, ruleCrd } from './capi-core-schemas.ts';

function compileRules(): Map<string, CompiledCrdVersion> {
  const compiled = new Map<string, CompiledCrdVersion>();
  for (const schema of coreKindSchemas) {
    const { versions, errors } = compileCrd(ruleCrd(schema) as unknown as KubeObject);
    const [version] = versions;
    // The rules are ours: a rule set the machinery refuses is a programming error.
    if (errors.length > 0 || !version)
      throw new Error(`invalid schema rules for ${schema.kind}: ${JSON.stringify(errors)}`);
    compiled.set(`${schema.group}/${schema.plural}`, version);
  }
  return compiled;
}

export function createCapiSchemaRulesWebhook(): ValidatingAdmissionPlugin {
  const rules = compileRules();
  return {
    name: 'capi-schema-rules',
    validate(request) {
      const rule = rules.get(`${request.group}/${request.resource}`);
      if (!rule || !request.object || request.operation === 'DELETE') return allowed;
      if (request.subresource !== undefined) return allowed;
      const result = rule.check(request.object, {
        fieldValidation: 'Ignore',
        ...(request.oldObject ? { oldObject: request.oldObject } : {}),
      });
      if (result.ok) return allowed;
      return rejectInvalid(rule.kind, rule.group, request.name, result.causes);
    },
  };
}
