import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { defaultGatewayConfig, gatewayConfigSchema, type GatewayConfig } from './gateway-config.ts';

export type ConfigResult = { ok: true; config: GatewayConfig } | { ok: false; error: string };

const validate = new Ajv({ allErrors: true }).compile<GatewayConfig>(gatewayConfigSchema);

function describeErrors(): string {
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'not')
    .map((e) => {
      const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
      const extra =
        e.keyword === 'additionalProperties' ? ` '${String(e.params['additionalProperty'])}'` : '';
      return `${field}: ${e.message ?? 'is invalid'}${extra}`;
    })
    .concat(
      (validate.errors ?? []).some((e) => e.keyword === 'oneOf')
        ? ['each management cluster needs either `kubeconfig` (and optionally `context`) or `embedded: true`']
        : [],
    )
    .join('; ');
}

/** Parses and validates a config file's text; relative kubeconfig paths resolve against `baseDir`. */
export function parseGatewayConfig(text: string, baseDir: string): ConfigResult {
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    return { ok: false, error: `not valid YAML: ${(err as Error).message}` };
  }
  if (!validate(data)) return { ok: false, error: describeErrors() };
  const names = new Set<string>();
  for (const [i, mc] of data.managementClusters.entries()) {
    if (names.has(mc.name))
      return { ok: false, error: `managementClusters.${i}.name: duplicate name '${mc.name}'` };
    names.add(mc.name);
  }
  if (data.managementClusters.filter((mc) => 'embedded' in mc).length > 1) {
    return { ok: false, error: 'managementClusters: at most one entry may be `embedded: true`' };
  }
  const managementClusters = data.managementClusters.map((mc) =>
    'kubeconfig' in mc ? { ...mc, kubeconfig: resolve(baseDir, mc.kubeconfig) } : mc,
  );
  const auth = data.auth?.tokenFile
    ? { ...data.auth, tokenFile: resolve(baseDir, data.auth.tokenFile) }
    : data.auth;
  const limits = data.limits?.trustedDocuments
    ? { ...data.limits, trustedDocuments: data.limits.trustedDocuments.map((p) => resolve(baseDir, p)) }
    : data.limits;
  return {
    ok: true,
    config: {
      managementClusters,
      ...(data.provisioning ? { provisioning: data.provisioning } : {}),
      ...(auth ? { auth } : {}),
      ...(limits ? { limits } : {}),
      ...(data.logLevel ? { logLevel: data.logLevel } : {}),
    },
  };
}

export async function loadGatewayConfig(path: string | undefined): Promise<ConfigResult> {
  if (!path) return { ok: true, config: defaultGatewayConfig };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  return parseGatewayConfig(text, dirname(resolve(path)));
}
