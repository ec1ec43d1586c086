/**
 * Debian's chromium for the browser tests (`.ci/run` installs it). `CHROMIUM_PATH` names another;
 * without one, the browser tests are skipped and say why.
 */
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const chromiumPath: string | undefined = candidates.find(
  (path): path is string => path !== undefined && path !== '' && existsSync(path),
);

export const skipReason =
  'no chromium: install Debian chromium (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH';
