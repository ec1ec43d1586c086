// Start-up time (process start → first query answered with the demo fleet in it) and resident
// memory of `capi-gateway serve` on the demo fleet, compiled build vs the TypeScript sources
// through tsx. Prints one JSON line per run. Needs a current `npm run build`.
//   node scripts/measure-startup.mjs [runs=3]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/capi-gateway.mjs', import.meta.url));
const runs = Number(process.argv[2] ?? 3);

function rssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
}

async function firstAnswer(url) {
  for (;;) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ clusters { totalCount } }' }),
      });
      const body = await res.json();
      if (body?.data?.clusters?.totalCount > 0) return body.data.clusters.totalCount;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function measure(mode) {
  const dir = mkdtempSync(join(tmpdir(), 'capi-gateway-startup-'));
  const env = { ...process.env, CAPI_GATEWAY_FROM_SOURCE: mode === 'tsx' ? '1' : '0' };
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', join(dir, 'data')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /GraphQL: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const listeningMs = Math.round(performance.now() - started);
  const clusters = await firstAnswer(url);
  const firstAnswerMs = Math.round(performance.now() - started);
  // Settle: the demo fleet keeps provisioning; memory is read once the first answer is in.
  const rssAtFirstAnswer = rssMiB(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  return { mode, listeningMs, firstAnswerMs, clusters, rssMiB: rssAtFirstAnswer };
}

for (let i = 0; i < runs; i++) {
  for (const mode of ['tsx', 'compiled'])
    console.log(JSON.stringify({ bench: 'startup', ...(await measure(mode)) }));
}
