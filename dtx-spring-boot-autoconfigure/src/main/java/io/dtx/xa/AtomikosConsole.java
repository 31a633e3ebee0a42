package io.dtx.xa;

import java.io.PrintStream;

/**
 * Keeps two lines of Atomikos off standard output. Its logging probe prints "No
 * org.slf4j.impl.StaticLoggerBinder found in ClassPath, trying with log4j2..." on every
 * application with SLF4J 2 (Spring Boot's), whose binding it does not know, and then logs
 * through Log4j's API, which Spring Boot routes to SLF4J after all. Its start prints its
 * registration banner with {@code System.out.println} and logs it at WARN as well, so an
 * application saw it twice; it keeps the logged one, which the application's logging
 * configuration governs. Every other line passes unchanged, whatever thread prints it.
 */
final class AtomikosConsole {

	private static final String[] DROPPED = { "No org.slf4j.impl.StaticLoggerBinder found in ClassPath",
			"Thanks for using Atomikos! This installation is not registered yet." };

	private AtomikosConsole() {
	}

	/**
	 * Runs Atomikos's logging probe, quietly, if it has not run yet: it runs once per
	 * class loader, when the first class of Atomikos that logs is initialized.
	 */
	static void initializeLogging() {
		quietly(() -> {
			try {
				Class.forName("com.atomikos.logging.LoggerFactory", true, AtomikosConsole.class.getClassLoader());
			}
			catch (ClassNotFoundException ex) {
				// no Atomikos, nothing to probe
			}
		});
	}

	/**
	 * Runs {@code action} with Atomikos's lines dropped from {@code System.out}.
	 */
	static synchronized void quietly(Runnable action) {
		PrintStream original = System.out;
		Filter filter = new Filter(original);
		System.setOut(filter);
		try {
			action.run();
		}
		finally {
			// another component may have set its own stream meanwhile: leave that one
			if (System.out == filter) {
				System.setOut(original);
			}
		}
	}

	private static final class Filter extends PrintStream {

		private final PrintStream target;

		Filter(PrintStream target) {
			super(target, true);
			this.target = target;
		}

		@Override
		public void println(String line) {
			if (line != null) {
				for (String dropped : DROPPED) {
					if (line.startsWith(dropped)) {
						return;
					}
				}
			}
			this.target.println(line);
		}

	}

}
