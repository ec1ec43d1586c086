/**
 * A seed file: Kubernetes objects as NDJSON (one JSON object per line; `.ndjson` / `.jsonl`),
 * one JSON document (`.json`, e.g. `kubectl get -o json`) or a multi-document YAML stream
 * (anything else). Lists (`kind: …List`) are unpacked.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './admission.ts';

/** A seed file that cannot be read or is not Kubernetes objects: the user's to fix. */
export class SeedFileError extends Error {}

export type SeedFileResult = { ok: true; objects: KubeObject[] } | { ok: false; message: string };

function isObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<KubeObject>;
  return typeof v.apiVersion === 'string' && typeof v.kind === 'string' && typeof v.metadata === 'object';
}

function unpack(value: unknown, where: string, into: KubeObject[]): string | null {
  if (value === null || value === undefined) return null;
  const items = (value as { items?: unknown }).items;
  if (Array.isArray(items) && String((value as { kind?: unknown }).kind ?? '').endsWith('List')) {
    for (const item of items) {
      const problem = unpack(item, where, into);
      if (problem) return problem;
    }
    return null;
  }
  if (!isObject(value))
    return `${where}: not a Kubernetes object (apiVersion, kind and metadata are required)`;
  into.push(value);
  return null;
}

async function readNdjson(path: string): Promise<SeedFileResult> {
  const objects: KubeObject[] = [];
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return { ok: false, message: `${path}:${n}: ${(error as Error).message}` };
    }
    const problem = unpack(value, `${path}:${n}`, objects);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, objects };
}

async function readYaml(path: string): Promise<SeedFileResult> {
  const objects: KubeObject[] = [];
  const documents = parseAllDocuments(await readFile(path, 'utf8'));
  const list = Array.isArray(documents) ? documents : [documents];
  for (const [i, doc] of list.entries()) {
    if (doc.errors.length)
      return { ok: false, message: `${path}: document ${i + 1}: ${doc.errors[0]!.message}` };
    const problem = unpack(doc.toJS(), `${path}: document ${i + 1}`, objects);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, objects };
}

/** One JSON document (an object or a List, as `kubectl get -o json` prints). */
async function readJson(path: string): Promise<SeedFileResult> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { ok: false, message: `${path}: ${(error as Error).message}` };
  }
  const objects: KubeObject[] = [];
  const problem = unpack(value, path, objects);
  return problem ? { ok: false, message: problem } : { ok: true, objects };
}

export async function readSeedFile(path: string): Promise<SeedFileResult> {
  try {
    if (/\.(ndjson|jsonl)$/.test(path)) return await readNdjson(path);
    return /\.json$/.test(path) ? await readJson(path) : await readYaml(path);
  } catch (error) {
    return { ok: false, message: `cannot read seed file ${path}: ${(error as Error).message}` };
  }
}
