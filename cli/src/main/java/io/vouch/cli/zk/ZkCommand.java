package io.vouch.cli.zk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vouch.cli.CliInputs;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.Failure;
import io.vouch.cli.options.ZkAccuracyOptions;
import io.vouch.core.Hex;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import io.vouch.onnx.OnnxModelFile;
import io.vouch.onnx.quant.AccuracyThresholds;
import io.vouch.onnx.quant.ConvOp;
import io.vouch.onnx.quant.DenseOp;
import io.vouch.onnx.quant.IntegerModel;
import io.vouch.onnx.quant.IntegerOp;
import io.vouch.onnx.quant.ModelInput;
import io.vouch.onnx.quant.OutputAccuracy;
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
import picocli.CommandLine.ArgGroup;
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
      "Prove and verify quantized model inferences (the ZKML level): MLPs, CNNs, transformers,"
          + " any graph of the operators the compiler supports.",
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
        "Quantize an ONNX model to int8 and write a ZK model file for prove and verify. A model"
            + " with operators outside the supported set is refused naming every such node.",
        "Registers the integer model (commits every weight matrix) and reports, per output, its"
            + " agreement with ONNX Runtime on the calibration inputs: top-1 agreement for a"
            + " classify output, mean cosine similarity and max relative error for an embed"
            + " output, max relative error for a regress output (--task; auto chooses from the"
            + " output's shape), refusing below the threshold with exit 2 and nothing written.",
        "Without --calibration it calibrates on "
            + DEFAULT_CALIBRATION_INPUTS
            + " inputs generated from each input's declared type and the model's constants (seed "
            + DEFAULT_CALIBRATION_SEED
            + ", deterministic), and says so: token ids (an int64 or int32 input) uniform over"
            + " the rows of the embedding table they index, float values uniform in [0, 1), right"
            + " for pixel-like inputs only; pass real inputs otherwise. The same model and"
            + " calibration always give the same model id."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch zk compile mlp.onnx",
        "  vouch zk compile mlp.onnx --calibration inputs.json --out mlp.zkmodel --json",
        "  vouch zk compile tagger.onnx --calibration inputs.json --out tagger.zkmodel",
        "      # inputs.json: [{\"tokens\":{\"dtype\":\"int64\",…},\"features\":{…}}, …]"
      })
  static final class Compile implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "A float ONNX model.")
    Path onnx;

    @Option(
        names = "--calibration",
        paramLabel = "FILE",
        description =
            "A JSON file: an array of inputs to calibrate the int8 scales on, each in a form vouch"
                + " infer --input takes (a tensor {\"dtype\":…,\"shape\":[…],\"data\":[…]},"
                + " or for a model with several inputs one JSON object of named tensors), of the"
                + " dtypes and shapes the model declares; a batch axis of B gives B inputs.")
    Path calibration;

    @Option(
        names = "--out",
        paramLabel = "ZKMODEL",
        description = "Where to write the ZK model file (default: MODEL.zkmodel beside the input).")
    Path out;

    @CommandLine.Mixin ZkAccuracyOptions accuracy;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      ZkModel registered;
      ZkCompiler.Compiled compiled;
      OnnxModelFile file;
      try {
        file = OnnxModelFile.read(onnx);
      } catch (VouchException | IllegalArgumentException e) {
        return Failure.of(ErrorCode.BAD_INPUT, onnx + ": " + e.getMessage())
            .report(spec.commandLine(), null, e);
      } catch (java.io.UncheckedIOException e) {
        return Failure.report(spec.commandLine(), e);
      }
      float[][] inputs;
      List<ZkCompiler.GeneratedInput> generated = List.of();
      try {
        if (calibration != null) {
          inputs = ZkInputs.calibration(file.schema(), calibration);
        } else {
          inputs = null;
          generated = ZkCompiler.defaultCalibrationInputs(file);
        }
      } catch (RuntimeException e) {
        return Failure.report(spec.commandLine(), e);
      }
      try {
        compiled = ZkCompiler.compile(file, inputs, accuracy.thresholds());
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
      report(spec.commandLine().getOut(), registered, compiled, target, generated);
      return ExitCodes.OK;
    }

    private void report(
        PrintWriter out,
        ZkModel registered,
        ZkCompiler.Compiled compiled,
        Path target,
        List<ZkCompiler.GeneratedInput> generated) {
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
        ArrayNode accuracyNode = o.putArray("accuracy");
        for (OutputAccuracy a : compiled.agreement().outputs()) {
          ObjectNode n = accuracyNode.addObject();
          n.put("output", a.name());
          n.put("task", AccuracyThresholds.taskName(a.measure()));
          n.put("measure", a.measure().label());
          n.put("rowLength", a.rowLength());
          n.put("rows", a.rows());
          n.put("topOneAgreement", a.topOne());
          n.put("meanCosineSimilarity", a.meanCosine());
          n.put("worstCosineSimilarity", a.worstCosine());
          n.put("maxRelativeError", a.maxRelativeError());
        }
        o.put("calibrationInputs", compiled.calibrationInputs());
        ObjectNode cal = o.putObject("calibration");
        if (generated.isEmpty()) {
          cal.put("source", "file");
          cal.put("file", calibration.toString());
        } else {
          cal.put("source", "generated");
          cal.put("seed", DEFAULT_CALIBRATION_SEED);
          ArrayNode gen = cal.putArray("inputs");
          for (ZkCompiler.GeneratedInput g : generated) {
            ObjectNode n = gen.addObject();
            n.put("name", g.name());
            n.put("dtype", g.dtype().jsonName());
            if (g.tokenRange() > 0) {
              n.put("distribution", "token ids uniform in [0, " + g.tokenRange() + ")");
              n.put("table", g.table());
            } else {
              n.put("distribution", "uniform in [0, 1)");
            }
          }
        }
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
      if (generated.isEmpty()) {
        out.printf(
            "  calibration     %d inputs from %s%n", compiled.calibrationInputs(), calibration);
      } else {
        out.printf(
            "  calibration     %d inputs generated (no --calibration; seed %d), per input:%n",
            compiled.calibrationInputs(), DEFAULT_CALIBRATION_SEED);
        for (ZkCompiler.GeneratedInput g : generated) {
          out.printf("                    %s%n", g.describe());
        }
        out.printf(
            "                  give --calibration FILE with inputs like the ones the model will"
                + " see for scales fitted to them%n");
      }
      out.printf("  zk model id     %s%n", registered.modelId());
      for (ModelInput in : model.inputs()) {
        if (in.isIndex()) {
          out.printf(
              Locale.ROOT,
              "  input %-9s token ids in [0, %d), %d values%n",
              in.name(),
              in.indexRange(),
              in.shape().size());
        } else {
          out.printf(
              Locale.ROOT,
              "  input %-9s int8, scale %.6g, zero point %d, %d values%n",
              in.name(),
              in.quantization().scale(),
              in.quantization().zeroPoint(),
              in.shape().size());
        }
      }
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
      for (OutputAccuracy a : compiled.agreement().outputs()) {
        out.printf(Locale.ROOT, "  output %-8s %s%n", a.name(), describe(a, compiled));
      }
    }

    /** One output's figures against ONNX Runtime, the one it is held to first. */
    private String describe(OutputAccuracy a, ZkCompiler.Compiled compiled) {
      String how =
          String.format(
              Locale.ROOT,
              "(%s%s; int8 vs ONNX Runtime on %d calibration inputs, %d rows of %d)",
              AccuracyThresholds.taskName(a.measure()),
              accuracy.thresholds().task() == null ? ", chosen from its shape" : ", --task",
              compiled.calibrationInputs(),
              a.rows(),
              a.rowLength());
      return switch (a.measure()) {
        case TOP_ONE ->
            String.format(
                Locale.ROOT,
                "top-1 agreement %.2f %% %s; mean cosine %.4f",
                100 * a.topOne(),
                how,
                a.meanCosine());
        case COSINE ->
            String.format(
                Locale.ROOT,
                "mean cosine similarity %.4f (worst row %.4f), max relative error %.4f %s",
                a.meanCosine(),
                a.worstCosine(),
                a.maxRelativeError(),
                how);
        case RELATIVE_ERROR ->
            String.format(
                Locale.ROOT,
                "max relative error %.4f of full scale %s; mean cosine %.4f",
                a.maxRelativeError(),
                how,
                a.meanCosine());
      };
    }

    private static Path defaultOut(Path onnx) {
      String name = onnx.getFileName().toString();
      String base = name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
      return onnx.resolveSibling(base + ".zkmodel");
    }
  }

  /**
   * The input of one inference, in {@code vouch infer}'s forms (read by {@link CliInputs}), or a
   * message for the demo model.
   */
  static final class InputOptions {
    @Option(
        names = "--input",
        paramLabel = "JSON|NAME=@FILE|NAME=JSON",
        description =
            "The input as vouch infer takes it: tensor JSON {\"dtype\":…,\"shape\":[…],\"data\":[…]}"
                + " (float32 values, quantized with the model's input scale; int64 token ids), or"
                + " for a model with several inputs one JSON object of named tensors"
                + " {\"tokens\":{…},\"features\":{…}}, or one named input per --input: NAME=@FILE"
                + " (a file holding tensor JSON) or NAME=JSON (repeat for each input).")
    List<String> json;

    @Option(
        names = "--input-file",
        paramLabel = "FILE",
        description = "File holding tensor JSON, or one JSON object of named tensors.")
    Path file;

    @Option(
        names = "--text",
        paramLabel = "TEXT",
        description =
            "A message, featurized with the hashed bag of words into as many buckets as the"
                + " model's one input has values (the demo model).")
    String text;

    byte[] read(IntegerModel model) {
      if (text != null) {
        return ZkInputs.textInput(model, text);
      }
      return ZkInputs.modelInput(model, CliInputs.read(json, file));
    }
  }

  @Command(
      name = "prove",
      mixinStandardHelpOptions = true,
      description = {
        "Run the integer model on one input and prove the inference, bound to the request id.",
        "The input takes vouch infer's forms (--input, --input-file; --text for the demo model):"
            + " every input the model declares, by name when it has several, float values"
            + " quantized with each input's scale, token ids as int64 (or int32) within the"
            + " embedding table, each of the input's shape (a leading batch axis of 1 or none).",
        "Exit 0 when proved; 1 when the proof cannot be written; 2 on bad input (a missing or"
            + " unknown input name, a wrong dtype or shape, a token id out of range, an absent"
            + " file)."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch zk prove --model mlp.zkmodel --input-file x.json \\",
        "      --request-id 0x<64 hex> --out p.bin --json",
        "  vouch zk prove --model tagger.zkmodel --input tokens=@tokens.json \\",
        "      --input features=@features.json --request-id 0x<64 hex> --out p.bin"
      })
  static final class Prove implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ZKMODEL", description = "ZK model.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    InputOptions input;

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
        x = input.read(zk.integerModel());
        request = ZkInputs.requestId(requestId);
      } catch (RuntimeException e) {
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
        "The input is given as to prove (vouch infer's forms).",
        "Exit 0 only when it verifies; 1 when the proof is rejected; 2 on bad arguments."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  vouch zk verify --model mlp.zkmodel --proof p.bin --input-file x.json \\",
        "      --output '[3,-1,7]' --request-id 0x<64 hex>"
      })
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ZKMODEL", description = "ZK model.")
    Path model;

    @Option(names = "--proof", required = true, paramLabel = "PROOF", description = "Proof file.")
    Path proof;

    @ArgGroup(exclusive = true, multiplicity = "1")
    InputOptions input;

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
        x = input.read(zk.integerModel());
        request = ZkInputs.requestId(requestId);
        logits = ZkInputs.logits(output);
        proofBytes = Files.readAllBytes(proof);
      } catch (RuntimeException e) {
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
