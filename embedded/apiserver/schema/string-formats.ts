import { isIP } from 'node:net';

/**
 * The string formats kube-apiserver checks for CRDs (apiextensions' supported formats from
 * go-openapi strfmt). Any other format (int32, int64, double…) is documentation only there too.
 */
const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;
const hostnameLabel = /^[a-zA-Z0-9\p{L}]([a-zA-Z0-9\p{L}-]{0,61}[a-zA-Z0-9\p{L}])?$/u;

function isHostname(s: string): boolean {
  const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
  return (
    trimmed.length > 0 && trimmed.length <= 253 && trimmed.split('.').every((l) => hostnameLabel.test(l))
  );
}

function isCidr(s: string): boolean {
  const [ip, bits, extra] = s.split('/');
  if (ip === undefined || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

function isUri(s: string): boolean {
  if (s.startsWith('/')) return true;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

const checkers: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isUri,
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
  hostname: isHostname,
  ipv4: (s) => isIP(s) === 4,
  ipv6: (s) => isIP(s) === 6,
  cidr: isCidr,
  mac: (s) => /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/.test(s),
  uuid: (s) => uuid.test(s),
  uuid3: (s) => uuid.test(s),
  uuid4: (s) => uuid.test(s),
  uuid5: (s) => uuid.test(s),
  isbn: (s) => /^(\d{9}[\dXx]|\d{13})$/.test(s.replace(/[-\s]/g, '')),
  isbn10: (s) => /^\d{9}[\dXx]$/.test(s.replace(/[-\s]/g, '')),
  isbn13: (s) => /^\d{13}$/.test(s.replace(/[-\s]/g, '')),
  creditcard: (s) => /^\d{12,19}$/.test(s.replace(/[-\s]/g, '')),
  ssn: (s) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  hexcolor: (s) => /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: (s) => /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/.test(s),
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
  password: () => true,
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  duration: (s) => /^([+-]?(\d+(\.\d*)?|\.\d+)\s*(ns|us|µs|ms|s|m|h|d|w)\s*)+$/.test(s) || s === '0',
  datetime: (s) => dateTime.test(s),
  'date-time': (s) => dateTime.test(s),
};

/** undefined when the format is not checked (unknown formats are accepted, as upstream). */
export function stringFormatChecker(format: string | undefined): ((s: string) => boolean) | undefined {
  return format === undefined ? undefined : checkers[format];
}
