package io.dtx.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code Dtx-Signature} header: Stripe's {@code t=…,v1=…} over the timestamp, a dot and
 * the body, checked against a vector computed elsewhere (Python's hmac), and refused when
 * forged, stale, early, malformed or absent.
 */
class NotificationSignatureTests {

	private static final byte[] BODY = "{\"id\":\"n-1\"}".getBytes(StandardCharsets.UTF_8);

	private static final Instant SIGNED_AT = Instant.ofEpochSecond(1764694800);

	private static final Duration TOLERANCE = Duration.ofMinutes(5);

	@Test
	void signsTheTimestampADotAndTheBodyInHex() {
		assertThat(NotificationSignature.sign("merchant-secret", SIGNED_AT.plusMillis(999), BODY))
			.isEqualTo("t=1764694800,v1=784e2d6d14c28b840e7ecfc3745a73542a8d71d546ee2277e0710e34fa13fae7");
	}

	@Test
	void acceptsItsOwnSignatureWithinTheTolerance() {
		String header = NotificationSignature.sign("merchant-secret", SIGNED_AT, BODY);
		assertThat(verify(header, SIGNED_AT)).isTrue();
		assertThat(verify(header, SIGNED_AT.plus(TOLERANCE))).isTrue();
		assertThat(verify(header, SIGNED_AT.minus(TOLERANCE))).isTrue();
	}

	@Test
	void acceptsAnyOfSeveralSignatures() {
		String header = "t=1764694800,v1=00ff,v1=784e2d6d14c28b840e7ecfc3745a73542a8d71d546ee2277e0710e34fa13fae7";
		assertThat(verify(header, SIGNED_AT)).isTrue();
	}

	@Test
	void refusesForgedStaleEarlyMalformedAndMissingSignatures() {
		String header = NotificationSignature.sign("merchant-secret", SIGNED_AT, BODY);
		assertThat(verify(NotificationSignature.sign("guessed", SIGNED_AT, BODY), SIGNED_AT)).isFalse();
		assertThat(verify(header, SIGNED_AT.plus(TOLERANCE).plusSeconds(1))).as("stale").isFalse();
		assertThat(verify(header, SIGNED_AT.minus(TOLERANCE).minusSeconds(1))).as("early").isFalse();
		assertThat(NotificationSignature.verify("merchant-secret", header, "{}".getBytes(StandardCharsets.UTF_8),
				SIGNED_AT, TOLERANCE))
			.as("another body")
			.isFalse();
		assertThat(verify(header.replace("t=1764694800", "t=1764694801"), SIGNED_AT)).as("another time").isFalse();
		assertThat(verify("v1=784e2d6d14c28b840e7ecfc3745a73542a8d71d546ee2277e0710e34fa13fae7", SIGNED_AT))
			.as("no time")
			.isFalse();
		assertThat(verify("t=1764694800", SIGNED_AT)).as("no signature").isFalse();
		assertThat(verify("t=soon,v1=00", SIGNED_AT)).isFalse();
		assertThat(verify("garbage", SIGNED_AT)).isFalse();
		assertThat(verify(null, SIGNED_AT)).isFalse();
		assertThat(NotificationSignature.verify("", header, BODY, SIGNED_AT, TOLERANCE)).as("no secret").isFalse();
	}

	private static boolean verify(String header, Instant now) {
		return NotificationSignature.verify("merchant-secret", header, BODY, now, TOLERANCE);
	}

}
