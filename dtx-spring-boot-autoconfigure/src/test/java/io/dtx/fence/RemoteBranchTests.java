package io.dtx.fence;

import java.time.Instant;

import io.dtx.core.GlobalTransaction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The origin a fence row keeps of a branch another service opened here, and how it is
 * read back when that branch is in doubt.
 */
class RemoteBranchTests {

	private static final Instant DEADLINE = Instant.parse("2026-03-04T05:06:07.089Z");

	@Test
	void originRoundTripsWithItsCoordinator() {
		GlobalTransaction joined = GlobalTransaction.joined("x1", "SAGA", DEADLINE, "r2",
				"http://order:8080");
		String origin = RemoteBranch.origin(joined);
		assertThat(origin).isEqualTo("SAGA " + DEADLINE.toEpochMilli() + " http://order:8080");
		assertThat(RemoteBranch.parse("x1", "r2", origin))
			.isEqualTo(new RemoteBranch("x1", "r2", "SAGA", DEADLINE, "http://order:8080"));
	}

	@Test
	void originRoundTripsWithoutACoordinator() {
		GlobalTransaction joined = GlobalTransaction.joined("x1", "TCC", DEADLINE, "r1", null);
		String origin = RemoteBranch.origin(joined);
		assertThat(origin).isEqualTo("TCC " + DEADLINE.toEpochMilli());
		assertThat(RemoteBranch.parse("x1", "r1", origin))
			.isEqualTo(new RemoteBranch("x1", "r1", "TCC", DEADLINE, null));
	}

	@Test
	void deadlineKeepsMillisecondsOnly() {
		Instant withNanos = Instant.parse("2026-03-04T05:06:07.089123456Z");
		GlobalTransaction joined = GlobalTransaction.joined("x1", "TCC", withNanos, "r1", null);
		assertThat(RemoteBranch.parse("x1", "r1", RemoteBranch.origin(joined)).deadline()).isEqualTo(DEADLINE);
	}

	@Test
	void coordinatorUrlWithAPathAndQuerySurvives() {
		GlobalTransaction joined = GlobalTransaction.joined("x1", "TCC", DEADLINE, "r1",
				"https://order.example:8443/api/v1?zone=a");
		assertThat(RemoteBranch.parse("x1", "r1", RemoteBranch.origin(joined)).coordinatorUrl())
			.isEqualTo("https://order.example:8443/api/v1?zone=a");
	}

	@Test
	void rowWithoutOriginWaitsForPhaseTwoWithNobodyToAsk() {
		RemoteBranch branch = RemoteBranch.parse("x1", "r1", null);
		assertThat(branch).isEqualTo(new RemoteBranch("x1", "r1", null, Instant.MAX, null));
		assertThat(RemoteBranch.parse("x1", "r1", "")).isEqualTo(branch);
		assertThat(RemoteBranch.parse("x1", "r1", "TCC")).as("no deadline").isEqualTo(branch);
	}

	@Test
	void anyModeIsKeptForTheResolverToLookUp() {
		assertThat(RemoteBranch.parse("x1", "r1", "XA 1000").mode()).isEqualTo("XA");
	}

	@Test
	void malformedDeadlineIsAnError() {
		assertThatIllegalArgumentException().isThrownBy(() -> RemoteBranch.parse("x1", "r1", "TCC soon"));
	}

}
