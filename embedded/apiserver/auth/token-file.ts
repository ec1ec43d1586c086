/**
 * Users from a static token file in kube-apiserver's `--token-auth-file` format: CSV lines of
 * `token,user,uid,"group1,group2"` (at least three columns; the groups column is optional).
 * As kube-apiserver (Go's CSV reader, spaces kept): records with an empty token are skipped, a
 * later duplicate token wins.
 */
import { readFile } from 'node:fs/promises';
import type { UserInfo } from './user.ts';

export class TokenFileError extends Error {
  constructor(path: string, why: string) {
    super(`token file '${path}' ${why}`);
    this.name = 'TokenFileError';
  }
}

/** One CSV record per line: quoted fields may hold commas and doubled quotes (`""`). */
function parseRecord(line: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return 'has an unterminated quoted field';
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') return 'has extraneous text after a quoted field';
    } else {
      const end = line.indexOf(',', i);
      field = end < 0 ? line.slice(i) : line.slice(i, end);
      if (field.includes('"')) return 'has a bare " in a non-quoted field';
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** Parses the file's text; throws `TokenFileError` on a malformed record. */
export function parseTokenFile(text: string, path: string): Map<string, UserInfo> {
  const users = new Map<string, UserInfo>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const record = parseRecord(line);
    if (typeof record === 'string') throw new TokenFileError(path, `line ${index + 1} ${record}`);
    if (record.length < 3) {
      throw new TokenFileError(
        path,
        `must have at least 3 columns (token, user name, user uid), found ${record.length} on line ${index + 1}`,
      );
    }
    const [token, name, uid, groups] = record as [string, string, string, string?];
    if (token === '') return;
    users.set(token, {
      name,
      uid,
      groups: groups === undefined ? [] : groups.split(',').filter((g) => g !== ''),
    });
  });
  return users;
}

export async function loadTokenFile(path: string): Promise<Map<string, UserInfo>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TokenFileError(path, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseTokenFile(text, path);
}
