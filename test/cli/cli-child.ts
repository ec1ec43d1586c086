/** `capi-gateway …` as a child process, as a user runs it; stdout and stderr kept apart. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const bin = fileURLToPath(new URL('../../bin/capi-gateway.mjs', import.meta.url));

export interface CliChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with stdout once `pattern` appears in it; rejects if the process exits first. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The same for stderr. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (signal exits give null). */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface CliOptions {
  cwd?: string;
  /** The child's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export function runCli(args: string[], options: CliOptions = {}): CliChild {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (stream: () => string, pattern: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(stream());
      if (match) return match;
      if (child.exitCode !== null) throw new Error(`capi-gateway exited ${child.exitCode}:\n${out}${err}`);
      if (Date.now() > deadline)
        throw new Error(`no ${String(pattern)} within ${timeoutMs} ms:\n${out}${err}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout: (pattern, timeoutMs = 60_000) => waitFor(() => out, pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs = 60_000) => waitFor(() => err, pattern, timeoutMs),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

export interface Kubeconfig {
  server: string;
  caPem: string;
  token: string;
}

export async function readKubeconfig(dataDir: string): Promise<Kubeconfig> {
  const doc = parse(await readFile(join(dataDir, 'embedded.kubeconfig'), 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const cluster = doc.clusters[0]!.cluster;
  return {
    server: cluster.server,
    caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token: doc.users[0]!.user.token,
  };
}

/** GET `path` with a kubeconfig read earlier: the status code, or the connection error's code. */
export function getWith(kubeconfig: Kubeconfig, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      new URL(path, kubeconfig.server),
      { ca: kubeconfig.caPem, headers: { Authorization: `Bearer ${kubeconfig.token}` }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

/** Children started by a test file, all killed by `stopAll` (an afterEach/afterAll). */
export function childTracker(): { start: typeof runCli; stopAll(): Promise<void> } {
  const children: CliChild[] = [];
  return {
    start(args, options) {
      const child = runCli(args, options);
      children.push(child);
      return child;
    },
    async stopAll() {
      await Promise.all(children.splice(0).map((c) => c.stop('SIGKILL')));
    },
  };
}

/** A finished command's exit code and output. */
export async function finished(
  args: string[],
  options: CliOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runCli(args, options);
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** This process's environment with some variables set or (undefined) removed. */
export function envWith(changes: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [key, value] of Object.entries(changes))
    if (value === undefined) delete env[key];
    else env[key] = value;
  return env;
}

/** Matches the `GraphQL: URL` line of `serve`; group 1 is the URL. */
export const graphqlLine = /GraphQL: (http:\/\/\S+)/;

/** Calls `get` until `ok` accepts its value, or fails after `timeoutMs` showing the last value. */
export async function pollUntil<T>(
  what: string,
  get: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} not seen within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET `path` next to the GraphQL URL (`/healthz`, `/readyz`): status and JSON body. */
export async function probe(graphqlUrl: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(graphqlUrl.replace(/\/graphql$/, path));
  return { status: res.status, body: await res.json() };
}

/** POST a query; the JSON response. */
export async function query(graphqlUrl: string, text: string): Promise<unknown> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text }),
  });
  return res.json();
}
