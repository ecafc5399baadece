// What the numbers were measured on: the machine, Node, and the versions of every peer.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './scenarios.js';
import type { Tools } from './tools.js';

export const PEER_PACKAGES = [
  'p-map',
  'p-limit',
  'p-queue',
  'bluebird',
  '@supercharge/promise-pool',
  'async',
  'effect',
  'got',
  'undici',
  'autocannon',
] as const;

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  v8: string;
  date: string;
  packages: Record<string, string>;
  tools: { wrk: string | null; aiohttp: string | null; python: string | null; time: boolean };
}

function versionOf(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

export function describeMachine(tools: Tools): Machine {
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const packages: Record<string, string> = { [own.name]: own.version };
  for (const name of PEER_PACKAGES) packages[name] = versionOf(name);
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
    packages,
    tools: { wrk: tools.wrkVersion, aiohttp: tools.aiohttpVersion, python: tools.python, time: tools.time },
  };
}
