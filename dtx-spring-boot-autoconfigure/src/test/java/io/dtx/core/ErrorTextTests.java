package io.dtx.core;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTextTests {

	@Test
	void namesEveryCauseOutermostFirst() {
		Exception failure = new IllegalStateException("phase two did not reach r1",
				new UncheckedIOException(new IOException()));
		assertThat(ErrorText.of(failure)).isEqualTo("IllegalStateException: phase two did not reach r1; caused by "
				+ "UncheckedIOException: java.io.IOException; caused by IOException");
	}

	@Test
	void isCutToTheColumnsLength() {
		assertThat(ErrorText.of(new IllegalStateException("x".repeat(5000)))).hasSize(ErrorText.MAX_LENGTH);
		assertThat(ErrorText.fit("short")).isEqualTo("short");
	}

}
