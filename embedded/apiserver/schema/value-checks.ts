import type { AdmissionCause } from '../admission.ts';
import type { ValueCheck } from './compiled-node.ts';
import { deepEqual } from './deep-equal.ts';
import { invalid, notSupported, tooLong, tooMany, typeInvalid } from './field-errors.ts';
import { compileGoRegex } from './go-regex.ts';
import { isRecord } from './schema-props.ts';
import type { SchemaProps } from './schema-props.ts';
import { stringFormatChecker } from './string-formats.ts';

/** Unicode code points, as Go counts runes for minLength/maxLength. */
function runeCount(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) i++;
    count++;
  }
  return count;
}

function stringChecks(props: SchemaProps): ValueCheck[] {
  const checks: ValueCheck[] = [];
  const { pattern, minLength, maxLength } = props;
  if (pattern !== undefined) {
    const matcher = compileGoRegex(pattern);
    // An uncompilable pattern is rejected when the CRD is stored (compileCrd); never here.
    if (!(matcher instanceof Error)) {
      checks.push((v, path, errors) => {
        if (typeof v === 'string' && !matcher.test(v)) {
          errors.push(invalid(path, v, `${path} in body should match '${pattern}'`));
        }
      });
    }
  }
  const format = stringFormatChecker(props.format);
  if (format !== undefined) {
    checks.push((v, path, errors) => {
      if (typeof v === 'string' && !format(v)) {
        errors.push(
          typeInvalid(path, v, `${path} in body must be of type ${props.format}: ${JSON.stringify(v)}`),
        );
      }
    });
  }
  if (minLength !== undefined || maxLength !== undefined) {
    checks.push((v, path, errors) => {
      if (typeof v !== 'string') return;
      const length = runeCount(v);
      if (maxLength !== undefined && length > maxLength) errors.push(tooLong(path, maxLength));
      if (minLength !== undefined && length < minLength) {
        errors.push(invalid(path, v, `${path} in body should be at least ${minLength} chars long`));
      }
    });
  }
  return checks;
}

function numberChecks(props: SchemaProps): ValueCheck[] {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = props;
  if (minimum === undefined && maximum === undefined && multipleOf === undefined) return [];
  return [
    (v, path, errors) => {
      if (typeof v !== 'number') return;
      // go-openapi's order: multipleOf, maximum, minimum.
      if (multipleOf !== undefined && multipleOf > 0 && !Number.isInteger(v / multipleOf)) {
        errors.push(invalid(path, v, `${path} in body should be a multiple of ${multipleOf}`));
      }
      if (maximum !== undefined && (exclusiveMaximum ? v >= maximum : v > maximum)) {
        const relation = exclusiveMaximum ? 'less than' : 'less than or equal to';
        errors.push(invalid(path, v, `${path} in body should be ${relation} ${maximum}`));
      }
      if (minimum !== undefined && (exclusiveMinimum ? v <= minimum : v < minimum)) {
        const relation = exclusiveMinimum ? 'greater than' : 'greater than or equal to';
        errors.push(invalid(path, v, `${path} in body should be ${relation} ${minimum}`));
      }
    },
  ];
}

function arrayChecks(props: SchemaProps): ValueCheck[] {
  const { minItems, maxItems, uniqueItems } = props;
  if (minItems === undefined && maxItems === undefined && !uniqueItems) return [];
  return [
    (v, path, errors) => {
      if (!Array.isArray(v)) return;
      if (maxItems !== undefined && v.length > maxItems) errors.push(tooMany(path, v.length, maxItems));
      if (minItems !== undefined && v.length < minItems) {
        errors.push(invalid(path, v.length, `${path} in body should have at least ${minItems} items`));
      }
      if (uniqueItems && v.some((item, i) => v.findIndex((other) => deepEqual(item, other)) !== i)) {
        errors.push(invalid(path, v, `${path} in body shouldn't contain duplicates`));
      }
    },
  ];
}

function objectChecks(props: SchemaProps): ValueCheck[] {
  const { minProperties, maxProperties } = props;
  if (minProperties === undefined && maxProperties === undefined) return [];
  return [
    (v, path, errors) => {
      if (!isRecord(v)) return;
      const count = Object.keys(v).length;
      if (maxProperties !== undefined && count > maxProperties)
        errors.push(tooMany(path, count, maxProperties));
      if (minProperties !== undefined && count < minProperties) {
        errors.push(invalid(path, count, `${path} in body should have at least ${minProperties} properties`));
      }
    },
  ];
}

function enumCheck(props: SchemaProps): ValueCheck[] {
  const allowed = props.enum;
  if (allowed === undefined) return [];
  const scalars = new Set(allowed.filter((a) => typeof a !== 'object' || a === null));
  return [
    (v, path, errors: AdmissionCause[]) => {
      if (scalars.has(v)) return;
      if (typeof v === 'object' && v !== null && allowed.some((a) => deepEqual(a, v))) return;
      errors.push(notSupported(path, v, allowed));
    },
  ];
}

/** The value-level checks of one schema node (type and nesting are handled by the walker). */
export function compileValueChecks(props: SchemaProps): ValueCheck[] {
  // go-openapi's validator order: string, format, number, slice, enum, object.
  return [
    ...stringChecks(props),
    ...numberChecks(props),
    ...arrayChecks(props),
    ...enumCheck(props),
    ...objectChecks(props),
  ];
}
