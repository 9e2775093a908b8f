package io.vouch.cli.tee;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vouch.cli.ExitCodes;
import io.vouch.cli.Failure;
import io.vouch.core.Hex;
import io.vouch.core.error.ErrorCode;
import io.vouch.tee.nitro.AttestationVerdict;
import io.vouch.tee.nitro.AttestationVerdict.Accepted;
import io.vouch.tee.nitro.AttestationVerdict.Rejected;
import io.vouch.tee.nitro.AwsNitroRoot;
import io.vouch.tee.nitro.MalformedAttestationException;
import io.vouch.tee.nitro.NitroAttestationDocument;
import io.vouch.tee.nitro.NitroAttestationVerifier;
import io.vouch.tee.nitro.RejectionReason;
import io.vouch.tee.nitro.TrustAnchorException;
import io.vouch.tee.nitro.TrustAnchors;
import io.vouch.tee.policy.AttestationPolicy;
import io.vouch.tee.policy.MeasurementId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vouch tee verify-attestation FILE}: verifies an AWS Nitro attestation document (COSE_Sign1
 * bytes) against the pinned AWS root and the default policy (no debug enclaves), prints what it
 * attests and the verdict. Exit 0 valid, 1 invalid, 2 usage or I/O error.
 */
@Command(
    name = "verify-attestation",
    mixinStandardHelpOptions = true,
    description = {
      "Verify an AWS Nitro Enclaves attestation document (COSE_Sign1 bytes).",
      "Exit codes: 0 valid under the policy, 1 invalid, 2 usage or I/O error."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  vouch tee verify-attestation doc.cose --at-doc-time --root nitro-root.pem",
      "  vouch tee verify-attestation doc.cose --json"
    })
public final class VerifyAttestationCommand implements Callable<Integer> {
  /** Environment variable naming the AWS Nitro root PEM when {@code --root} is not given. */
  public static final String ROOT_ENVIRONMENT_VARIABLE = "VOUCH_NITRO_ROOT";

  @Parameters(index = "0", paramLabel = "FILE", description = "The attestation document.")
  Path file;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ValidationTime validationTime;

  static final class ValidationTime {
    @Option(
        names = "--at-doc-time",
        description =
            "Validate certificates at the document's own timestamp (for archived documents).")
    boolean atDocumentTime;

    @Option(
        names = "--at",
        paramLabel = "ISO-8601",
        converter = InstantConverter.class,
        description = "Validate certificates at this instant, e.g. 2024-01-24T18:14:25Z.")
    Instant at;
  }

  @Option(
      names = "--root",
      paramLabel = "PEM",
      description =
          "AWS Nitro Enclaves root certificate (checked against its SHA-256 pin). Default: $"
              + ROOT_ENVIRONMENT_VARIABLE
              + ".")
  Path root;

  @Option(
      names = "--dev-root",
      paramLabel = "PEM",
      description =
          "DEVELOPMENT ONLY: also trust documents of the enclave simulator under this root.")
  Path developmentRoot;

  @Option(names = "--allow-debug", description = "Accept debug-mode enclaves (PCR0-2 all zero).")
  boolean allowDebug;

  @Option(
      names = "--measurement",
      paramLabel = "HEX",
      description =
          "Allowed measurement id, SHA-384(PCR0||PCR1||PCR2); repeatable. Default: any (shown).")
  List<String> measurements = new ArrayList<>();

  @Option(
      names = "--nonce",
      paramLabel = "HEX",
      description = "The challenge the nonce must equal.")
  String nonce;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  private final Function<String, String> environment;
  private final Clock clock;

  public VerifyAttestationCommand() {
    this(System::getenv, Clock.systemUTC());
  }

  /** For tests: a stand-in environment and clock. */
  VerifyAttestationCommand(Function<String, String> environment, Clock clock) {
    this.environment = environment;
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TrustAnchors anchors;
    AttestationPolicy policy;
    byte[] bytes;
    try {
      anchors = trustAnchors();
      policy = policy();
      bytes = Files.readAllBytes(file);
    } catch (UsageProblem | TrustAnchorException | IllegalArgumentException e) {
      return Failure.of(ErrorCode.BAD_INPUT, e.getMessage()).report(spec.commandLine(), null, e);
    } catch (IOException e) {
      return Failure.report(
          spec.commandLine(),
          new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e));
    }

    NitroAttestationDocument document;
    try {
      document = NitroAttestationDocument.parse(bytes);
    } catch (MalformedAttestationException e) {
      report(out, null, null, new Rejected(RejectionReason.MALFORMED, e.getMessage()));
      return ExitCodes.FAILED;
    }
    Instant at = validationInstant(document);
    AttestationVerdict verdict =
        policy.apply(new NitroAttestationVerifier(anchors).verify(document, at), at);
    report(out, document, at, verdict);
    return verdict.isAccepted() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private TrustAnchors trustAnchors() {
    Path awsRoot = root;
    if (awsRoot == null) {
      String fromEnvironment = environment.apply(ROOT_ENVIRONMENT_VARIABLE);
      if (fromEnvironment != null && !fromEnvironment.isBlank()) {
        awsRoot = Path.of(fromEnvironment.trim());
      }
    }
    if (awsRoot == null && developmentRoot == null) {
      throw new UsageProblem(
          "no AWS Nitro root certificate: pass --root /path/to/root.pem or set "
              + ROOT_ENVIRONMENT_VARIABLE
              + "=/path/to/root.pem (the AWS Nitro Enclaves Root-G1 PEM from"
              + " https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip; its"
              + " SHA-256 must be "
              + AwsNitroRoot.SHA256_PIN
              + ")");
    }
    if (developmentRoot == null) {
      return TrustAnchors.production(AwsNitroRoot.load(awsRoot));
    }
    TrustAnchors.Builder builder =
        TrustAnchors.builder().developmentRoot(developmentRoot).allowDevelopmentRoot(true);
    if (awsRoot != null) {
      builder.awsRoot(AwsNitroRoot.load(awsRoot));
    }
    return builder.build();
  }

  private AttestationPolicy policy() {
    AttestationPolicy.Builder builder = AttestationPolicy.builder().allowDebug(allowDebug);
    if (measurements.isEmpty()) {
      builder.allowAnyMeasurement();
    } else {
      measurements.forEach(m -> builder.allow(MeasurementId.fromHex(m)));
    }
    if (nonce != null) {
      builder.expectedNonce(Hex.decode(nonce.trim()));
    }
    return builder.build();
  }

  private Instant validationInstant(NitroAttestationDocument document) {
    if (validationTime != null && validationTime.atDocumentTime) {
      return document.timestamp();
    }
    if (validationTime != null && validationTime.at != null) {
      return validationTime.at;
    }
    return clock.instant();
  }

  private void report(
      PrintWriter out, NitroAttestationDocument doc, Instant at, AttestationVerdict verdict) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("file", file.toString());
    if (doc != null) {
      report.put("module_id", doc.moduleId());
      report.put("timestamp", doc.timestamp().toString());
      report.put("timestamp_ms", doc.timestampMillis());
      report.put("digest", doc.digest());
      report.put("measurement_id", MeasurementId.of(doc).toHex());
      Map<String, String> pcrs = new LinkedHashMap<>();
      doc.pcrs().forEach((index, value) -> pcrs.put(Integer.toString(index), Hex.encode(value)));
      report.put("pcrs", pcrs);
      report.put("debug_mode", doc.isDebugMode());
      report.put("public_key", presence(doc.publicKey()));
      report.put("user_data", presence(doc.userData()));
      report.put("nonce", presence(doc.nonce()));
      report.put("validated_at", at.toString());
    }
    report.put("verdict", verdict.isAccepted() ? "VALID" : "INVALID");
    switch (verdict) {
      case Accepted a -> report.put("trust_anchor", a.anchor().name());
      case Rejected r -> {
        report.put("reason", r.reason().name());
        report.put("message", r.message());
      }
    }
    if (json) {
      out.println(toJson(report));
    } else {
      printText(out, report);
    }
    out.flush();
  }

  private static Map<String, Object> presence(Optional<byte[]> value) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("present", value.isPresent());
    value.ifPresent(v -> p.put("length", v.length));
    return p;
  }

  @SuppressWarnings("unchecked")
  private static void printText(PrintWriter out, Map<String, Object> report) {
    report.forEach((key, value) -> {
      if (value instanceof Map<?, ?> map && key.equals("pcrs")) {
        out.println("pcrs:");
        ((Map<String, String>) map).forEach((i, v) -> out.printf("  PCR%-2s %s%n", i, v));
      } else if (value instanceof Map<?, ?> map) {
        boolean present = (Boolean) map.get("present");
        out.printf(
            "%-15s %s%n",
            key + ":", present ? "present (" + map.get("length") + " bytes)" : "absent");
      } else {
        out.printf("%-15s %s%n", key + ":", value);
      }
    });
  }

  private static String toJson(Map<String, Object> report) {
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings, numbers and booleans is JSON", e);
    }
  }

  /** A problem with how the command was called or configured (exit 2). */
  private static final class UsageProblem extends RuntimeException {
    UsageProblem(String message) {
      super(message);
    }
  }

  /** Reads an ISO-8601 instant ({@code 2024-01-24T18:14:25Z}) or offset date-time. */
  static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException notInstant) {
        try {
          return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
          throw new CommandLine.TypeConversionException(
              "'" + value + "' is not an ISO-8601 instant such as 2024-01-24T18:14:25Z");
        }
      }
    }
  }
}
