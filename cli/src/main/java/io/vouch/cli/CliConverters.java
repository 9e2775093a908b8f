package io.vouch.cli;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** How option values of these types are read, with messages that name no Java type. */
public final class CliConverters {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private CliConverters() {}

  /** Registers the converters on {@code cl} and its subcommands. */
  public static CommandLine register(CommandLine cl) {
    cl.registerConverter(Duration.class, CliConverters::duration);
    cl.registerConverter(BigInteger.class, CliConverters::wholeNumber);
    cl.registerConverter(URI.class, CliConverters::uri);
    return cl;
  }

  /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT5S}). */
  public static Duration duration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE_DURATION.matcher(t);
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + text + "' is too long a duration");
      }
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + text + "' is not a duration; give e.g. 500ms, 5s, 2m, 1h (or ISO-8601: PT5S)");
    }
  }

  static BigInteger wholeNumber(String text) {
    try {
      return new BigInteger(text.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not a whole number");
    }
  }

  static URI uri(String text) {
    try {
      URI u = new URI(text.strip());
      if (u.getScheme() == null || u.getHost() == null) {
        throw new TypeConversionException(
            "'" + text + "' is not a URL; give e.g. http://127.0.0.1:8080");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new TypeConversionException(
          "'" + text + "' is not a URL (" + e.getReason() + "); give e.g. http://127.0.0.1:8080");
    }
  }
}
