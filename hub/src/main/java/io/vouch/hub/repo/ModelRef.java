package io.vouch.hub.repo;

/** {@code name@version}: how users name one version of a model. */
public record ModelRef(String repository, String version) {

  /**
   * @throws InvalidManifestException when the text is not {@code name@version}
   */
  public static ModelRef parse(String text) {
    int at = text.lastIndexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw new InvalidManifestException(
          "'" + text + "' is not a model reference; write name@version, e.g. sentiment@1.0.0");
    }
    return new ModelRef(text.substring(0, at), text.substring(at + 1));
  }

  @Override
  public String toString() {
    return repository + "@" + version;
  }
}
