package io.dtx.message;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.dtx.core.DtxHeaders;
import io.dtx.jdbc.DtxSchema;
import io.dtx.jdbc.DtxTables;
import io.dtx.web.RequestSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The check-back endpoint over a real barrier on H2: a signed request gets the exact
 * answer (leaving a rolled-back barrier where there was none); an unsigned, forged, stale
 * or malformed one is refused before the barrier is read or written.
 */
class MessageCheckBackTests {

	private final RequestSigner signer = signer("shared-secret", Clock.systemUTC());

	private JdbcTemplate jdbc;

	private MockMvc mvc;

	@BeforeEach
	void prepare() {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:check-back-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		new DtxSchema(dataSource, "dtx_").migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		MessageBarrier barrier = new MessageBarrier(DtxTables.of(dataSource, "dtx_", Clock.systemUTC()));
		this.mvc = MockMvcBuilders.standaloneSetup(new MessageCheckBack(this.signer, barrier)).build();
	}

	@Test
	void aMessageWithoutABarrierIsRolledBackForGood() throws Exception {
		this.mvc.perform(signedGet("/dtx/messages/m-1", this.signer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value("m-1"))
			.andExpect(jsonPath("$.state").value("ROLLED_BACK"));
		assertThat(barriers()).containsExactly("m-1 ROLLED_BACK");
		this.mvc.perform(signedGet("/dtx/messages/m-1", this.signer)).andExpect(jsonPath("$.state").value("ROLLED_BACK"));
	}

	@Test
	void aCommittedMessageIsCommitted() throws Exception {
		this.jdbc.update("insert into dtx_message_barrier (message_id, state, created_at) values ('m-1', 'COMMITTED',"
				+ " current_timestamp)");
		this.mvc.perform(signedGet("/dtx/messages/m-1", this.signer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("COMMITTED"));
		assertThat(barriers()).containsExactly("m-1 COMMITTED");
	}

	@Test
	void unsignedForgedAndStaleRequestsAreRefusedAndLeaveNoBarrier() throws Exception {
		this.mvc.perform(get("/dtx/messages/m-1")).andExpect(status().isUnauthorized());
		this.mvc.perform(signedGet("/dtx/messages/m-1", signer("guessed-secret", Clock.systemUTC())))
			.andExpect(status().isUnauthorized());
		this.mvc
			.perform(signedGet("/dtx/messages/m-1",
					signer("shared-secret", Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)))))
			.andExpect(status().isUnauthorized());
		RequestSigner.Signature forAnother = this.signer.sign("GET", "/dtx/messages/m-2", new byte[0]);
		this.mvc
			.perform(get("/dtx/messages/m-1").header(DtxHeaders.TIMESTAMP, forAnother.timestamp())
				.header(DtxHeaders.SIGNATURE, forAnother.value()))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("missing or invalid Dtx-Signature"));
		assertThat(barriers()).isEmpty();
	}

	@Test
	void aMalformedIdIsRefusedAndOnlyAGetIsServed() throws Exception {
		this.mvc.perform(signedGet("/dtx/messages/" + "x".repeat(65), this.signer)).andExpect(status().isBadRequest());
		this.mvc.perform(signedGet("/dtx/messages/m'1", this.signer)).andExpect(status().isBadRequest());
		this.mvc.perform(post("/dtx/messages/m-1")).andExpect(status().isMethodNotAllowed());
		assertThat(barriers()).isEmpty();
	}

	@Test
	void aBarrierThatCannotBeReadGets503AndNoAnswer() throws Exception {
		this.jdbc.execute("drop table dtx_message_barrier");
		this.mvc.perform(signedGet("/dtx/messages/m-1", this.signer))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.state").doesNotExist());
	}

	private List<String> barriers() {
		return this.jdbc.queryForList("select concat(message_id, ' ', state) from dtx_message_barrier", String.class);
	}

	private static MockHttpServletRequestBuilder signedGet(String path, RequestSigner signer) {
		RequestSigner.Signature signature = signer.sign("GET", path, new byte[0]);
		return get(path).header(DtxHeaders.TIMESTAMP, signature.timestamp())
			.header(DtxHeaders.SIGNATURE, signature.value());
	}

	private static RequestSigner signer(String secret, Clock clock) {
		return new RequestSigner(secret, Duration.ofMinutes(5), clock);
	}

}
