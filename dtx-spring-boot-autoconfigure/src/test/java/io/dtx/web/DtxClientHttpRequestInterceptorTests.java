package io.dtx.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.ParticipantLog;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.core.Participant;
import io.dtx.jdbc.DtxSchema;
import io.dtx.jdbc.DtxTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * An outgoing call inside a global transaction records its callee as a participant, then
 * carries the context in headers; a call outside one carries nothing. Covers
 * {@link ContextPropagation}, which every HTTP client goes through.
 */
class DtxClientHttpRequestInterceptorTests {

	private static final Instant DEADLINE = Instant.parse("2026-05-01T12:00:30Z");

	private JdbcTemplate jdbc;

	private GlobalTransactionLog log;

	private DtxClientHttpRequestInterceptor interceptor;

	private DtxClientHttpRequestInterceptor interceptorWithoutSecret;

	private final AtomicReference<HttpHeaders> sent = new AtomicReference<>();

	private final ClientHttpRequestExecution execution = (request, body) -> {
		this.sent.set(HttpHeaders.copyOf(request.getHeaders()));
		return new MockClientHttpResponse(new byte[0], HttpStatus.OK);
	};

	@BeforeEach
	void prepare() {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:propagation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		new DtxSchema(dataSource, "dtx_").migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		this.log = new GlobalTransactionLog(DtxTables.of(dataSource, "dtx_", Clock.systemUTC()));
		ParticipantLog participants = new ParticipantLog(DtxTables.of(dataSource, "dtx_", Clock.systemUTC()));
		JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
		this.interceptor = new DtxClientHttpRequestInterceptor(new ContextPropagation(this.log, participants,
				transactionManager, new RequestSigner("secret", Duration.ofMinutes(5), Clock.systemUTC()), "/dtx",
				() -> "http://order:8080"));
		this.interceptorWithoutSecret = new DtxClientHttpRequestInterceptor(new ContextPropagation(this.log,
				participants, transactionManager, new RequestSigner(null, Duration.ofMinutes(5), Clock.systemUTC()),
				"/dtx", () -> "http://order:8080"));
	}

	@AfterEach
	void clear() {
		GlobalTransactionContext.clear();
	}

	@Test
	void callOutsideATransactionCarriesNoContextAndRecordsNothing() throws Exception {
		call(this.interceptor, "http://payment:8081/freeze");
		assertThat(this.sent.get().headerNames()).noneMatch((name) -> name.startsWith("Dtx-"));
		assertThat(rows("dtx_participant")).isZero();
		assertThat(rows("dtx_global_transaction")).isZero();
	}

	@Test
	void callInsideATransactionCarriesItsContext() throws Exception {
		GlobalTransaction transaction = begin();
		call(this.interceptor, "http://payment:8081/freeze?amount=10");
		HttpHeaders headers = this.sent.get();
		assertThat(headers.getFirst(DtxHeaders.XID)).isEqualTo(transaction.xid());
		assertThat(headers.getFirst(DtxHeaders.BRANCH)).isEqualTo("r1");
		assertThat(headers.getFirst(DtxHeaders.MODE)).isEqualTo("TCC");
		assertThat(headers.getFirst(DtxHeaders.DEADLINE)).isEqualTo(Long.toString(DEADLINE.toEpochMilli()));
		assertThat(headers.getFirst(DtxHeaders.COORDINATOR)).as("this service decides").isEqualTo("http://order:8080");
	}

	@Test
	void calleeIsRecordedAsAParticipantBeforeTheCall() throws Exception {
		GlobalTransaction transaction = begin();
		AtomicReference<List<String>> recordedBeforeSending = new AtomicReference<>();
		this.interceptor.intercept(request("http://payment:8081/freeze?amount=10"), new byte[0], (request, body) -> {
			recordedBeforeSending.set(this.jdbc.queryForList(
					"select branch_id || ' ' || url || ' ' || state from dtx_participant", String.class));
			return new MockClientHttpResponse(new byte[0], HttpStatus.OK);
		});
		assertThat(recordedBeforeSending.get()).containsExactly("r1 http://payment:8081/dtx PENDING");
		assertThat(transaction.participants())
			.containsExactly(new Participant("r1", "http://payment:8081/dtx"));
	}

	@Test
	void rootTransactionIsRecordedBeforeItsFirstCall() throws Exception {
		GlobalTransaction transaction = begin();
		call(this.interceptor, "http://payment:8081/freeze");
		assertThat(transaction.isRecorded()).isTrue();
		assertThat(this.log.state(transaction.xid())).as("a participant in doubt can ask")
			.isEqualTo(io.dtx.core.GlobalState.TRYING);
	}

	@Test
	void eachCallOpensItsOwnBranch() throws Exception {
		GlobalTransaction transaction = begin();
		call(this.interceptor, "http://payment:8081/freeze");
		assertThat(this.sent.get().getFirst(DtxHeaders.BRANCH)).isEqualTo("r1");
		call(this.interceptor, "https://delivery.example/ship");
		assertThat(this.sent.get().getFirst(DtxHeaders.BRANCH)).isEqualTo("r2");
		assertThat(transaction.participants()).extracting(Participant::url)
			.containsExactly("http://payment:8081/dtx", "https://delivery.example/dtx");
		assertThat(rows("dtx_global_transaction")).isOne();
		assertThat(rows("dtx_participant")).isEqualTo(2);
	}

	@Test
	void joinedTransactionPassesItsCoordinatorOnAndOpensNestedBranches() throws Exception {
		GlobalTransaction joined = GlobalTransaction.joined("0123456789abcdef", "SAGA", DEADLINE, "r1",
				"http://root:8080");
		GlobalTransactionContext.bind(joined);
		call(this.interceptor, "http://bank:8082/debit");
		HttpHeaders headers = this.sent.get();
		assertThat(headers.getFirst(DtxHeaders.BRANCH)).isEqualTo("r1.r1");
		assertThat(headers.getFirst(DtxHeaders.MODE)).isEqualTo("SAGA");
		assertThat(headers.getFirst(DtxHeaders.COORDINATOR)).as("the root decides, not this service")
			.isEqualTo("http://root:8080");
		assertThat(rows("dtx_global_transaction")).as("only the root records the transaction").isZero();
		assertThat(this.jdbc.queryForList("select branch_id from dtx_participant", String.class))
			.containsExactly("r1.r1");
	}

	@Test
	void requestThatAlreadyCarriesAContextIsLeftAlone() throws Exception {
		begin();
		MockClientHttpRequest request = request("http://payment:8081/freeze");
		request.getHeaders().set(DtxHeaders.XID, "set-by-the-application");
		this.interceptor.intercept(request, new byte[0], this.execution);
		assertThat(this.sent.get().getFirst(DtxHeaders.XID)).isEqualTo("set-by-the-application");
		assertThat(this.sent.get().getFirst(DtxHeaders.BRANCH)).isNull();
		assertThat(rows("dtx_participant")).isZero();
	}

	@Test
	void callInsideATransactionWithoutASecretFailsBeforeAnythingIsSentOrRecorded() {
		GlobalTransaction transaction = begin();
		assertThatIllegalStateException().isThrownBy(() -> call(this.interceptorWithoutSecret, "http://payment/freeze"))
			.withMessageContaining(transaction.xid())
			.withMessageContaining("http://payment/freeze")
			.withMessageContaining("dtx.http.secret is not set");
		assertThat(this.sent.get()).as("not sent").isNull();
		assertThat(rows("dtx_participant")).isZero();
		assertThat(transaction.participants()).isEmpty();
	}

	@Test
	void callOutsideATransactionNeedsNoSecret() throws Exception {
		call(this.interceptorWithoutSecret, "http://payment/freeze");
		assertThat(this.sent.get()).isNotNull();
	}

	private GlobalTransaction begin() {
		GlobalTransaction transaction = new GlobalTransaction(GlobalTransaction.newXid(), "TCC",
				"place-order", DEADLINE);
		GlobalTransactionContext.bind(transaction);
		return transaction;
	}

	private void call(DtxClientHttpRequestInterceptor interceptor, String uri) throws Exception {
		interceptor.intercept(request(uri), new byte[0], this.execution);
	}

	private static MockClientHttpRequest request(String uri) {
		return new MockClientHttpRequest(HttpMethod.POST, URI.create(uri));
	}

	private int rows(String table) {
		return this.jdbc.queryForObject("select count(*) from " + table, Integer.class);
	}

}
