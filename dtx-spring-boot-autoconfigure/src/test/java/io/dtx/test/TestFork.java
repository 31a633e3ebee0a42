package io.dtx.test;

/**
 * Which of the build's parallel test JVMs this is. The build runs the tests in several JVMs at
 * once (surefire's {@code forkCount}); each gets its number in {@code DTX_TEST_FORK}, which
 * the child JVMs it starts inherit. Whatever two of them could otherwise share on this
 * machine — test databases, ports, files under {@code target} — is told apart by it.
 */
public final class TestFork {

	private static final String VARIABLE = "DTX_TEST_FORK";

	private TestFork() {
	}

	/**
	 * The fork's number, from 1, or 0 when the tests run in one JVM (an IDE, a single test
	 * from the command line).
	 */
	public static int number() {
		String number = System.getenv(VARIABLE);
		if (number == null || number.isEmpty()) {
			return 0;
		}
		if (!number.matches("[0-9]{1,3}")) {
			throw new IllegalStateException(VARIABLE + " must be a fork number: " + number);
		}
		return Integer.parseInt(number);
	}

	/**
	 * {@code "f<number>"}, or the empty string outside a parallel build.
	 */
	public static String name() {
		int number = number();
		return (number == 0) ? "" : "f" + number;
	}

}
