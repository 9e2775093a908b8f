package io.vouch.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module table of ARCHITECTURE.md, enforced: a module's classes may use only the modules below
 * it. Maven's dependency graph already stops most upward imports; this test also catches an upward
 * {@code <dependency>} added to a module's pom.
 */
class LayeringTest {
  static final List<String> MODULES =
      List.of("infra", "core", "onnx", "zk", "tee", "chain", "hub", "node", "sdk", "cli", "bench");

  /** What each module may depend on (besides itself), from the module table. */
  static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "infra", Set.of(),
          "core", Set.of(),
          "onnx", Set.of("core"),
          "zk", Set.of("core", "onnx"),
          "tee", Set.of("core"),
          "chain", Set.of("core", "infra"),
          "hub", Set.of("core", "infra"),
          "node", Set.of("infra", "core", "onnx", "zk", "tee", "chain", "hub"),
          "sdk", Set.of("infra", "core", "chain", "hub", "zk", "tee"),
          "cli", Set.of("infra", "core", "onnx", "zk", "tee", "chain", "hub", "node", "sdk"));

  static JavaClasses classes;

  @BeforeAll
  static void importAll() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vouch");
  }

  static List<String> layeredModules() {
    return List.copyOf(new TreeSet<>(ALLOWED.keySet()));
  }

  /** Guards the rule above against passing vacuously because nothing was imported. */
  @ParameterizedTest
  @MethodSource("layeredModules")
  void everyLayeredModuleHasClassesToCheck(String module) {
    org.assertj.core.api.Assertions.assertThat(
            classes.stream().filter(c -> c.getPackageName().startsWith("io.vouch." + module)))
        .as("classes of module %s on bench's test class path", module)
        .isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("layeredModules")
  void moduleImportsOnlyModulesBelowIt(String module) {
    Set<String> allowed = ALLOWED.get(module);
    String[] forbidden =
        MODULES.stream()
            .filter(m -> !m.equals(module) && !allowed.contains(m))
            .map(m -> "io.vouch." + m + "..")
            .toArray(String[]::new);

    noClasses()
        .that()
        .resideInAPackage("io.vouch." + module + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden)
        .because("ARCHITECTURE.md: arrows only point down the module table")
        .allowEmptyShould(true)
        .check(classes);
  }
}
