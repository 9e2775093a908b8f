#!/usr/bin/env node
// A solc command line for forge, backed by the pinned solcjs (npm `solc`): forge cannot download a
// compiler offline, so foundry.toml points `solc` at this script. It answers the two calls forge
// makes: `--version` and `--standard-json` (input on stdin, output on stdout); other flags forge
// passes (--allow-paths, --base-path, --include-path) are accepted and ignored, because forge puts
// every source's content into the standard JSON itself. Imports forge did not inline are read from
// disk relative to the working directory (forge runs solc in the project root).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

// Node's module resolution from this file upwards: the repository's node_modules here, your
// project's node_modules when you copy the kit (`npm install --save-exact solc@0.8.37`).
const require = createRequire(import.meta.url);
let solc;
try {
  solc = require('solc');
} catch {
  process.stderr.write(
    'solc.mjs: the npm package solc is not installed above ' + import.meta.url +
      "; run 'bash tools/ensure-node-tools.sh' in the Vouch repository (or 'npm install solc@0.8.37').\n",
  );
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  // The form of native solc's answer, which forge parses: "Version: <semver>+commit.<hash>...".
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('solc.mjs: only --version and --standard-json are supported (this wraps solcjs for forge)\n');
  process.exit(2);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString('utf8');

function findImports(path) {
  const file = resolve(process.cwd(), path);
  if (!existsSync(file)) return { error: `solc.mjs: import ${path} not found (looked at ${file})` };
  return { contents: readFileSync(file, 'utf8') };
}

process.stdout.write(solc.compile(input, { import: findImports }));
