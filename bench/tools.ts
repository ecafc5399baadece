// Which outside tools this machine has. The bench never installs anything: a missing tool skips its
// row with a note.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Tools {
  /** Path of wrk, or null. */
  wrk: string | null;
  /** A python3 that imports aiohttp, or null. */
  python: string | null;
  aiohttpVersion: string | null;
  wrkVersion: string | null;
  /** /usr/bin/time is there: peak RSS of non-Node children (wrk, python, the CLI). */
  time: boolean;
}

function which(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return null;
}

function findPythonWithAiohttp(): { python: string; version: string } | null {
  // pyenv shims may shadow the system python that Debian's python3-aiohttp installs into.
  const candidates = [which('python3'), '/usr/bin/python3'].filter((p): p is string => p !== null);
  for (const python of new Set(candidates)) {
    const probe = spawnSync(python, ['-c', 'import aiohttp; print(aiohttp.__version__)'], { encoding: 'utf8', timeout: 20_000 });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return null;
}

export function detectTools(): Tools {
  const wrk = which('wrk');
  let wrkVersion: string | null = null;
  if (wrk) {
    const probe = spawnSync(wrk, ['-v'], { encoding: 'utf8', timeout: 5_000 });
    wrkVersion = `${probe.stdout}${probe.stderr}`.match(/wrk\s+(\S+)/)?.[1] ?? 'unknown';
  }
  const py = findPythonWithAiohttp();
  return {
    wrk,
    wrkVersion,
    python: py?.python ?? null,
    aiohttpVersion: py?.version ?? null,
    time: existsSync('/usr/bin/time'),
  };
}
