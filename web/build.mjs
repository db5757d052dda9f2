#!/usr/bin/env node
// Builds the web app into dist/web, but only when its inputs changed since the last build (a hash of them is kept
// in dist/web/.inputs-hash): `npm start` on an unchanged tree must not pay for Vite again.
//   node web/build.mjs              codegen + vite build when needed
//   node web/build.mjs --codegen    only regenerate web/src/gql (typecheck uses it)
//   node web/build.mjs --force      build even when nothing changed
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'web');
const stampFile = path.join(outDir, '.inputs-hash');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'gql' || entry.name === 'node_modules' ? [] : files(full);
    return [full];
  });
}

function inputsHash() {
  const hash = createHash('sha256');
  const inputs = [...files(path.join(root, 'web')), ...files(path.join(root, 'schema')), ...files(path.join(root, 'src', 'i18n')), path.join(root, 'package-lock.json')].sort();
  for (const file of inputs) {
    if (!statSync(file).isFile()) continue;
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

// Quiet when it works; on a failure (an operation that drifted from the schema) its whole report, naming the field.
function codegen() {
  const result = spawnSync(bin('graphql-codegen'), ['--config', 'web/codegen.ts'], { cwd: root, encoding: 'utf8' });
  if (result.status === 0) return;
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  process.exit(result.status ?? 1);
}

const args = new Set(process.argv.slice(2));
if (args.has('--codegen')) {
  codegen();
  process.exit(0);
}
const hash = inputsHash();
const built = existsSync(path.join(outDir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;
if (built && !args.has('--force')) process.exit(0);
codegen();
run(bin('vite'), ['build', '--config', 'web/vite.config.mts', '--logLevel', 'warn']);
writeFileSync(stampFile, hash);
