/**
 * Static bearer tokens from a file in kube-apiserver's `--token-auth-file` format, so one
 * file can serve both: `token,user,uid,"group1,group2"` per line (groups optional).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { invalidToken, missingToken, type Authenticator, type Identity } from './identity.ts';

interface TokenEntry {
  /** SHA-256 of the token: equal-length buffers for a constant-time compare. */
  digest: Buffer;
  identity: Identity;
}

export type TokenFileResult = { ok: true; entries: TokenEntry[] } | { ok: false; error: string };

const digestOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Splits one CSV line; a quoted field may hold commas ("a,b") and doubled quotes. */
function csvFields(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      fields.push(value);
    } else {
      const end = line.indexOf(',', i);
      fields.push((end < 0 ? line.slice(i) : line.slice(i, end)).trim());
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return fields;
    if (line[i] !== ',') return undefined;
    i++;
  }
}

/** The file's text as entries, or the first bad line (its number only: lines hold secrets). */
export function parseTokenFile(text: string): TokenFileResult {
  const entries: TokenEntry[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = csvFields(line);
    const [token, user, , groups] = fields ?? [];
    if (!token || !user)
      return { ok: false, error: `line ${index + 1}: expected token,user,uid[,"group1,group2"]` };
    const groupList = (groups ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== '');
    entries.push({ digest: digestOf(token), identity: { user, groups: groupList } });
  }
  if (entries.length === 0) return { ok: false, error: 'no tokens in the file' };
  return { ok: true, entries };
}

export async function loadTokenFile(path: string): Promise<TokenFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  const parsed = parseTokenFile(text);
  return parsed.ok ? parsed : { ok: false, error: `${path}: ${parsed.error}` };
}

/**
 * Compares the token with every entry, always all of them, in constant time per entry: the
 * time taken says nothing about which token (or how much of one) matched.
 */
export function staticTokenAuthenticator(entries: readonly TokenEntry[]): Authenticator {
  return (token) => {
    if (token === undefined) return Promise.resolve({ ok: false, failure: missingToken });
    const digest = digestOf(token);
    let found: Identity | undefined;
    for (const entry of entries) if (timingSafeEqual(entry.digest, digest)) found ??= entry.identity;
    return Promise.resolve(
      found
        ? { ok: true, identity: { user: found.user, groups: [...found.groups] } }
        : { ok: false, failure: invalidToken },
    );
  };
}
