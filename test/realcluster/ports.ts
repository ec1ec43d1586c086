import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

/** A free TCP port on 127.0.0.1, found by letting the kernel pick one (port 0) and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

export interface PortRange {
  min: number;
  max: number;
}

/**
 * A block of ports for the in-memory backend's simulated workload-cluster API servers. The
 * backend hands them out sequentially without checking, so each real cluster gets its own
 * block in 20000-29999 (below the kernel's ephemeral range, so port-0 listeners never take
 * them); the block is picked at random and its first ports probed, so two clusters at once
 * practically never overlap.
 */
export async function inMemoryPortRange(size = 200): Promise<PortRange> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const min = 20000 + randomInt(0, Math.floor(10000 / size)) * size;
    if (await portsAreFree(min, Math.min(size, 5))) return { min, max: min + size - 1 };
  }
  throw new Error('no free block of ports in 20000-29999 for the in-memory workload clusters');
}

async function portsAreFree(first: number, count: number): Promise<boolean> {
  for (let port = first; port < first + count; port++) {
    if (!(await canListen(port))) return false;
  }
  return true;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
