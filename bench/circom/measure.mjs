// Times the Groth16 path of one compiled MLP circuit in one warm node process (so node's start-up
// is not counted): witness generation, proving, verification; checks that the circuit's public
// output equals the Java integer engine's logits (expected.json) and that every proof verifies.
//
//   node measure.mjs BUILD_DIR [ROUNDS]     (BUILD_DIR has main_js/main.wasm, main.zkey, vk.json,
//                                            input.json, expected.json; writes groth16.json)
import * as snarkjs from "snarkjs";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";

const dir = process.argv[2];
const rounds = Number(process.argv[3] ?? 5);
const wasm = join(dir, "main_js", "main.wasm");
const zkey = join(dir, "main.zkey");
const input = JSON.parse(readFileSync(join(dir, "input.json"), "utf8"));
const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")).map(BigInt);
const vk = JSON.parse(readFileSync(join(dir, "vk.json"), "utf8"));
const P = BigInt("21888242871839275222246405745257275088548364400416034343698204186575808495617");

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

async function round() {
  const t0 = performance.now();
  const wtns = { type: "mem" };
  await snarkjs.wtns.calculate(input, wasm, wtns);
  const t1 = performance.now();
  const { proof, publicSignals } = await snarkjs.groth16.prove(zkey, wtns);
  const t2 = performance.now();
  const ok = await snarkjs.groth16.verify(vk, publicSignals, proof);
  const t3 = performance.now();
  if (!ok) throw new Error("Groth16 proof did not verify");
  // public signals: outputs first (the logits), then the public input x
  expected.forEach((y, i) => {
    if (BigInt(publicSignals[i]) !== ((y % P) + P) % P) {
      throw new Error(`circuit logit ${i} = ${publicSignals[i]}, Java integer engine says ${y}`);
    }
  });
  return { witness: t1 - t0, prove: t2 - t1, verify: t3 - t2, proof };
}

await round(); // warm-up: loads the zkey, compiles wasm, starts the worker threads
const runs = [];
for (let r = 0; r < rounds; r++) runs.push(await round());
const result = {
  witnessMillis: median(runs.map((r) => r.witness)),
  proveMillis: median(runs.map((r) => r.prove)),
  verifyMillis: median(runs.map((r) => r.verify)),
  // 2 G1 + 1 G2 points on BN254, uncompressed, as a Solidity verifier takes them
  proofBytes: 256,
  proofJsonBytes: JSON.stringify(runs[0].proof).length,
  rounds,
  cpus: os.cpus().length,
  outputMatchesJavaEngine: true,
};
writeFileSync(join(dir, "groth16.json"), JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
process.exit(0); // ffjavascript's worker threads would keep node alive
