package io.dtx.test;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The classes child JVMs load, archived once per test JVM (AppCDS, a dynamic archive) so
 * that each later child maps them instead of loading, parsing and verifying them again: a
 * child Spring Boot service starts in about 3 s instead of 4.5 on an idle machine
 * (measured), and takes less of the cores the other test fork shares. The first child
 * that is closed rather than killed writes the archive as it exits; a killed one writes
 * nothing, and the next child tries. Archives need jars: the class directories of the
 * test's class path are packed into jars once, in {@code target/child-jvms/<fork>/classpath}.
 * Where anything goes wrong the children start as they would without it.
 */
final class ClassArchive {

	private static final Path DIRECTORY = Path.of("target", "child-jvms", TestFork.name(), "classpath");

	private static final Path ARCHIVE = DIRECTORY.resolve("classes.jsa");

	private static String classPath;

	// null unless the directories are packed: a class path with directories cannot be archived
	private static String packedClassPath;

	private static Object dumper;

	private static int dumps;

	private ClassArchive() {
	}

	/**
	 * The class path a child runs on: the test's, its directories packed into jars.
	 */
	static synchronized String classPath() {
		if (classPath == null) {
			classPath = packed(System.getProperty("java.class.path"));
		}
		return classPath;
	}

	/**
	 * The JVM options of a child about to start: use the archive where it exists, else have
	 * this child write it when it exits, unless another child is writing it already.
	 */
	static synchronized List<String> options(Object child) {
		// first: packing the class path once deletes what an earlier run left
		String classPath = classPath();
		List<String> options = new ArrayList<>(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
		if (Files.isRegularFile(ARCHIVE)) {
			options.add("-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath());
		}
		else if (dumper == null && classPath.equals(packedClassPath)) {
			dumper = child;
			options.add("-XX:ArchiveClassesAtExit=" + dumpFile().toAbsolutePath());
		}
		return options;
	}

	/**
	 * Whether {@code child} is to write the archive as it exits, and so must be stopped,
	 * not killed.
	 */
	static synchronized boolean writesArchive(Object child) {
		return dumper == child;
	}

	/**
	 * Called once {@code child} has exited: keeps the archive it wrote where it exited by
	 * itself or when asked ({@code completed}), not where it was killed half way.
	 */
	static synchronized void exited(Object child, boolean completed) {
		if (dumper != child) {
			return;
		}
		dumper = null;
		Path written = dumpFile();
		dumps++;
		try {
			if (completed && Files.isRegularFile(written) && Files.size(written) > 0) {
				Files.move(written, ARCHIVE, StandardCopyOption.ATOMIC_MOVE);
			}
			else {
				Files.deleteIfExists(written);
			}
		}
		catch (IOException ex) {
			// no archive: the children start without one
		}
	}

	private static Path dumpFile() {
		return DIRECTORY.resolve("classes-" + dumps + ".jsa.part");
	}

	private static String packed(String original) {
		try {
			if (Files.isDirectory(DIRECTORY)) {
				try (Stream<Path> old = Files.list(DIRECTORY)) {
					for (Path file : old.toList()) {
						Files.delete(file);
					}
				}
			}
			Files.createDirectories(DIRECTORY);
			List<String> entries = new ArrayList<>();
			for (String entry : original.split(File.pathSeparator)) {
				Path path = Path.of(entry);
				if (Files.isDirectory(path)) {
					Path jar = DIRECTORY.resolve(entries.size() + "-" + path.getFileName() + ".jar");
					pack(path, jar);
					entries.add(jar.toAbsolutePath().toString());
				}
				else {
					entries.add(entry);
				}
			}
			packedClassPath = String.join(File.pathSeparator, entries);
			return packedClassPath;
		}
		catch (IOException | UncheckedIOException ex) {
			return original;
		}
	}

	private static void pack(Path directory, Path jar) throws IOException {
		try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
				Stream<Path> files = Files.walk(directory)) {
			for (Path path : files.sorted().toList()) {
				String name = directory.relativize(path).toString().replace(File.separatorChar, '/');
				if (name.isEmpty()) {
					continue;
				}
				if (Files.isDirectory(path)) {
					out.putNextEntry(new JarEntry(name + "/"));
				}
				else {
					out.putNextEntry(new JarEntry(name));
					Files.copy(path, out);
				}
				out.closeEntry();
			}
		}
	}

}
