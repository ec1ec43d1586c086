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
  /** Resolves with the exit code (signal exits give null). */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function runCli(args: string[]): CliChild {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForStdout(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(out);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`capi-gateway exited ${child.exitCode}:\n${out}${err}`);
        if (Date.now() > deadline)
          throw new Error(`no ${String(pattern)} within ${timeoutMs} ms:\n${out}${err}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
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
