package io.dtx.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * The name this instance's leases carry where {@code dtx.instance-id} gives none: host,
 * process and a random part. {@link DtxProperties} makes it once per binding, so that
 * recovery and the coordinators' follow-ups hold leases under the same name, and two
 * contexts in one JVM under two.
 */
final class DtxInstance {

	private DtxInstance() {
	}

	static String defaultId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "localhost";
		}
		return host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

}
