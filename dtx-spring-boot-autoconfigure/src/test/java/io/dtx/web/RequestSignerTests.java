package io.dtx.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Phase-two requests signed by one service and checked by another: only a request signed
 * with the shared secret, recently, for this method, path and body passes.
 */
class RequestSignerTests {

	private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

	private static final Duration SKEW = Duration.ofMinutes(5);

	private static final byte[] BODY = "{\"xid\":\"x1\",\"branch\":\"r1\",\"mode\":\"TCC\",\"decision\":\"cancel\"}"
		.getBytes(StandardCharsets.UTF_8);

	private final RequestSigner signer = signer("shared-secret", NOW);

	private final RequestSigner verifier = signer("shared-secret", NOW.plusSeconds(2));

	@Test
	void signedRequestVerifies() {
		RequestSigner.Signature signature = this.signer.sign("POST", "/dtx/phase-two", BODY);
		assertThat(signature.timestamp()).isEqualTo(Long.toString(NOW.toEpochMilli()));
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", signature.timestamp(), signature.value(), BODY))
			.isTrue();
	}

	@Test
	void signatureIsDeterministicForTheSameRequestAndTime() {
		assertThat(this.signer.sign("POST", "/dtx/phase-two", BODY))
			.isEqualTo(this.signer.sign("POST", "/dtx/phase-two", BODY));
	}

	@Test
	void emptyBodySignsAndVerifies() {
		RequestSigner.Signature signature = this.signer.sign("GET", "/dtx/transactions/x1", new byte[0]);
		assertThat(this.verifier.verify("GET", "/dtx/transactions/x1", signature.timestamp(), signature.value(),
				new byte[0]))
			.isTrue();
	}

	@Test
	void signatureMadeWithAnotherSecretIsRefused() {
		RequestSigner.Signature forged = signer("guessed-secret", NOW).sign("POST", "/dtx/phase-two", BODY);
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", forged.timestamp(), forged.value(), BODY)).isFalse();
	}

	@Test
	void madeUpSignatureIsRefused() {
		String timestamp = Long.toString(NOW.toEpochMilli());
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", timestamp, "AAAA", BODY)).isFalse();
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", timestamp, "", BODY)).isFalse();
	}

	@Test
	void tamperedBodyIsRefused() {
		RequestSigner.Signature signature = this.signer.sign("POST", "/dtx/phase-two", BODY);
		byte[] confirm = new String(BODY, StandardCharsets.UTF_8).replace("cancel", "confirm")
			.getBytes(StandardCharsets.UTF_8);
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", signature.timestamp(), signature.value(), confirm))
			.isFalse();
	}

	@Test
	void otherPathOrMethodIsRefused() {
		RequestSigner.Signature signature = this.signer.sign("POST", "/dtx/phase-two", BODY);
		assertThat(this.verifier.verify("POST", "/other/phase-two", signature.timestamp(), signature.value(), BODY))
			.isFalse();
		assertThat(this.verifier.verify("PUT", "/dtx/phase-two", signature.timestamp(), signature.value(), BODY))
			.isFalse();
	}

	@Test
	void timestampChangedAfterSigningIsRefused() {
		RequestSigner.Signature signature = this.signer.sign("POST", "/dtx/phase-two", BODY);
		String later = Long.toString(NOW.toEpochMilli() + 1);
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", later, signature.value(), BODY)).isFalse();
	}

	@Test
	void staleRequestIsRefused() {
		RequestSigner.Signature old = signer("shared-secret", NOW.minus(SKEW).minusMillis(1)).sign("POST",
				"/dtx/phase-two", BODY);
		assertThat(signer("shared-secret", NOW).verify("POST", "/dtx/phase-two", old.timestamp(), old.value(), BODY))
			.isFalse();
	}

	@Test
	void requestFromTooFarInTheFutureIsRefused() {
		RequestSigner.Signature ahead = signer("shared-secret", NOW.plus(SKEW).plusMillis(1)).sign("POST",
				"/dtx/phase-two", BODY);
		assertThat(signer("shared-secret", NOW).verify("POST", "/dtx/phase-two", ahead.timestamp(), ahead.value(),
				BODY))
			.isFalse();
	}

	@Test
	void requestJustWithinTheSkewVerifies() {
		RequestSigner.Signature old = signer("shared-secret", NOW.minus(SKEW)).sign("POST", "/dtx/phase-two", BODY);
		assertThat(signer("shared-secret", NOW).verify("POST", "/dtx/phase-two", old.timestamp(), old.value(), BODY))
			.isTrue();
	}

	@Test
	void missingOrMalformedHeadersAreRefused() {
		RequestSigner.Signature signature = this.signer.sign("POST", "/dtx/phase-two", BODY);
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", null, signature.value(), BODY)).isFalse();
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", signature.timestamp(), null, BODY)).isFalse();
		assertThat(this.verifier.verify("POST", "/dtx/phase-two", "yesterday", signature.value(), BODY)).isFalse();
	}

	@Test
	void withoutASecretNothingVerifiesAndNothingCanBeSigned() {
		RequestSigner.Signature signature = this.signer.sign("POST", "/dtx/phase-two", BODY);
		for (String secret : new String[] { null, "" }) {
			RequestSigner none = signer(secret, NOW);
			assertThat(none.hasSecret()).isFalse();
			assertThat(none.verify("POST", "/dtx/phase-two", signature.timestamp(), signature.value(), BODY)).isFalse();
			assertThatIllegalStateException().isThrownBy(() -> none.sign("POST", "/dtx/phase-two", BODY))
				.withMessageContaining("dtx.http.secret is not set");
		}
		assertThat(this.signer.hasSecret()).isTrue();
	}

	private static RequestSigner signer(String secret, Instant now) {
		return new RequestSigner(secret, SKEW, Clock.fixed(now, ZoneOffset.UTC));
	}

}
