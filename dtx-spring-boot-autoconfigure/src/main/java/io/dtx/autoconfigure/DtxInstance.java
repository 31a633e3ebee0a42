package io.dtx.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * The name this instance's leases carry: {@code dtx.instance-id}, or host, process and a
 * random part, made once per application context so that recovery and the coordinators'
 * follow-ups hold leases under the same name, and two contexts in one JVM under two.
 */
final class DtxInstance {

	private static final Map<DtxProperties, String> defaultIds = new WeakHashMap<>();

	private DtxInstance() {
	}

	static String id(DtxProperties properties) {
		if (properties.getInstanceId() != null) {
			return properties.getInstanceId();
		}
		synchronized (defaultIds) {
			return defaultIds.computeIfAbsent(properties, (key) -> defaultId());
		}
	}

	private static String defaultId() {
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
