package io.dtx.web;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.test.TestModes;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.MDC;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A request joins the transaction its headers carry for exactly as long as it runs; a
 * malformed context is refused before anything runs.
 */
class DtxServerFilterTests {

	private static final Instant DEADLINE = Instant.parse("2026-05-01T12:00:30Z");

	private final DtxServerFilter filter = new DtxServerFilter(TestModes.named("TCC", "SAGA"));

	private final AtomicReference<GlobalTransaction> seen = new AtomicReference<>();

	private final AtomicReference<String> seenMdc = new AtomicReference<>();

	private boolean chainRan;

	private final FilterChain chain = (request, response) -> {
		this.chainRan = true;
		this.seen.set(GlobalTransactionContext.current());
		this.seenMdc.set(MDC.get(GlobalTransactionContext.MDC_KEY));
	};

	@AfterEach
	void clear() {
		GlobalTransactionContext.clear();
	}

	@Test
	void requestWithContextRunsInTheCallersTransaction() throws Exception {
		MockHttpServletResponse response = filter(request("0123456789abcdef0123456789abcdef", "r1", "TCC",
				Long.toString(DEADLINE.toEpochMilli()), "http://order:8080"));
		assertThat(response.getStatus()).isEqualTo(200);
		GlobalTransaction joined = this.seen.get();
		assertThat(joined).isNotNull();
		assertThat(joined.xid()).isEqualTo("0123456789abcdef0123456789abcdef");
		assertThat(joined.parentBranch()).isEqualTo("r1");
		assertThat(joined.mode()).isEqualTo("TCC");
		assertThat(joined.deadline()).isEqualTo(DEADLINE);
		assertThat(joined.coordinatorUrl()).isEqualTo("http://order:8080");
		assertThat(this.seenMdc.get()).as("log lines carry the xid").isEqualTo(joined.xid());
	}

	@Test
	void nestedBranchAndSagaModeAreJoinedToo() throws Exception {
		filter(request("x1", "r1.r2", "SAGA", "1000", null));
		assertThat(this.seen.get().parentBranch()).isEqualTo("r1.r2");
		assertThat(this.seen.get().mode()).isEqualTo("SAGA");
		assertThat(this.seen.get().coordinatorUrl()).isNull();
	}

	@Test
	void contextIsClearedAfterTheRequest() throws Exception {
		filter(request("x1", "r1", "TCC", "1000", null));
		assertThat(this.seen.get()).isNotNull();
		assertThat(GlobalTransactionContext.current()).isNull();
		assertThat(MDC.get(GlobalTransactionContext.MDC_KEY)).isNull();
	}

	@Test
	void contextIsClearedWhenTheRequestFails() {
		FilterChain failing = (request, response) -> {
			throw new IllegalStateException("handler failed");
		};
		assertThatIllegalStateException()
			.isThrownBy(() -> this.filter.doFilter(request("x1", "r1", "TCC", "1000", null),
					new MockHttpServletResponse(), failing))
			.withMessage("handler failed");
		assertThat(GlobalTransactionContext.current()).isNull();
	}

	@Test
	void requestWithoutContextRunsOutsideAnyTransaction() throws Exception {
		MockHttpServletResponse response = filter(new MockHttpServletRequest("POST", "/freeze"));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(this.chainRan).isTrue();
		assertThat(this.seen.get()).isNull();
	}

	@ParameterizedTest(name = "xid={0} branch={1} mode={2} deadline={3}")
	@CsvSource(nullValues = "NULL", value = { "x'; drop table account; --, r1, TCC, 1000",
			"'', r1, TCC, 1000", "x1, NULL, TCC, 1000", "x1, R1, TCC, 1000", "x1, r1;b2, TCC, 1000",
			"x1, r1, NULL, 1000", "x1, r1, tcc, 1000", "x1, r1, XA, 1000", "x1, r1, TCC, NULL",
			"x1, r1, TCC, soon", "x1, r1, TCC, 1.5",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, r1, TCC, 1000" })
	void malformedContextIsRefusedWith400AndNothingRuns(String xid, String branch, String mode, String deadline)
			throws Exception {
		MockHttpServletResponse response = filter(request(xid, branch, mode, deadline, null));
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getErrorMessage()).isEqualTo("Malformed Dtx-Xid context");
		assertThat(this.chainRan).as("the handler did not run").isFalse();
		assertThat(GlobalTransactionContext.current()).isNull();
	}

	@Test
	void threadAlreadyInATransactionKeepsIt() throws Exception {
		GlobalTransaction own = new GlobalTransaction("own", "TCC", "local", DEADLINE);
		GlobalTransactionContext.bind(own);
		filter(request("x1", "r1", "TCC", "1000", null));
		assertThat(this.seen.get()).isSameAs(own);
		assertThat(GlobalTransactionContext.current()).as("not cleared by the filter").isSameAs(own);
	}

	private MockHttpServletResponse filter(MockHttpServletRequest request) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, this.chain);
		return response;
	}

	private static MockHttpServletRequest request(String xid, String branch, String mode, String deadline,
			String coordinator) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/freeze");
		header(request, DtxHeaders.XID, xid);
		header(request, DtxHeaders.BRANCH, branch);
		header(request, DtxHeaders.MODE, mode);
		header(request, DtxHeaders.DEADLINE, deadline);
		header(request, DtxHeaders.COORDINATOR, coordinator);
		return request;
	}

	private static void header(MockHttpServletRequest request, String name, String value) {
		if (value != null) {
			request.addHeader(name, value);
		}
	}

}
