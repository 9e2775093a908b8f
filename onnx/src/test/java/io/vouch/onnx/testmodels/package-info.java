/**
 * Seeded random models and inputs for tests ({@link io.vouch.onnx.testmodels.TestModels}): test
 * code, shipped in onnx's test-jar for the tests of the modules above, never on a production path
 * (bench's {@code LayeringTest} fails on a production class that imports one). The benchmark models
 * a command runs ({@code vouch bench zkml}) are in the {@code bench-models} module.
 */
package io.vouch.onnx.testmodels;
