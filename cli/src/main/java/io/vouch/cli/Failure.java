package io.vouch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vouch.chain.ChainException;
import io.vouch.core.error.ErrorCode;
import io.vouch.core.error.VouchException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A failed command as its user sees it: a stable error name (an {@link ErrorCode} name, or {@value
 * #BAD_USAGE} for a command line that does not parse), one message that says what was wrong and
 * what to do, and the exit code {@link ExitCodes#of} gives it. This is the one place where
 * exceptions become what the user reads: {@link #of(Throwable)} maps them, {@link #report} prints
 * {@code vouch <command>: <message>} on stderr, or under {@code --json} one JSON object {@code
 * {"error":"BAD_INPUT","message":"..."}} on stderr (stdout keeps only results).
 *
 * <p>Never a stack trace or a Java class name: messages are ours; what a library adds ({@code
 * java.nio.file.NoSuchFileException: x}, Jackson's parser advice) is translated or removed. An
 * unexpected exception (a bug) says so; {@code VOUCH_DEBUG=1} adds its stack trace for a report.
 */
public record Failure(String error, String message, int exitCode) {
  /** The command line itself is wrong: unknown option, missing parameter, malformed value. */
  public static final String BAD_USAGE = "BAD_USAGE";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code java.nio.file.NoSuchFileException: } and the like, where a message quotes one. */
  private static final Pattern QUALIFIED_THROWABLE =
      Pattern.compile("\\b(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

  private static final Pattern SIMPLE_THROWABLE =
      Pattern.compile("\\b[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

  /** {@code com.example.Foo} → {@code Foo}: the last resort; our messages name no classes. */
  private static final Pattern QUALIFIED_CLASS =
      Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.){2,}([A-Z][\\w$]*)\\b");

  public static Failure of(ErrorCode code, String message) {
    return new Failure(code.name(), clean(message), ExitCodes.of(code));
  }

  public static Failure usage(String message) {
    return new Failure(BAD_USAGE, clean(message), ExitCodes.FATAL);
  }

  /** An input or output failure of a local file (cannot write it): a retry may help. */
  public static Failure io(String message) {
    return new Failure("IO_ERROR", clean(message), ExitCodes.FAILED);
  }

  /** Prints {@code t} as {@link #of(Throwable)} maps it, for the command of {@code cl}. */
  public static int report(CommandLine cl, Throwable t) {
    return of(t).report(cl, null, t);
  }

  /** What {@code t} means to the user. */
  public static Failure of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof NoSuchFileException f) {
        return of(ErrorCode.BAD_INPUT, "no such file: " + f.getFile());
      }
      if (c instanceof AccessDeniedException f) {
        return of(ErrorCode.BAD_INPUT, f.getFile() + ": permission denied");
      }
    }
    if (t instanceof CommandLine.ParameterException p) {
      return usage(p.getMessage());
    }
    if (t instanceof VouchException v) {
      return of(v.code(), v.getMessage());
    }
    if (t instanceof JsonProcessingException j) {
      return of(ErrorCode.BAD_INPUT, "not valid JSON: " + CliJson.reason(j));
    }
    if (t instanceof ChainException c) {
      return of(ErrorCode.CHAIN_ERROR, c.getMessage());
    }
    if (unreachable(t)) {
      return of(
          ErrorCode.NODE_UNAVAILABLE,
          "cannot reach the network: " + messageOf(t) + "; is it up? (vouch devnet status)");
    }
    if (t instanceof UncheckedIOException u) {
      return of(ErrorCode.BAD_INPUT, messageOf(u));
    }
    if (t instanceof IllegalArgumentException i) {
      return of(ErrorCode.BAD_INPUT, messageOf(i));
    }
    if (t instanceof IllegalStateException s && s.getMessage() != null) {
      return of(ErrorCode.INTERNAL, s.getMessage());
    }
    return of(
        ErrorCode.INTERNAL,
        "unexpected error, a bug in vouch"
            + (t instanceof NullPointerException || t.getMessage() == null
                ? ""
                : " (" + t.getMessage() + ")")
            + "; run it again with VOUCH_DEBUG=1 for the details to report");
  }

  private static boolean unreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException
          || c instanceof HttpTimeoutException
          || c instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static String messageOf(Throwable t) {
    String m = t.getMessage();
    if ((m == null || m.isBlank()) && t.getCause() != null) {
      return messageOf(t.getCause());
    }
    return m == null ? "no details" : m;
  }

  /** A message without Java class names (see the class comment). */
  public static String clean(String message) {
    if (message == null || message.isBlank()) {
      return "no details";
    }
    String m = QUALIFIED_THROWABLE.matcher(message).replaceAll("");
    m = SIMPLE_THROWABLE.matcher(m).replaceAll("");
    m = QUALIFIED_CLASS.matcher(m).replaceAll("$1");
    return m.strip();
  }

  /**
   * Prints this failure for the command of {@code cl} and returns its exit code. {@code args} (may
   * be null) are looked at for {@code --json} when the command line did not parse.
   */
  public int report(CommandLine cl, String[] args, Throwable cause) {
    boolean json = jsonWanted(cl, args);
    PrintWriter err = cl.getErr();
    if (json) {
      err.println(JSON.createObjectNode().put("error", error).put("message", message).toString());
    } else {
      err.println(cl.getCommandSpec().qualifiedName() + ": " + message);
      if (BAD_USAGE.equals(error)) {
        err.println("see: " + cl.getCommandSpec().qualifiedName() + " --help");
      }
    }
    String debug = System.getenv("VOUCH_DEBUG");
    if (cause != null && debug != null && !debug.isBlank() && !debug.equals("0")) {
      StringWriter trace = new StringWriter();
      cause.printStackTrace(new PrintWriter(trace));
      err.print(trace);
    }
    err.flush();
    return exitCode;
  }

  /** Whether the command asked for JSON: its {@code --json} option is set (or in the arguments). */
  static boolean jsonWanted(CommandLine cl, String[] args) {
    OptionSpec o = cl.getCommandSpec().findOption("--json");
    if (o != null && Boolean.TRUE.equals(o.getValue())) {
      return true;
    }
    return args != null && Arrays.asList(args).contains("--json");
  }
}
