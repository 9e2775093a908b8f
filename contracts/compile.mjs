// Compiles contracts/src (and the test-only contracts/test) with the pinned solcjs of the root
// package.json, through solc's standard JSON interface.
//
// Writes, for every contract of src/:
//   target/classes/io/vouch/contracts/<Name>.json  {contractName, abi, bytecode, deployedBytecode}
//     (the vouch-contracts jar carries these; bytecode is 0x-prefixed hex, empty for interfaces)
//   target/web3j/main/<Name>.abi and <Name>.bin  (input of chain's web3j wrapper generation)
// and for every contract of test/ and kit/example/ only target/web3j/test/<Name>.abi|.bin (never
// shipped). The consumer kit's library (kit/src) is compiled and checked with the rest and gives
// target/kit-abi/<Name>.json (the ABI alone: interfaces included, for the kit's interface test).
//
// Fails (exit 1) on any solc error, printing solc's own message. Skips the work when neither the
// sources nor the compiler settings changed since the last successful run (stamp with their hash).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));

let solc;
try {
  solc = require('solc');
} catch (e) {
  console.error('compile.mjs: solc is not installed; run `bash tools/ensure-node-tools.sh` in the repository root.');
  process.exit(1);
}

// Cancun: accepted by anvil, geth, besu and the major L2s; set explicitly so that a new solc
// default (osaka in 0.8.3x) never silently changes the bytecode.
const EVM_VERSION = 'cancun';
const OPTIMIZER_RUNS = 200;

const dirs = [
  ['main', join(here, 'src')],
  ['test', join(here, 'test')],
  ['kit', join(here, 'kit', 'src')],
  ['test', join(here, 'kit', 'example')],
];
const out = {
  json: join(here, 'target', 'classes', 'io', 'vouch', 'contracts'),
  main: join(here, 'target', 'web3j', 'main'),
  test: join(here, 'target', 'web3j', 'test'),
  kit: join(here, 'target', 'kit-abi'),
};

const sources = {};
const origin = {};
for (const [kind, dir] of dirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
    const unit = relative(here, join(dir, file)).split('\\').join('/');
    sources[unit] = { content: readFileSync(join(dir, file), 'utf8') };
    origin[unit] = kind;
  }
}
if (Object.keys(sources).length === 0) {
  console.error(`compile.mjs: no .sol files under ${dirs[0][1]}`);
  process.exit(1);
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: EVM_VERSION,
    optimizer: { enabled: true, runs: OPTIMIZER_RUNS },
    viaIR: false,
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

const fingerprint = createHash('sha256')
  .update(solc.version())
  .update(JSON.stringify(input))
  .digest('hex');
const stamp = join(here, 'target', 'compile.stamp');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint && existsSync(out.json)) {
  console.log(`compile.mjs: contracts up to date (solc ${solc.version()})`);
  process.exit(0);
}

function findImports(path) {
  const file = resolve(here, path);
  if (!file.startsWith(here) || !existsSync(file)) {
    return { error: `import ${path} not found under ${here} (imports are relative to contracts/)` };
  }
  return { contents: readFileSync(file, 'utf8') };
}

console.log(`compile.mjs: compiling ${Object.keys(sources).length} files with solc ${solc.version()} (evm ${EVM_VERSION})`);
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

const problems = output.errors ?? [];
for (const p of problems.filter((p) => p.severity !== 'error')) {
  console.warn(p.formattedMessage ?? p.message);
}
const errors = problems.filter((p) => p.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage ?? e.message);
  console.error(`compile.mjs: solc reported ${errors.length} error(s); nothing written.`);
  process.exit(1);
}

for (const dir of Object.values(out)) mkdirSync(dir, { recursive: true });
let written = 0;
for (const [unit, contracts] of Object.entries(output.contracts ?? {})) {
  const kind = origin[unit];
  if (!kind) continue; // an imported file outside src/ and test/
  for (const [name, c] of Object.entries(contracts)) {
    const bytecode = c.evm.bytecode.object;
    if (kind === 'kit') {
      writeFileSync(join(out.kit, `${name}.json`), JSON.stringify({ contractName: name, sourceName: unit, abi: c.abi }, null, 2) + '\n');
      written++;
      continue;
    }
    if (kind === 'main') {
      const artifact = {
        contractName: name,
        sourceName: unit,
        compiler: { solc: solc.version(), evmVersion: EVM_VERSION, optimizerRuns: OPTIMIZER_RUNS },
        abi: c.abi,
        bytecode: bytecode ? '0x' + bytecode : '',
        deployedBytecode: c.evm.deployedBytecode.object ? '0x' + c.evm.deployedBytecode.object : '',
      };
      writeFileSync(join(out.json, `${name}.json`), JSON.stringify(artifact, null, 2) + '\n');
    }
    // Interfaces have no bytecode: web3j wrappers are generated for deployable contracts only.
    if (bytecode) {
      writeFileSync(join(out[kind], `${name}.abi`), JSON.stringify(c.abi));
      writeFileSync(join(out[kind], `${name}.bin`), bytecode);
    }
    written++;
  }
}
writeFileSync(stamp, fingerprint);
console.log(`compile.mjs: wrote ${written} contract artifacts`);
