/** The parts of an HTTP request the resource handlers read. */
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from './admission.ts';
import type { UserInfo } from './auth/user.ts';
import { badRequest } from './errors.ts';
import { decodeProtobuf, protobufMediaType } from './protobuf.ts';
import type { FieldValidation } from './schema/types.ts';

export interface ApiRequest {
  method: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Who the request runs as (after impersonation); unset for in-process writes. */
  user?: UserInfo;
}

export function header(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const maxDepth = 512;

/**
 * Refuses bodies nested deeper than any Kubernetes object needs (recursive code further on would
 * overflow) and `__proto__` keys (merge-patch libraries would write through them to prototypes).
 */
function checkShape(value: unknown): unknown {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > maxDepth) throw badRequest(`the request body is nested more than ${maxDepth} levels deep`);
    for (const key of Object.keys(current)) {
      if (key === '__proto__') throw badRequest('the request body contains a "__proto__" key');
      stack.push([(current as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return value;
}

/** Decodes a JSON (or, for apply patches, YAML) body. */
export function decodeBody(req: ApiRequest, allowYaml = false): unknown {
  return checkShape(parseBody(req, allowYaml));
}

function parseBody(req: ApiRequest, allowYaml: boolean): unknown {
  if ((header(req, 'content-type') ?? '').startsWith(protobufMediaType)) return decodeProtobuf(req.body);
  const text = req.body.toString('utf8');
  if (!text.trim()) throw badRequest('the request body is empty');
  try {
    return JSON.parse(text);
  } catch (jsonError) {
    if (allowYaml) {
      try {
        return parseYaml(text, { maxAliasCount: 100 });
      } catch (yamlError) {
        throw badRequest(`error decoding YAML: ${(yamlError as Error).message.split('\n')[0]}`);
      }
    }
    throw badRequest(`couldn't get version/kind; json parse error: ${(jsonError as Error).message}`);
  }
}

/** Decodes a body that must be one Kubernetes object. */
export function decodeObject(req: ApiRequest, allowYaml = false): KubeObject {
  const body = decodeBody(req, allowYaml);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the request body must be a JSON object');
  }
  const obj = body as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))
    throw badRequest('metadata must be an object');
  for (const field of ['name', 'namespace', 'generateName', 'resourceVersion', 'uid'] as const) {
    const value = obj.metadata[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw badRequest(
        `json: cannot unmarshal ${typeof value} into Go struct field ObjectMeta.metadata.${field} of type string`,
      );
    }
    if (value === null) delete obj.metadata[field];
  }
  return obj;
}

export function fieldValidationOf(req: ApiRequest): FieldValidation {
  const value = req.query.get('fieldValidation') ?? 'Warn';
  if (value !== 'Strict' && value !== 'Warn' && value !== 'Ignore') {
    throw badRequest(`fieldValidation parameter unsupported: ${value}`);
  }
  return value;
}

export function dryRunOf(req: ApiRequest): boolean {
  const values = req.query.getAll('dryRun');
  for (const v of values)
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

export function fieldManagerOf(req: ApiRequest): string | undefined {
  const manager = req.query.get('fieldManager') ?? undefined;
  if (manager !== undefined && (manager.length > 128 || manager.length === 0)) {
    throw badRequest('fieldManager: Invalid value: must be between 1 and 128 characters');
  }
  return manager;
}

/** Update managers default to the client's name, as the real server derives it from the User-Agent. */
export function defaultManager(req: ApiRequest): string {
  const agent = header(req, 'user-agent') ?? 'unknown';
  return agent.split('/')[0]!.slice(0, 128) || 'unknown';
}
