package io.dtx.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for services a test starts later, or starts again after a kill, at an address
 * it gave out before. A port the kernel hands out by itself ({@code new ServerSocket(0)})
 * lies in its ephemeral range, where an outgoing connection or a {@code server.port=0} of
 * another process may take it before the service binds it (seen in CI under load: "Port
 * 34259 was already in use"). These lie below 32768, where neither Linux's range nor
 * IANA's begins, so only a process that asks for a port by number binds one; each is
 * handed out once per JVM, and each {@link TestFork} has a range of its own, so two forks
 * never hand out the same port.
 */
public final class Ports {

	private static final int LOWEST = 10000;

	private static final int RANGE = 32768 - LOWEST;

	// room for four forks; a build runs two
	private static final int FORK_RANGE = RANGE / 4;

	private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

	private Ports() {
	}

	/**
	 * A port nothing listens on now and the kernel does not hand out by itself.
	 */
	public static int free() {
		int from = (TestFork.number() == 0) ? LOWEST : LOWEST + ((TestFork.number() - 1) % 4) * FORK_RANGE;
		int to = (TestFork.number() == 0) ? LOWEST + RANGE : from + FORK_RANGE;
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(from, to);
			if (HANDED_OUT.add(port) && bindable(port)) {
				return port;
			}
		}
		throw new IllegalStateException("no free port in " + from + "-" + (to - 1));
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
