/**
 * How many blocks a ZKML request takes from its submission to its finalization on a chain that
 * mines a block a second (issue 12): a devnet of real processes (anvil, an inference node, three
 * validators), requests made through the SDK, each request's timeline read back from the hub's and
 * the court's events. {@code bench/run-zkml-finality.sh}; bench/README.md "ZKML finality".
 */
package io.vouch.bench.finality;
