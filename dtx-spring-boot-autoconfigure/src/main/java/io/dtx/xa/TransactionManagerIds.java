package io.dtx.xa;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Names of transaction managers. Atomikos writes the name into every XA transaction id
 * (whose global part holds at most 64 bytes) and recovers only the ids that carry it, so
 * a name must be short, stable across restarts and unique among the instances that share
 * a database.
 */
public final class TransactionManagerIds {

	/**
	 * The longest name accepted.
	 */
	public static final int MAX_LENGTH = 30;

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]+");

	private TransactionManagerIds() {
	}

	/**
	 * The default name of an instance: its application name followed by a hash of the
	 * host name and the absolute log directory, the two things that tell instances apart
	 * and stay the same when one restarts.
	 */
	public static String defaultId(@Nullable String applicationName, Path logDir) {
		String base = StringUtils.hasText(applicationName) ? applicationName.replaceAll("[^A-Za-z0-9._-]", "-") : "dtx";
		CRC32 crc = new CRC32();
		crc.update((hostName() + "|" + logDir.toAbsolutePath().normalize()).getBytes(StandardCharsets.UTF_8));
		String hash = String.format("%08x", crc.getValue());
		int room = MAX_LENGTH - hash.length() - 1;
		return ((base.length() > room) ? base.substring(0, room) : base) + "-" + hash;
	}

	/**
	 * Returns the name if Atomikos can carry it, and fails naming the setting otherwise.
	 */
	static String validate(String id) {
		if (id.isEmpty() || id.length() > MAX_LENGTH || !VALID.matcher(id).matches()) {
			throw new IllegalArgumentException("dtx.xa.transaction-manager-id '" + id
					+ "' must be 1 to " + MAX_LENGTH + " letters, digits, dots, dashes or underscores");
		}
		return id;
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
