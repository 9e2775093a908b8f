// Prints the ZKML comparison table (markdown) from run-compare.sh's build directory:
//   node report.mjs BUILD_DIR SHAPE... [--extrapolate SHAPE]
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const build = args.shift();
const xi = args.indexOf("--extrapolate");
const target = xi >= 0 ? args[xi + 1] : null;
const shapes = xi >= 0 ? args.slice(0, xi) : args;
const read = (shape, f) => {
  const p = join(build, shape, f);
  return existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : null;
};
const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 2 : 1)} ms`);
const kb = (b) => (b >= 1000 ? `${(b / 1000).toFixed(1)} kB` : `${b} B`);

console.log("| MLP | system | R1CS constraints | prove | verify | proof | Groth16 prove ÷ Vouch prove |");
console.log("|---|---|---|---|---|---|---|");
let largest = null;
for (const s of shapes) {
  const v = read(s, "vouch.json"), g = read(s, "groth16.json"), c = read(s, "circuit.json");
  if (!v || !g || !c) continue;
  console.log(`| ${s} | Vouch (Java, measured) | — | ${ms(v.proveMillis)} | ${ms(v.verifyMillis)} | ${kb(v.proofBytes)} | |`);
  console.log(
    `| ${s} | circom + snarkjs Groth16 (measured; + witness ${ms(g.witnessMillis)}) | ${c.constraints} | ${ms(g.proveMillis)} | ${ms(g.verifyMillis)} | ${g.proofBytes} B | **${(g.proveMillis / v.proveMillis).toFixed(0)}×** |`);
  if (!largest || c.constraints > largest.c.constraints) largest = { s, v, g, c };
}
if (target && largest) {
  const v = read(target, "vouch.json"), c = read(target, "circuit.json");
  if (v && c) {
    // Groth16's prover is dominated by MSMs over the witness and FFTs over the domain: ~linear
    // in constraints (n log n FFT terms make this slightly optimistic for Groth16).
    const factor = c.constraints / largest.c.constraints;
    const prove = largest.g.proveMillis * factor;
    const witness = largest.g.witnessMillis * factor;
    console.log(`| ${target} | Vouch (Java, measured) | — | ${ms(v.proveMillis)} | ${ms(v.verifyMillis)} | ${kb(v.proofBytes)} | |`);
    console.log(
      `| ${target} | Groth16 **extrapolated** (${largest.s} × ${factor.toFixed(1)} constraints; + witness ≈ ${ms(witness)}) | ${c.constraints} | ≈ ${ms(prove)} | ≈ ${ms(largest.g.verifyMillis)} | 256 B | **≈ ${(prove / v.proveMillis).toFixed(0)}×** |`);
  }
}
console.log("| 784-56-10 | EZKL (Halo2/KZG) **published**, their hardware | — | 38 s (\"accuracy\") / 2.7 s (\"resources\", 6.4 % accuracy loss) | — | 25–38 kB | |");
