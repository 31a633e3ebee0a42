package io.dtx.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The {@code Dtx-Signature} header, Stripe's scheme: {@code t=<unix seconds>,v1=<hex>},
 * the hex being the HMAC-SHA256, keyed with the endpoint's secret, of the timestamp, a
 * dot and the body. The timestamp bounds how long a captured request stays valid; within
 * that window the receiver's inbox makes a replay change nothing.
 */
final class NotificationSignature {

	static final String HEADER = "Dtx-Signature";

	private static final String ALGORITHM = "HmacSHA256";

	private NotificationSignature() {
	}

	/**
	 * The header's value for {@code body} sent at {@code now}.
	 */
	static String sign(String secret, Instant now, byte[] body) {
		long timestamp = now.getEpochSecond();
		return "t=" + timestamp + ",v1=" + hmac(secret, timestamp, body);
	}

	/**
	 * Whether {@code header} holds a signature of {@code body} with {@code secret} made no
	 * more than {@code tolerance} away from {@code now}. Several {@code v1} values (a
	 * sender rolling its secret) pass where one matches.
	 */
	static boolean verify(String secret, @Nullable String header, byte[] body, Instant now, Duration tolerance) {
		if (header == null || secret.isEmpty()) {
			return false;
		}
		Long timestamp = null;
		List<String> signatures = new ArrayList<>();
		for (String part : header.split(",")) {
			String[] pair = part.trim().split("=", 2);
			if (pair.length != 2) {
				continue;
			}
			if (pair[0].equals("t")) {
				try {
					timestamp = Long.parseLong(pair[1]);
				}
				catch (NumberFormatException ex) {
					return false;
				}
			}
			else if (pair[0].equals("v1")) {
				signatures.add(pair[1]);
			}
		}
		if (timestamp == null || signatures.isEmpty()
				|| Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
			return false;
		}
		byte[] expected = hmac(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
		return signatures.stream()
			.anyMatch((signature) -> MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII)));
	}

	private static String hmac(String secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
			mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot compute " + ALGORITHM, ex);
		}
	}

}
