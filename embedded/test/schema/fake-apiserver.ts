import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../apiserver/admission.ts';
import { compileCrd, openApiV3Document, openApiV3Paths } from '../../apiserver/schema/index.ts';
import type { CompiledCrdVersion, FieldValidation } from '../../apiserver/schema/index.ts';

/**
 * Just enough of an API server (discovery, OpenAPI v3, GET → 404, POST through `check`) to see
 * what the real kubectl does with the schema machinery's documents. Plain HTTP on loopback.
 */
export interface FakeApiServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

interface Served {
  crd: KubeObject;
  version: CompiledCrdVersion;
  names: { plural: string; singular?: string; kind: string; shortNames?: string[]; categories?: string[] };
}

const core = [
  { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace' },
  { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret' },
  { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap' },
  { name: 'events', singularName: 'event', namespaced: true, kind: 'Event' },
];
const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function send(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function status(code: number, reason: string, message: string, causes?: unknown[]): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
    ...(causes ? { details: { causes } } : {}),
  };
}

export async function startFakeApiServer(crds: KubeObject[]): Promise<FakeApiServer> {
  const served: Served[] = crds.flatMap((crd) =>
    compileCrd(crd).versions.map((version) => ({
      crd,
      version,
      names: (crd.spec as { names: Served['names'] }).names,
    })),
  );
  const groupVersions = ['v1', ...new Set(served.map((s) => `${s.version.group}/${s.version.version}`))];
  const requests: string[] = [];

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const p = url.pathname.replace(/\/$/, '');
    if (p === '/version') return send(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    if (p === '/api')
      return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (p === '/api/v1') {
      return send(res, 200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: core.map((r) => ({ ...r, verbs })),
      });
    }
    if (p === '/apis') {
      const groups = [...new Set(served.map((s) => s.version.group))].map((name) => {
        const versions = served.filter((s) => s.version.group === name).map((s) => s.version.version);
        const entries = [...new Set(versions)].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
        return { name, versions: entries, preferredVersion: entries[entries.length - 1] };
      });
      return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    if (p === '/openapi/v3') return send(res, 200, openApiV3Paths(groupVersions, crds));
    const doc = /^\/openapi\/v3\/(?:api\/v1|apis\/(.+))$/.exec(p);
    if (doc) {
      const body = openApiV3Document(doc[1] ?? 'v1', crds);
      return body ? send(res, 200, body) : send(res, 404, status(404, 'NotFound', 'not found'));
    }
    const m = /^\/apis\/([^/]+)\/([^/]+)(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(p);
    if (m) {
      const [, group, version, namespace, plural, name] = m;
      const inGv = served.filter((s) => s.version.group === group && s.version.version === version);
      if (!plural) {
        const resources = inGv.map((s) => ({
          name: s.names.plural,
          singularName: s.names.singular ?? s.names.kind.toLowerCase(),
          namespaced: s.version.namespaced,
          kind: s.names.kind,
          verbs,
          ...(s.names.shortNames ? { shortNames: s.names.shortNames } : {}),
          ...(s.names.categories ? { categories: s.names.categories } : {}),
        }));
        return send(res, 200, {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: `${group}/${version}`,
          resources,
        });
      }
      const target = inGv.find((s) => s.names.plural === plural);
      if (!target)
        return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      if (req.method === 'GET' && name) {
        return send(res, 404, status(404, 'NotFound', `${plural}.${group} "${name}" not found`));
      }
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const object = JSON.parse(Buffer.concat(chunks).toString('utf8')) as KubeObject;
        const fieldValidation = (url.searchParams.get('fieldValidation') ?? 'Warn') as FieldValidation;
        const result = target.version.check(object, { fieldValidation });
        if (result.ok) {
          for (const warning of result.warnings) res.setHeader('Warning', `299 - "${warning}"`);
          return send(res, 201, { ...result.object, metadata: { ...result.object.metadata, namespace } });
        }
        const kindName = `${target.version.kind}.${target.version.group} "${object.metadata.name}"`;
        return result.code === 400
          ? send(res, 400, status(400, 'BadRequest', result.message))
          : send(
              res,
              422,
              status(422, 'Invalid', `${kindName} is invalid: ${result.message}`, result.causes),
            );
      }
    }
    send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, status(500, 'InternalError', String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
