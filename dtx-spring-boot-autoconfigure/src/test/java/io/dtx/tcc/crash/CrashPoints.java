package io.dtx.tcc.crash;

import java.util.concurrent.CountDownLatch;

/**
 * The named places in the crash-test services where a test kills them. The point named by
 * the {@code crash.point} property prints {@link #MARKER} and its name on a line of its
 * own, then never returns: the test waits for that line and kills the JVM with SIGKILL,
 * so the crash happens exactly there and not a statement later. Every other point does
 * nothing, and with no {@code crash.point} (a restart) none does.
 */
public class CrashPoints {

	/**
	 * What the line printed at the crash point starts with.
	 */
	public static final String MARKER = "CRASH-POINT";

	private final String armed;

	public CrashPoints(String armed) {
		this.armed = armed;
	}

	/**
	 * The line a test waits for before it kills the JVM stopped at {@code point}.
	 */
	public static String reached(String point) {
		return MARKER + " " + point;
	}

	public void reach(String point) {
		if (!point.equals(this.armed)) {
			return;
		}
		System.out.println(reached(point));
		System.out.flush();
		CountDownLatch never = new CountDownLatch(1);
		while (true) {
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				// only the kill may end this thread: returning would let the work go on
			}
		}
	}

}
