package io.dtx.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Signs phase-two requests with the secret the services share, and checks the signature
 * of those received: an HMAC-SHA256 over the method, the path, a timestamp and the body.
 * The timestamp bounds how long a captured request stays valid; the phase-two operations
 * themselves are idempotent, so a replay inside that window changes nothing.
 */
public class RequestSigner {

	private static final String ALGORITHM = "HmacSHA256";

	private final @Nullable SecretKeySpec key;

	private final Duration maxClockSkew;

	private final Clock clock;

	public RequestSigner(@Nullable String secret, Duration maxClockSkew, Clock clock) {
		this.key = (secret == null || secret.isEmpty()) ? null
				: new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
		this.maxClockSkew = maxClockSkew;
		this.clock = clock;
	}

	boolean hasSecret() {
		return this.key != null;
	}

	/**
	 * The timestamp and signature headers for a request.
	 */
	public Signature sign(String method, String path, byte[] body) {
		String timestamp = Long.toString(this.clock.millis());
		return new Signature(timestamp, hmac(method, path, timestamp, body));
	}

	/**
	 * Whether a request carries a valid signature made within the allowed clock skew.
	 */
	public boolean verify(String method, String path, @Nullable String timestamp, @Nullable String signature,
			byte[] body) {
		if (this.key == null || timestamp == null || signature == null) {
			return false;
		}
		long signedAt;
		try {
			signedAt = Long.parseLong(timestamp);
		}
		catch (NumberFormatException ex) {
			return false;
		}
		if (Math.abs(this.clock.millis() - signedAt) > this.maxClockSkew.toMillis()) {
			return false;
		}
		byte[] expected = hmac(method, path, timestamp, body).getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
	}

	private String hmac(String method, String path, String timestamp, byte[] body) {
		if (this.key == null) {
			throw new IllegalStateException("dtx.http.secret is not set: phase-two requests cannot be signed");
		}
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			mac.update((method + "\n" + path + "\n" + timestamp + "\n").getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot compute " + ALGORITHM, ex);
		}
	}

	/**
	 * The values of the {@code Dtx-Timestamp} and {@code Dtx-Signature} headers.
	 */
	public record Signature(String timestamp, String value) {

	}

}
