/** kube-apiserver's --token-auth-file format. */
import { describe, expect, it } from 'vitest';
import { parseTokenFile, TokenFileError } from '../../apiserver/auth/token-file.ts';

describe('token file', () => {
  it('reads token,user,uid and the optional quoted group list', () => {
    const users = parseTokenFile(
      [
        't1,alice,uid-1,"devs,qa"',
        '',
        ' t2 , bob,uid-2',
        '"t,3",carol,uid-3,ops',
        ',skipped,uid',
        't1,alice2,uid-4',
      ].join('\n'),
      'tokens.csv',
    );
    expect(Object.fromEntries(users)).toEqual({
      // A later record with the same token wins, as in kube-apiserver.
      t1: { name: 'alice2', uid: 'uid-4', groups: [] },
      ' t2 ': { name: ' bob', uid: 'uid-2', groups: [] },
      't,3': { name: 'carol', uid: 'uid-3', groups: ['ops'] },
    });
  });

  it('refuses records with fewer than three columns and broken quoting, naming the line', () => {
    expect(() => parseTokenFile('t1,alice', 'f.csv')).toThrow(
      new TokenFileError(
        'f.csv',
        'must have at least 3 columns (token, user name, user uid), found 2 on line 1',
      ),
    );
    expect(() => parseTokenFile('ok,a,b\n"t1,alice,uid', 'f.csv')).toThrow(
      /line 2 has an unterminated quoted field/,
    );
  });
});
