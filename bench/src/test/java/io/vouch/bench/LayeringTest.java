package io.vouch.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module table of ARCHITECTURE.md, enforced: a module's classes may use only the modules below
 * it. Maven's dependency graph already stops most upward imports; this test also catches an upward
 * {@code <dependency>} added to a module's pom. Only {@code chain} touches the generated contract
 * wrappers; everything above it goes through chain's typed clients. And the levels stay one
 * abstraction: outside the evidence module and the planner, production code does not branch on a
 * particular level.
 */
class LayeringTest {
  static final List<String> MODULES =
      List.of(
          "infra",
          "core",
          "onnx",
          "zk",
          "tee",
          "evidence",
          "chain",
          "hub",
          "node",
          "sdk",
          "demo",
          "bench-models",
          "cli",
          "examples",
          "bench");

  /** What each module may depend on (besides itself), from the module table. */
  static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("infra", Set.of()),
          Map.entry("core", Set.of()),
          Map.entry("onnx", Set.of("core")),
          Map.entry("zk", Set.of("core", "onnx")),
          Map.entry("tee", Set.of("core")),
          // The per-level producer/verifier pairs: the integer model through zk's API only, the
          // float engine through its own ServedModel interface (no onnx).
          Map.entry("evidence", Set.of("core", "zk", "tee")),
          Map.entry("chain", Set.of("core", "infra")),
          Map.entry("hub", Set.of("core", "infra")),
          Map.entry(
              "node", Set.of("infra", "core", "onnx", "zk", "tee", "evidence", "chain", "hub")),
          Map.entry("sdk", Set.of("infra", "core", "chain", "hub", "zk", "tee", "evidence")),
          // The demo model's featurizer, data and trainer: a model written with onnx's writer.
          Map.entry("demo", Set.of("core", "onnx")),
          // The models vouch bench zkml and bench's JMH suite measure (one is the demo model).
          Map.entry("bench-models", Set.of("core", "onnx", "demo")),
          Map.entry(
              "cli",
              Set.of(
                  "infra",
                  "core",
                  "onnx",
                  "zk",
                  "tee",
                  "evidence",
                  "chain",
                  "hub",
                  "node",
                  "sdk",
                  "demo",
                  "bench-models")),
          // An application's view: the SDK and what it brings (onnx and zk prepare a model for
          // publishing) and the demo model it publishes; never the node or the CLI.
          Map.entry(
              "examples",
              Set.of(
                  "infra",
                  "core",
                  "onnx",
                  "zk",
                  "tee",
                  "evidence",
                  "chain",
                  "hub",
                  "sdk",
                  "demo")));

  /** A module's root package: {@code io.vouch.} and its folder's name without dashes. */
  static String rootPackage(String module) {
    return "io.vouch." + module.replace("-", "");
  }

  /**
   * A branch on a particular verification level: a comparison with a level constant, a membership
   * test for one, or a {@code case} label naming one. Naming a level as a value (a default, a set
   * of levels) is not a branch.
   */
  static final Pattern LEVEL_BRANCH =
      Pattern.compile(
          "[!=]=\\s*(VerificationLevel\\.)?(VANILLA|TEE|ZKML)\\b"
              + "|\\b(VerificationLevel\\.)?(VANILLA|TEE|ZKML)\\s*[!=]="
              + "|\\.(contains|equals)\\((VerificationLevel\\.)?(VANILLA|TEE|ZKML)\\)"
              + "|\\bcase\\s+(VerificationLevel\\.)?(VANILLA|TEE|ZKML)\\b");

  /** Where a level's rules may live: its evidence pair, and the planner that chooses a level. */
  static final List<String> MAY_BRANCH_ON_LEVELS =
      List.of("evidence/", "sdk/src/main/java/io/vouch/sdk/plan/");

  /**
   * The branches on a level left outside the evidence module (issue 11), with how many each file
   * has. The list may only shrink: a file that loses its branches must leave it.
   */
  /**
   * Branches left outside evidence and the planner: none. What a level needs is asked of the level
   * ({@code VerificationLevel.runsInEnclave}, {@code carriesProof}), never which level it is.
   */
  static final Map<String, Integer> LEVEL_BRANCHES_LEFT = Map.of();

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
            classes.stream()
                .filter(c ->
                    c.getPackageName().equals(rootPackage(module))
                        || c.getPackageName().startsWith(rootPackage(module) + ".")))
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
            .map(m -> rootPackage(m) + "..")
            .toArray(String[]::new);

    noClasses()
        .that()
        .resideInAPackage(rootPackage(module) + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden)
        .because("ARCHITECTURE.md: arrows only point down the module table")
        .allowEmptyShould(true)
        .check(classes);
  }

  /**
   * Test helpers (a test-jar's seeded models, fixtures) stay on test paths: no class of a module's
   * {@code src/main} depends on a class of any module's {@code src/test}. The test classes are read
   * from the source folders, so a helper counts even when its test-jar is not on this class path.
   */
  @Test
  void noProductionClassImportsATestHelper() throws IOException {
    Set<String> testClasses = testSourceClasses();
    org.assertj.core.api.Assertions.assertThat(testClasses)
        .as("test classes found under the modules' src/test/java")
        .contains("io.vouch.onnx.testmodels.TestModels", "io.vouch.benchmodels.OpGraphs");

    noClasses()
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "are test helpers (a module's src/test/java)",
                c -> testClasses.contains(c.getName().replaceFirst("\\$.*", ""))))
        .because(
            "test code never ships on a production path: a model a command needs belongs to the"
                + " demo or bench-models module (AGENTS.md)")
        .check(classes);
  }

  /** The top-level class names of every module's {@code src/test/java}. */
  static Set<String> testSourceClasses() throws IOException {
    Path root = Path.of(System.getProperty("vouch.root", ".."));
    Set<String> names = new TreeSet<>();
    for (String module : MODULES) {
      Path sources = root.resolve(module).resolve("src/test/java");
      if (!Files.isDirectory(sources)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(sources)) {
        walk.filter(f -> f.toString().endsWith(".java"))
            .filter(f -> !f.getFileName().toString().equals("package-info.java"))
            .map(f -> sources.relativize(f).toString().replace('\\', '/'))
            .map(f -> f.substring(0, f.length() - ".java".length()).replace('/', '.'))
            .forEach(names::add);
      }
    }
    return names;
  }

  /**
   * The generated web3j wrappers ({@code io.vouch.chain.contracts}) take and return raw {@code
   * byte[]}, {@code BigInteger} and tuples; production code above {@code chain} reaches the
   * contracts through chain's typed clients ({@code chain.hub}, {@code chain.registry}, {@code
   * chain.court}, {@code chain.desk}) instead. Tests may still use the wrappers to set up
   * scenarios.
   */
  @Test
  void onlyChainUsesTheGeneratedWrappers() {
    org.assertj.core.api.Assertions.assertThat(
            classes.stream().filter(c -> c.getPackageName().startsWith("io.vouch.chain.contracts")))
        .as("the generated wrappers on bench's class path (else the rule below checks nothing)")
        .isNotEmpty();
    noClasses()
        .that()
        .resideOutsideOfPackage("io.vouch.chain..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.vouch.chain.contracts..")
        .because(
            "the typed clients of io.vouch.chain (InferenceHubClient, NodeRegistryClient,"
                + " ModelRegistryClient, CourtClient, SupportDeskClient) are the one place that speaks"
                + " to the generated wrappers")
        .check(classes);
  }

  @Test
  void noBranchOnALevelOutsideTheEvidenceModuleAndThePlanner() throws IOException {
    Path root = Path.of(System.getProperty("vouch.root", ".."));
    Map<String, Integer> found = new TreeMap<>();
    int scanned = 0;
    for (String module : MODULES) {
      Path sources = root.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(sources)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(sources)) {
        files = walk.filter(f -> f.toString().endsWith(".java")).toList();
      }
      for (Path file : files) {
        scanned++;
        String relative = root.relativize(file).toString().replace('\\', '/');
        if (MAY_BRANCH_ON_LEVELS.stream().anyMatch(relative::startsWith)) {
          continue;
        }
        int n = (int) Files.readAllLines(file).stream().filter(LEVEL_BRANCH.asPredicate()).count();
        if (n > 0) {
          found.put(relative, n);
        }
      }
    }
    org.assertj.core.api.Assertions.assertThat(scanned)
        .as("Java sources under %s", root.toAbsolutePath())
        .isGreaterThan(100);
    org.assertj.core.api.Assertions.assertThat(found)
        .as(
            "branches on a particular VerificationLevel outside the evidence module and the"
                + " planner: move the level's rule into its producer/verifier pair (io.vouch.evidence)"
                + " instead; a file that lost its branches leaves LEVEL_BRANCHES_LEFT")
        .isEqualTo(new TreeMap<>(LEVEL_BRANCHES_LEFT));
  }
}
