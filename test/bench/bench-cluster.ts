/** Starts the benchmark's embedded management cluster in a child process (see bench-cluster-process.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchCluster {
  url: string;
  kubeconfigPath: string;
  /** Requests the server has received so far (every verb, watches included). */
  requestCount(): Promise<number>;
  /** Method and URL of the requests served since the `from`-th. */
  requestsSince(from: number): Promise<string[]>;
  stop(): Promise<void>;
}

interface Message {
  type: string;
  url?: string;
  kubeconfigPath?: string;
  count?: number;
  requests?: string[];
}

function nextMessage(child: ChildProcess, type: string, timeoutMs: number): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`embedded cluster: no '${type}' within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (m: Message) => {
      if (m.type === type) done(undefined, m);
    };
    const onExit = (code: number | null) => done(new Error(`embedded cluster exited (${code})`));
    const done = (err?: Error, m?: Message) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(m!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function startBenchCluster(): Promise<BenchCluster> {
  const child = fork(fileURLToPath(new URL('./bench-cluster-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage(child, 'ready', 60_000);
  return {
    url: ready.url!,
    kubeconfigPath: ready.kubeconfigPath!,
    async requestCount() {
      const reply = nextMessage(child, 'count', 10_000);
      child.send({ type: 'count' });
      return (await reply).count!;
    },
    async requestsSince(from) {
      const reply = nextMessage(child, 'requests', 10_000);
      child.send({ type: 'requests', from });
      return (await reply).requests!;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
