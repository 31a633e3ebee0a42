package io.dtx.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A JVM started on the test's own classpath, for tests that kill a process and start it
 * again. What it prints, stdout and stderr together, is kept for the test to wait on and
 * written to {@code target/child-jvms/<fork>/<name>.log}, so that a failure can be diagnosed.
 * Close it in a {@code finally} block or an {@code @AfterEach} method: a test that fails
 * half way must leave no JVM behind.
 */
public final class ChildJvm implements AutoCloseable {

	private static final Path OUTPUT_DIRECTORY = Path.of("target", "child-jvms", TestFork.name());

	// long enough for a loaded machine, short enough that a hung child fails the test
	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

	private final String name;

	private final Process process;

	private final Path outputFile;

	private final PrintWriter outputCopy;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile boolean outputEnded;

	// what ClassArchive knows this child by
	private final Object archiveKey;

	private ChildJvm(String name, Process process, Path outputFile, PrintWriter outputCopy, Object archiveKey) {
		this.name = name;
		this.archiveKey = archiveKey;
		this.process = process;
		this.outputFile = outputFile;
		this.outputCopy = outputCopy;
		this.reader = new Thread(this::readOutput, "child-jvm-" + name);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Starts {@code mainClass} in a new JVM with the given JVM options (for instance
	 * system properties) and program arguments.
	 */
	public static ChildJvm start(String name, List<String> jvmOptions, Class<?> mainClass, List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// children live for seconds: start fast rather than run fast
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-XX:+UseSerialGC");
		Object archiveKey = new Object();
		command.addAll(ClassArchive.options(archiveKey));
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(ClassArchive.classPath());
		command.add(mainClass.getName());
		command.addAll(arguments);
		Path outputFile = OUTPUT_DIRECTORY.resolve(name + ".log");
		PrintWriter outputCopy = null;
		try {
			Files.createDirectories(OUTPUT_DIRECTORY);
			outputCopy = new PrintWriter(Files.newBufferedWriter(outputFile), true);
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			return new ChildJvm(name, process, outputFile, outputCopy, archiveKey);
		}
		catch (IOException ex) {
			ClassArchive.exited(archiveKey, false);
			if (outputCopy != null) {
				outputCopy.close();
			}
			throw new UncheckedIOException("cannot start " + name + ": " + command, ex);
		}
	}

	/**
	 * Waits until the child prints a line containing {@code text}, and fails, showing its
	 * output, if it exits or the timeout passes first.
	 */
	public void awaitOutput(String text, Duration timeout) {
		try {
			await().atMost(timeout).until(() -> hasPrinted(text) || this.outputEnded);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(this.name + " did not print '" + text + "' within " + timeout + "\n" + describe(),
					ex);
		}
		if (!hasPrinted(text)) {
			throw new AssertionError(this.name + " ended before it printed '" + text + "'\n" + describe());
		}
	}

	public boolean hasPrinted(String text) {
		return this.lines.stream().anyMatch((line) -> line.contains(text));
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Kills the child with SIGKILL, as {@code kill -9} does: no shutdown hook, no
	 * finally block, no flush runs in it. Returns once it is dead.
	 */
	public void kill() {
		this.process.destroyForcibly();
		awaitExit();
		ClassArchive.exited(this.archiveKey, false);
	}

	/**
	 * Asks the child to stop with SIGTERM, which runs its shutdown hooks, and kills it if
	 * it has not stopped in time.
	 */
	public void stop() {
		this.process.destroy();
		try {
			if (this.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				awaitExit();
				ClassArchive.exited(this.archiveKey, true);
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		kill();
	}

	/**
	 * The child's name, where its output is, and its last lines.
	 */
	public String describe() {
		List<String> printed = List.copyOf(this.lines);
		List<String> last = printed.subList(Math.max(0, printed.size() - 40), printed.size());
		return "---- " + this.name + " (" + (isAlive() ? "running" : "exited") + ", full output in "
				+ this.outputFile.toAbsolutePath() + "), last lines:\n" + String.join("\n", last) + "\n----";
	}

	/**
	 * Kills the child if it still runs; stops it instead where it is to write the
	 * {@link ClassArchive} as it exits.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			if (ClassArchive.writesArchive(this.archiveKey)) {
				stop();
			}
			else {
				kill();
			}
		}
		else {
			// it ended by itself, which writes the archive too
			ClassArchive.exited(this.archiveKey, true);
		}
	}

	private void awaitExit() {
		try {
			if (!this.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(this.name + " (pid " + this.process.pid() + ") did not exit");
			}
			// the rest of its output is still in the pipe
			this.reader.join(EXIT_TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void readOutput() {
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter file = this.outputCopy) {
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				file.println(line);
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			this.lines.add("[" + this.name + ": output unreadable: " + ex + "]");
		}
		finally {
			this.outputEnded = true;
		}
	}

}
