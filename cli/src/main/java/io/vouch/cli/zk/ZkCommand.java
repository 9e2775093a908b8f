package io.vouch.cli.zk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.Failure;
import io.vouch.core.Hex;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.QuantizationAccuracyException;
import io.vouch.onnx.quant.Requantization;
import io.vouch.zk.mlp.ProvedInference;
import io.vouch.zk.mlp.ZkCompiler;
import io.vouch.zk.mlp.ZkModel;
import io.vouch.zk.mlp.ZkModelFile;
import io.vouch.zk.mlp.ZkProver;
import io.vouch.zk.mlp.ZkVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vouch zk compile|prove|verify}: quantize an ONNX model into a registered ZK model, prove
 * one inference of it, verify such a proof. Exit codes: 0 ok, 1 failed (proof rejected, I/O), 2 bad
 * input (unsupported op, malformed files or arguments).
 */
@Command(
    name = "zk",
    mixinStandardHelpOptions = true,
    description = {
      "Prove and verify quantized model inferences, MLPs and CNN graphs (the ZKML level).",
      "v1 proofs are not hiding: they reveal weight combinations and hidden activations."
    },
    subcommands = {ZkCommand.Compile.class, ZkCommand.Prove.class, ZkCommand.Verify.class})
public final class ZkCommand implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Seed of the generated calibration inputs when no --calibration file is given. */
  static final long DEFAULT_CALIBRATION_SEED = ZkCompiler.DEFAULT_CALIBRATION_SEED;

  /** How many generated calibration inputs when no --calibration file is given. */
  static final int DEFAULT_CALIBRATION_INPUTS = ZkCompiler.DEFAULT_CALIBRATION_INPUTS;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "compile",
      mixinStandardHelpOptions = true,
      description = {
        "Quantize an ONNX model (an MLP or a CNN graph) to int8 and write a ZK model file for prove"
            + " and verify.",
        "Registers the integer model (commits every weight matrix) and reports the top-1 agreement"
            + " with ONNX Runtime on the calibration inputs, refusing below --min-agreement."
            + " Without --calibration it calibrates on "
            + DEFAULT_CALIBRATION_INPUTS
            + " generated inputs uniform in [0, 1) (seed "
            + DEFAULT_CALIBRATION_SEED
            + ", deterministic), right for pixel-like inputs only; pass real inputs otherwise."
            + " The same model and calibration always give the same model id."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch zk compile mlp.onnx",
        "  vouch zk compile mlp.onnx --calibration inputs.json --out mlp.zkmodel --json"
      })
  static final class Compile implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "A float ONNX model.")
    Path onnx;

    @Option(
        names = "--calibration",
        paramLabel = "FILE",
        description = "JSON array of input vectors (float) to calibrate scales on.")
    Path calibration;

    @Option(
        names = "--out",
        paramLabel = "ZKMODEL",
        description = "Where to write the ZK model file (default: MODEL.zkmodel beside the input).")
    Path out;

    @Option(
        names = "--min-agreement",
        defaultValue = "0.99",
        description =
            "Least top-1 agreement of int8 vs ONNX Runtime on the calibration set (default 0.99).")
    double minAgreement;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      ZkModel registered;
      ZkCompiler.Compiled compiled;
      float[][] inputs;
      try {
        inputs =
            calibration != null
                ? ZkInputs.vectors(
                    "--calibration", ZkInputs.jsonArgument("--calibration", calibration.toString()))
                : null;
      } catch (IllegalArgumentException e) {
        return Failure.of(ErrorCode.BAD_INPUT, e.getMessage()).report(spec.commandLine(), null, e);
      }
      try {
        OnnxModelFile file = OnnxModelFile.read(onnx);
        compiled = ZkCompiler.compile(file, inputs, minAgreement);
        registered = compiled.model();
      } catch (VouchException | IllegalArgumentException | QuantizationAccuracyException e) {
        // VouchException covers InvalidModelException: unsupported op (with its node), bad graph
        return Failure.of(ErrorCode.BAD_INPUT, onnx + ": " + e.getMessage())
            .report(spec.commandLine(), null, e);
      } catch (java.io.UncheckedIOException e) {
        return Failure.report(spec.commandLine(), e);
      }
      Path target = out != null ? out : defaultOut(onnx);
      try {
        ZkModelFile.write(target, registered.integerModel(), registered.modelId());
      } catch (IOException e) {
        return Failure.io("cannot write " + target + ": " + e.getMessage())
            .report(spec.commandLine(), null, e);
      }
      report(spec.commandLine().getOut(), registered, compiled, target);
      return ExitCodes.OK;
    }

    private void report(
        PrintWriter out, ZkModel registered, ZkCompiler.Compiled compiled, Path target) {
      IntegerModel model = registered.integerModel();
      List<byte[]> roots = registered.verifyingKey().weightRoots();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("zkModelId", registered.modelId().toHex());
        o.put("file", target.toString());
        o.put("inputScale", model.input().scale());
        o.put("inputZeroPoint", model.input().zeroPoint());
        o.put("logitScale", model.logitScale());
        o.put("topOneAgreement", compiled.topOneAgreement());
        o.put("meanCosineSimilarity", compiled.meanCosine());
        o.put("agreementReference", "ONNX Runtime");
        o.put("calibrationInputs", compiled.calibrationInputs());
        o.put("witnessWidth", registered.verifyingKey().witnessWidth());
        ArrayNode ops = o.putArray("ops");
        int w = 0;
        for (int j = 0; j < model.ops().size(); j++) {
          IntegerOp op = model.ops().get(j);
          ObjectNode n = ops.addObject();
          n.put("kind", op.kind());
          ArrayNode inputs = n.putArray("inputs");
          Arrays.stream(op.inputs()).forEach(inputs::add);
          n.put("output", op.outputShape().toString());
          Requantization rq = op.requantization();
          if (rq != null) {
            n.put("requantization", "requantized");
            n.put("activation", rq.activation().name());
            n.put("multipliers", rq.multipliers().length);
            n.put("shift", rq.shift());
          } else {
            n.put("requantization", op.outputsAccumulators() ? "logits" : "none");
          }
          if (op instanceof DenseOp || op instanceof ConvOp) {
            n.put("weightRoot", Hex.prefixed(roots.get(w++)));
          }
        }
        out.println(o.toPrettyString());
        return;
      }
      out.printf("wrote %s%n", target);
      out.printf("  zk model id     %s%n", registered.modelId());
      out.printf(
          Locale.ROOT,
          "  input           int8, scale %.6g, zero point %d%n",
          model.input().scale(),
          model.input().zeroPoint());
      int w = 0;
      for (int j = 0; j < model.ops().size(); j++) {
        IntegerOp op = model.ops().get(j);
        Requantization rq = op.requantization();
        String kind =
            rq != null
                ? String.format(
                    Locale.ROOT,
                    "%-5s q = (ε·z + 2^%d) >> %d%s",
                    rq.activation(),
                    rq.shift() - 1,
                    rq.shift(),
                    rq.multipliers().length > 1 ? " (ε per channel)" : ", ε = " + rq.multiplier(0))
                : op.outputsAccumulators() ? "logits (int64)" : "int8 pass-through";
        out.printf(
            "  op %-3d %-16s %-14s ← %-10s %s%n",
            j, op.kind(), op.outputShape(), Arrays.toString(op.inputs()), kind);
        if (op instanceof DenseOp || op instanceof ConvOp) {
          out.printf("         weight root %s%n", Hex.prefixed(roots.get(w++)));
        }
      }
      out.printf(Locale.ROOT, "  logit scale     %.6g%n", model.logitScale());
      out.printf(
          Locale.ROOT,
          "  top-1 agreement %.2f %% of %d calibration inputs (int8 vs ONNX Runtime; mean cosine"
              + " %.4f)%n",
          100 * compiled.topOneAgreement(),
          compiled.calibrationInputs(),
          compiled.meanCosine());
    }

    private static Path defaultOut(Path onnx) {
      String name = onnx.getFileName().toString();
      String base = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
      return onnx.resolveSibling(base + ".zkmodel");
    }
  }

  @Command(
      name = "prove",
      mixinStandardHelpOptions = true,
      description = {
        "Run the integer model on one input and prove the inference, bound to the request id.",
        "--input is a JSON array of floats (inline or a file), quantized with the model's input"
            + " scale; --text is a message featurized with the hashed bag of words (for the demo"
            + " model)."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch zk prove --model mlp.zkmodel --input x.json --request-id 0x<64 hex> \\",
        "      --out p.bin --json"
      })
  static final class Prove implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ZKMODEL", description = "ZK model.")
    Path model;

    @Option(names = "--input", paramLabel = "JSON", description = "Float input vector.")
    String input;

    @Option(names = "--text", paramLabel = "TEXT", description = "Text input (demo model).")
    String text;

    @Option(names = "--request-id", required = true, paramLabel = "HEX", description = "32 bytes.")
    String requestId;

    @Option(names = "--out", paramLabel = "PROOF", description = "Write the proof bytes here.")
    Path out;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      ZkModel zk;
      byte[] x;
      byte[] request;
      try {
        zk = ZkModelFile.load(model);
        x = ZkInputs.modelInput(zk.integerModel(), input, text);
        request = ZkInputs.requestId(requestId);
      } catch (IllegalArgumentException e) {
        return Failure.report(spec.commandLine(), e);
      } catch (IOException e) {
        return Failure.of(ErrorCode.BAD_INPUT, "cannot read " + model + ": " + e.getMessage())
            .report(spec.commandLine(), null, e);
      }
      long start = System.nanoTime();
      ProvedInference proved = ZkProver.prove(zk, request, x);
      byte[] proof = proved.proof().toBytes();
      double proveMs = (System.nanoTime() - start) / 1e6;
      if (out != null) {
        try {
          Files.write(out, proof);
        } catch (IOException e) {
          return Failure.io("cannot write " + out + ": " + e.getMessage())
              .report(spec.commandLine(), null, e);
        }
      }
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        ObjectNode j = JSON.createObjectNode();
        j.put("zkModelId", zk.modelId().toHex());
        j.put("requestId", Hex.prefixed(request));
        ArrayNode logits = j.putArray("logits");
        Arrays.stream(proved.logits()).forEach(logits::add);
        j.put("argmax", argmax(proved.logits()));
        j.put("proofBytes", proof.length);
        j.put("proveMillis", proveMs);
        if (out != null) {
          j.put("proofFile", out.toString());
        }
        o.println(j.toPrettyString());
      } else {
        o.printf("logits     %s%n", Arrays.toString(proved.logits()));
        o.printf("argmax     %d%n", argmax(proved.logits()));
        o.printf(
            Locale.ROOT,
            "proof      %d bytes in %.1f ms (cold JVM; see `vouch bench zkml` for warm figures)%n",
            proof.length,
            proveMs);
        o.printf("zk model   %s%n", zk.modelId());
        if (out != null) {
          o.printf("wrote      %s%n", out);
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Verify a proof that the ZK model maps the input to the output for this request id.",
        "Exit 0 only when it verifies; 1 when the proof is rejected; 2 on bad arguments."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch zk verify --model mlp.zkmodel --proof p.bin --input x.json \\",
        "      --output '[3,-1,7]' --request-id 0x<64 hex>"
      })
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ZKMODEL", description = "ZK model.")
    Path model;

    @Option(names = "--proof", required = true, paramLabel = "PROOF", description = "Proof file.")
    Path proof;

    @Option(names = "--input", paramLabel = "JSON", description = "Float input vector.")
    String input;

    @Option(names = "--text", paramLabel = "TEXT", description = "Text input (demo model).")
    String text;

    @Option(
        names = "--output",
        required = true,
        paramLabel = "JSON",
        description = "Claimed logits: JSON integer array or prove's --json output (inline/file).")
    String output;

    @Option(names = "--request-id", required = true, paramLabel = "HEX", description = "32 bytes.")
    String requestId;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      ZkModel zk;
      byte[] x;
      byte[] request;
      long[] logits;
      byte[] proofBytes;
      try {
        zk = ZkModelFile.load(model);
        x = ZkInputs.modelInput(zk.integerModel(), input, text);
        request = ZkInputs.requestId(requestId);
        logits = ZkInputs.logits(output);
        proofBytes = Files.readAllBytes(proof);
      } catch (IllegalArgumentException e) {
        return Failure.report(spec.commandLine(), e);
      } catch (IOException e) {
        return Failure.of(ErrorCode.BAD_INPUT, "cannot read: " + e.getMessage())
            .report(spec.commandLine(), null, e);
      }
      String failure = null;
      long start = System.nanoTime();
      try {
        ZkVerifier.verify(zk.verifyingKey(), request, x, logits, proofBytes);
      } catch (RuntimeException e) {
        // InvalidProofException, or a parse failure of the proof bytes: either way, not verified
        failure =
            e.getMessage() == null ? "the proof does not parse" : Failure.clean(e.getMessage());
      }
      double verifyMs = (System.nanoTime() - start) / 1e6;
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        ObjectNode j = JSON.createObjectNode();
        j.put("verified", failure == null);
        j.put("zkModelId", zk.modelId().toHex());
        j.put("verifyMillis", verifyMs);
        if (failure != null) {
          j.put("reason", failure);
        }
        o.println(j.toPrettyString());
      } else if (failure == null) {
        o.printf(
            Locale.ROOT,
            "verified: %s maps the input to %s for request %s (%.1f ms)%n",
            zk.modelId(),
            Arrays.toString(logits),
            Hex.prefixed(request),
            verifyMs);
      } else {
        o.println("NOT verified: " + failure);
      }
      return failure == null ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  static int argmax(long[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
