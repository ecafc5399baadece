#!/usr/bin/env node
// Runs every test file under test/ with node's built-in runner, TypeScript loaded through tsx.
// Node 20's --test takes no globs, so the file list is collected here.
// `--soak` runs the long soak tests in test-soak/ instead.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const soak = process.argv.includes('--soak');
const root = soak ? 'test-soak' : 'test';

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...collect(path));
    else if (name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

// Tests talk to loopback servers only: a proxy set on the machine must not reroute them (gather
// honours HTTP_PROXY/HTTPS_PROXY by default). The proxy tests set these variables themselves.
function withoutProxies(env) {
  const copy = { ...env };
  for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY']) delete copy[name];
  return copy;
}

const files = collect(root);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...withoutProxies(process.env), GATHER_TEST: '1' } },
);
process.exit(result.status ?? 1);
