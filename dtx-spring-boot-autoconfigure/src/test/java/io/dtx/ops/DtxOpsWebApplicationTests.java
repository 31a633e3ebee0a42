package io.dtx.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint and the health contributor in a running web application on H2, over real
 * HTTP: what each mode parked is listed and retried, an undecided transaction past its
 * deadline is cancelled and one before it refused, a malformed request gets 400 and
 * changes nothing, and health goes DOWN when dtx's tables cannot be read.
 */
@ExtendWith(OutputCaptureExtension.class)
class DtxOpsWebApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private OpsApplicationFixture app;

	private JdbcTemplate jdbc;

	private String base;

	@BeforeEach
	void start() {
		this.app = OpsApplicationFixture.start();
		this.jdbc = this.app.jdbc();
		this.base = this.app.actuator();
	}

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void listsAndRetriesAFailedSaga(CapturedOutput output) throws Exception {
		String xid = transaction("SAGA", "place-order", "FAILED", Instant.now().minusSeconds(60));
		assertThat(get("/dtx")).contains("\"failed-sagas\":1");
		assertThat(get("/dtx/failed-sagas")).contains(xid)
			.contains("place-order")
			.contains("\"lastError\":\"IllegalStateException: payment provider unavailable\"");
		assertThat(get("/dtx/transactions/" + xid))
			.contains("\"lastError\":\"IllegalStateException: payment provider unavailable\"");
		assertThat(get("/dtx/transactions?state=failed&mode=saga")).contains(xid);
		HttpResponse<String> retried = post("/dtx/failed-sagas/" + xid + "/retry");
		assertThat(retried.statusCode()).isEqualTo(200);
		assertThat(retried.body()).contains("compensated");
		assertThat(state(xid)).isEqualTo("CANCELLED");
		assertThat(output).contains("dtx: anonymous retry failed-sagas/" + xid + ": 200 compensated");
		assertThat(post("/dtx/failed-sagas/" + xid + "/retry").statusCode()).as("no longer failed").isEqualTo(409);
		assertThat(post("/dtx/failed-sagas/nope/retry").statusCode()).isEqualTo(404);
	}

	@Test
	void cancelsAnUndecidedTransactionOnlyPastItsDeadline() throws Exception {
		String late = transaction("TCC", "transfer", "TRYING", Instant.now().minusSeconds(60));
		String running = transaction("TCC", "transfer", "TRYING", Instant.now().plusSeconds(600));
		assertThat(get("/dtx")).contains("\"inFlight\":2").contains("\"stuck\":1");
		assertThat(get("/dtx/transactions/" + late)).contains("\"state\":\"TRYING\"").contains("\"branches\":[]");
		HttpResponse<String> refused = post("/dtx/transactions/" + running + "/cancel");
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("before its deadline");
		assertThat(state(running)).isEqualTo("TRYING");
		assertThat(post("/dtx/transactions/" + late + "/retry").statusCode()).as("undecided: cancel, not retry")
			.isEqualTo(409);
		HttpResponse<String> cancelled = post("/dtx/transactions/" + late + "/cancel");
		assertThat(cancelled.statusCode()).isEqualTo(200);
		assertThat(state(late)).isEqualTo("CANCELLED");
		assertThat(post("/dtx/transactions/" + late + "/cancel").statusCode()).isEqualTo(409);
		assertThat(send(HttpRequest.newBuilder(URI.create(this.base + "/dtx/transactions/nope")).build()).statusCode())
			.isEqualTo(404);
	}

	@Test
	void listsNewestFirstByPage() throws Exception {
		String older = transaction("TCC", "a", "CONFIRMED", Instant.now().minusSeconds(60), Instant.now().minusSeconds(120));
		String newer = transaction("TCC", "b", "CONFIRMED", Instant.now().minusSeconds(60), Instant.now().minusSeconds(10));
		assertThat(get("/dtx/transactions?size=1")).contains(newer).doesNotContain(older);
		assertThat(get("/dtx/transactions?size=1&page=1")).contains(older).doesNotContain(newer);
		assertThat(get("/dtx/transactions?olderThan=1m")).contains(older).doesNotContain(newer);
		assertThat(get("/dtx/transactions?name=b")).contains(newer).doesNotContain(older);
	}

	@Test
	void retriesAndDiscardsADeadMessageAndRetriesAnExhaustedNotification() throws Exception {
		deadMessage("m-1");
		deadMessage("m-2");
		this.app.exhaustedNotification("n-1");
		assertThat(get("/dtx/health/dtx".replace("/dtx/health", "/health"))).contains("\"dead-messages\":2")
			.contains("\"exhausted-notifications\":1");
		assertThat(get("/dtx/dead-messages")).contains("m-1").contains("m-2");
		assertThat(post("/dtx/dead-messages/m-1/retry").statusCode()).isEqualTo(200);
		assertThat(post("/dtx/dead-messages/m-2/discard").statusCode()).isEqualTo(200);
		assertThat(this.jdbc.queryForList("select message_id || ' ' || state from dtx_outbox", String.class))
			.containsExactly("m-1 PENDING");
		assertThat(post("/dtx/exhausted-notifications/n-1/discard").statusCode()).as("only retried").isEqualTo(409);
		assertThat(post("/dtx/exhausted-notifications/n-1/retry").statusCode()).isEqualTo(200);
		assertThat(this.jdbc.queryForObject("select state from dtx_notification", String.class)).isNotEqualTo("EXHAUSTED");
	}

	@Test
	void aMalformedRequestGets400AndChangesNothing() throws Exception {
		String xid = transaction("SAGA", "place-order", "FAILED", Instant.now().minusSeconds(60));
		assertThat(status("/dtx/transactions?state=NOPE")).isEqualTo(400);
		assertThat(status("/dtx/transactions?page=-1")).isEqualTo(400);
		assertThat(status("/dtx/transactions?size=0")).isEqualTo(400);
		assertThat(status("/dtx/transactions?page=x")).isEqualTo(400);
		assertThat(status("/dtx/transactions?olderThan=-1m")).isEqualTo(400);
		assertThat(status("/dtx/nothing")).isEqualTo(404);
		assertThat(post("/dtx/failed-sagas/" + xid + "/explode").statusCode()).isEqualTo(400);
		assertThat(post("/dtx/transactions/" + xid + "/explode").statusCode()).isEqualTo(400);
		assertThat(state(xid)).isEqualTo("FAILED");
	}

	@Test
	void healthIsUpWithDetailsAndDownWhenTheTablesCannotBeRead() throws Exception {
		transaction("TCC", "transfer", "TRYING", Instant.now().minusSeconds(60));
		HttpResponse<String> up = send(HttpRequest.newBuilder(URI.create(this.base + "/health/dtx")).build());
		assertThat(up.statusCode()).isEqualTo(200);
		assertThat(up.body()).contains("\"status\":\"UP\"")
			.contains("\"recoveryBacklog\":1")
			.contains("\"stuck\":1")
			.contains("\"oldestDeadlinePassed\"")
			.contains("\"failed-sagas\":0")
			.as("the relay is off: nothing to say of it")
			.doesNotContain("relayRunning");
		this.jdbc.execute("drop table dtx_global_transaction");
		HttpResponse<String> down = send(HttpRequest.newBuilder(URI.create(this.base + "/health/dtx")).build());
		assertThat(down.statusCode()).isEqualTo(503);
		assertThat(down.body()).contains("\"status\":\"DOWN\"");
	}

	private String transaction(String mode, String name, String state, Instant deadline) {
		return this.app.transaction(mode, name, state, deadline);
	}

	private String transaction(String mode, String name, String state, Instant deadline, Instant createdAt) {
		return this.app.transaction(mode, name, state, deadline, createdAt);
	}

	private void deadMessage(String messageId) {
		this.app.deadMessage(messageId);
	}

	private String state(String xid) {
		return this.app.state(xid);
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.base + path)).build());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

	private int status(String path) throws Exception {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).build()).statusCode();
	}

	private HttpResponse<String> post(String path) throws Exception {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build());
	}

	private HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
