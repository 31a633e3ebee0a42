package io.dtx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout's rules, read from the sources: which package may import which (README,
 * Layout), and that no package every mode shares names a mode, so that a new mode is a
 * package plus a registration and edits none of them.
 */
class PackageRulesTests {

	private static final Path SOURCES = Path.of("src/main/java/io/dtx");

	private static final Set<String> MODES = Set.of("tcc", "saga", "xa");

	// a mode of its own inside the saga package: its imports of io.dtx.saga.orchestration are its own
	private static final String ORCHESTRATION = "saga/orchestration";

	private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(Map.entry("core", Set.of()),
			Map.entry("jdbc", Set.of("core")), Map.entry("fence", Set.of("core", "jdbc")),
			Map.entry("coordinator", Set.of("core", "jdbc", "fence")), Map.entry("aop", Set.of("core")),
			Map.entry("outbox", Set.of("core", "jdbc")), Map.entry("notify", Set.of("core", "jdbc")),
			Map.entry("message", Set.of("core", "jdbc", "outbox", "web", "ops")),
			// sagas by commands run on Kafka through the outbox and the inbox
			Map.entry(ORCHESTRATION, Set.of("core", "jdbc", "aop", "fence", "outbox", "ops")),
			Map.entry("web", Set.of("core", "fence", "coordinator")),
			Map.entry("ops", Set.of("core", "jdbc", "fence", "coordinator", "saga", "outbox", "notify")));

	private static final Set<String> MODE_PACKAGES_MAY_IMPORT = Set.of("core", "jdbc", "fence", "coordinator", "aop");

	// a mode by its name, its types' prefix or in prose, in code and comments alike
	private static final Pattern MODE_NAME = Pattern.compile("\\b(TCC|SAGA|Tcc\\w*|Saga\\w*|tcc|sagas?)\\b");

	private static final Pattern DTX_IMPORT = Pattern.compile("^import (?:static )?io\\.dtx\\.(\\w+)\\.", Pattern.MULTILINE);

	@Test
	void eachPackageImportsOnlyThePackagesBelowIt() {
		List<String> violations = new ArrayList<>();
		MAY_IMPORT.forEach((pkg, allowed) -> forEachSource(pkg, (file, source) -> imported(source).stream()
			.filter((other) -> !other.equals(pkg) && !allowed.contains(other))
			.forEach((other) -> violations.add(file + " imports io.dtx." + other))));
		MODES.forEach((mode) -> forEachSource(mode, (file, source) -> imported(source).stream()
			.filter((other) -> !file.startsWith(ORCHESTRATION))
			.filter((other) -> !other.equals(mode) && !MODE_PACKAGES_MAY_IMPORT.contains(other))
			.forEach((other) -> violations.add(file + " (a mode) imports io.dtx." + other))));
		assertThat(violations).isEmpty();
	}

	@Test
	void noSharedPackageNamesAMode() {
		List<String> violations = new ArrayList<>();
		for (String pkg : List.of("core", "jdbc", "fence", "coordinator", "aop", "web")) {
			forEachSource(pkg, (file, source) -> {
				String[] lines = source.split("\n", -1);
				for (int i = 0; i < lines.length; i++) {
					Matcher mode = MODE_NAME.matcher(lines[i]);
					if (mode.find()) {
						violations.add(file + ":" + (i + 1) + " names " + mode.group());
					}
				}
			});
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void theRulesSeeEveryPackage() {
		try (Stream<Path> packages = Files.list(SOURCES)) {
			assertThat(packages.map((dir) -> dir.getFileName().toString()))
				.allMatch((pkg) -> MAY_IMPORT.containsKey(pkg) || MODES.contains(pkg) || pkg.equals("autoconfigure"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Set<String> imported(String source) {
		Set<String> packages = new java.util.TreeSet<>();
		Matcher matcher = DTX_IMPORT.matcher(source);
		while (matcher.find()) {
			packages.add(matcher.group(1));
		}
		return packages;
	}

	private static void forEachSource(String pkg, SourceConsumer consumer) {
		Path dir = SOURCES.resolve(pkg);
		assertThat(dir).isDirectory();
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				consumer.accept(SOURCES.relativize(file), Files.readString(file));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private interface SourceConsumer {

		void accept(Path file, String source) throws IOException;

	}

}
