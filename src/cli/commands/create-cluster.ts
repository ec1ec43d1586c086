/**
 * `capi-gateway create cluster NAME`: from a ClusterClass (`--class --version --control-plane
 * --workers POOL=CLASS:N`) or from a clusterctl template (`--from-template FILE --var K=V`);
 * `--list-variables` lists a template's variables, `--dry-run` renders and validates on the
 * server and prints what would be applied.
 */
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import {
  CreateClusterDocument,
  type CreateClusterInput,
  type GatewayClient,
  ListManagementClustersDocument,
  TemplateVariablesDocument,
} from '../../../client/index.ts';
import { formatColumns } from './columns.ts';
import { operationOf, payloadOf } from './mutation-outcome.ts';
import { CliFailure, clientFrom, exitCodes, failureOf, runCommand, serialize } from './output.ts';
import { fieldOf, reportOperation, type MutationOptions } from './run-operation.ts';

export type CreateOptions = MutationOptions & {
  namespace?: string;
  mc?: string;
  fromTemplate?: string;
  var?: string[];
  listVariables?: boolean;
  class?: string;
  classNamespace?: string;
  version?: string;
  controlPlane?: number;
  workers?: string[];
  dryRun?: boolean;
};

const usage = (message: string) => new CliFailure(message, exitCodes.usage);

export async function runCreate(kind: string, name: string | undefined, opts: CreateOptions): Promise<void> {
  await runCommand(async () => {
    if (!['cluster', 'clusters', 'cl'].includes(kind.toLowerCase()))
      throw usage(`cannot create "${kind}" (only: cluster)`);
    const client = clientFrom(opts);
    if (opts.listVariables) return listVariables(client, opts);
    if (name === undefined) throw usage('create cluster needs a NAME');
    const input: CreateClusterInput = {
      name,
      namespace: opts.namespace ?? 'default',
      managementCluster: opts.mc ?? (await onlyManagementCluster(client)),
      ...(opts.dryRun ? { dryRun: true } : {}),
      ...(await source(opts)),
    };
    const payload = payloadOf(fieldOf(await client.request(CreateClusterDocument, { input })));
    if (!('manifests' in payload))
      throw new CliFailure('the gateway answered without a payload', exitCodes.failed);
    if (payload.dryRun) return printDryRun(payload.manifests, opts);
    return reportOperation(client, opts, operationOf(payload));
  });
}

/** The class or the template, and their variables, as the mutation's input fields. */
async function source(opts: CreateOptions): Promise<Partial<CreateClusterInput>> {
  if (opts.fromTemplate !== undefined && opts.class !== undefined)
    throw usage('give either --from-template or --class, not both');
  if (opts.fromTemplate !== undefined) {
    if (opts.workers || opts.controlPlane !== undefined || opts.version !== undefined)
      throw usage('--from-template takes its sizes and version as --var (see --list-variables)');
    return { template: await readTemplate(opts.fromTemplate), variables: keyValues(opts.var ?? []) };
  }
  if (opts.class === undefined) throw usage('give --from-template FILE or --class NAME');
  if (opts.version === undefined) throw usage('--class needs --version');
  return {
    clusterClass: opts.class,
    kubernetesVersion: opts.version,
    ...(opts.classNamespace === undefined ? {} : { classNamespace: opts.classNamespace }),
    ...(opts.controlPlane === undefined ? {} : { controlPlaneReplicas: opts.controlPlane }),
    ...(opts.workers ? { workers: opts.workers.map(worker) } : {}),
    ...(opts.var ? { variables: keyValues(opts.var) } : {}),
  };
}

async function readTemplate(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw usage(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** K=V pairs; a value is kept as text (template variables are text; the gateway checks types). */
function keyValues(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage(`--var ${pair}: expected KEY=VALUE`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** POOL=CLASS:N */
function worker(spec: string): { name: string; class: string; replicas: number } {
  const m = /^([^=]+)=([^:]+):(\d+)$/.exec(spec);
  if (!m) throw usage(`--workers ${spec}: expected POOL=CLASS:N, e.g. md-0=default-worker:2`);
  return { name: m[1]!, class: m[2]!, replicas: Number(m[3]) };
}

async function onlyManagementCluster(client: GatewayClient): Promise<string> {
  const res = await client.request(ListManagementClustersDocument);
  if (!res.ok) throw failureOf(res.error);
  const names = res.data.managementClusters.map((m) => m.name);
  if (names.length === 1) return names[0]!;
  throw usage(`the gateway has several management clusters (${names.join(', ')}): give --mc`);
}

async function listVariables(client: GatewayClient, opts: CreateOptions): Promise<number> {
  if (opts.fromTemplate === undefined) throw usage('--list-variables needs --from-template FILE');
  const res = await client.request(TemplateVariablesDocument, {
    template: await readTemplate(opts.fromTemplate),
  });
  if (!res.ok) throw failureOf(res.error);
  const vars = res.data.templateVariables;
  if (opts.output === 'json' || opts.output === 'yaml') process.stdout.write(serialize(opts.output, vars));
  else
    process.stdout.write(
      formatColumns(
        ['NAME', 'REQUIRED', 'DEFAULT'],
        vars.map((v) => [v.name, String(v.required), v.defaultValue ?? '']),
      ),
    );
  return exitCodes.ok;
}

interface Manifest {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

function printDryRun(manifests: unknown[], opts: CreateOptions): number {
  if (opts.output === 'json') process.stdout.write(serialize('json', manifests));
  else if (opts.output === 'yaml') process.stdout.write(manifests.map((m) => stringify(m)).join('---\n'));
  else
    for (const m of manifests as Manifest[])
      process.stdout.write(`${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''} (dry run)\n`);
  return exitCodes.ok;
}
