package io.dtx.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.TransactionModes;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.fence.BranchFence;
import io.dtx.jdbc.DtxSchema;
import io.dtx.jdbc.DtxTables;
import io.dtx.test.TestModes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The phase-two and outcome endpoints over a real fence on H2: only a request signed with
 * the shared secret, for this path and body and recently, reaches the fence.
 */
class PhaseTwoControllerTests {

	private static final String SECRET = "shared-secret";

	private static final String PHASE_TWO = "/dtx/phase-two";

	private final RequestSigner signer = signer(SECRET, Clock.systemUTC());

	private final List<String> completed = new CopyOnWriteArrayList<>();

	private JdbcTemplate jdbc;

	private GlobalTransactionLog log;

	private BranchFence fence;

	private MockMvc mvc;

	private String xid;

	@BeforeEach
	void prepare() {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:phase-two-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		new DtxSchema(dataSource, "dtx_").migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		DtxTables tables = DtxTables.of(dataSource, "dtx_", Clock.systemUTC());
		this.log = new GlobalTransactionLog(tables);
		BranchFence fence = new BranchFence(tables);
		this.fence = fence;
		TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
		// the part of a mode's handler that the endpoint guards: the fence row of the branch
		TransactionModes modes = new TransactionModes(List.of(TestModes.named("TCC", (xid, branchId, confirm) -> {
			transaction.executeWithoutResult((status) -> fence.enterRemotePhaseTwo(xid, branchId, confirm));
			this.completed.add(xid + " " + branchId + " " + confirm);
		})));
		this.mvc = MockMvcBuilders.standaloneSetup(new PhaseTwoController(this.signer, new JsonMapper(), this.log, modes, this.fence))
			.build();
		// a branch the coordinator opened here and this service tried
		this.xid = GlobalTransaction.newXid();
		GlobalTransaction joined = GlobalTransaction.joined(this.xid, "TCC",
				Instant.now().plusSeconds(60), "r1", "http://order:8080");
		transaction.executeWithoutResult((status) -> fence.enterUnderRemoteBranch(joined));
	}

	@Test
	void signedCancelCompletesTheBranch() throws Exception {
		this.mvc.perform(signed(PHASE_TWO, body("cancel"), this.signer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.xid").value(this.xid))
			.andExpect(jsonPath("$.branch").value("r1"))
			.andExpect(jsonPath("$.decision").value("cancel"));
		assertThat(fenceState()).isEqualTo("CANCELLED");
		assertThat(this.completed).containsExactly(this.xid + " r1 false");
	}

	@Test
	void signedConfirmCompletesTheBranch() throws Exception {
		this.mvc.perform(signed(PHASE_TWO, body("confirm"), this.signer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.decision").value("confirm"));
		assertThat(fenceState()).isEqualTo("CONFIRMED");
	}

	@Test
	void repeatedPhaseTwoAnswersTheSame() throws Exception {
		this.mvc.perform(signed(PHASE_TWO, body("cancel"), this.signer)).andExpect(status().isOk());
		this.mvc.perform(signed(PHASE_TWO, body("cancel"), this.signer)).andExpect(status().isOk());
		assertThat(fenceState()).isEqualTo("CANCELLED");
	}

	@Test
	void unsignedRequestIsRefusedAndChangesNothing() throws Exception {
		this.mvc.perform(post(PHASE_TWO).contentType(MediaType.APPLICATION_JSON).content(body("cancel")))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("missing or invalid Dtx-Signature"));
		assertUnchanged();
	}

	@Test
	void requestSignedWithAnotherSecretIsRefusedAndChangesNothing() throws Exception {
		this.mvc.perform(signed(PHASE_TWO, body("cancel"), signer("guessed-secret", Clock.systemUTC())))
			.andExpect(status().isUnauthorized());
		assertUnchanged();
	}

	@Test
	void staleRequestIsRefusedAndChangesNothing() throws Exception {
		RequestSigner tenMinutesAgo = signer(SECRET, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
		this.mvc.perform(signed(PHASE_TWO, body("cancel"), tenMinutesAgo)).andExpect(status().isUnauthorized());
		assertUnchanged();
	}

	@Test
	void requestWhoseBodyWasChangedAfterSigningIsRefused() throws Exception {
		this.mvc.perform(cancelSignedAs(PHASE_TWO, body("confirm"))).andExpect(status().isUnauthorized());
		assertUnchanged();
	}

	@Test
	void signatureForAnotherPathIsRefused() throws Exception {
		this.mvc.perform(cancelSignedAs("/dtx/elsewhere", body("cancel"))).andExpect(status().isUnauthorized());
		assertUnchanged();
	}

	// a cancel carrying the signature of another request: of this body on that path
	private MockHttpServletRequestBuilder cancelSignedAs(String path, String signedBody) {
		RequestSigner.Signature signature = this.signer.sign("POST", path, bytes(signedBody));
		return post(PHASE_TWO).contentType(MediaType.APPLICATION_JSON)
			.content(body("cancel"))
			.header(DtxHeaders.TIMESTAMP, signature.timestamp())
			.header(DtxHeaders.SIGNATURE, signature.value());
	}

	@Test
	void signedButMalformedRequestsAreRefusedWith400() throws Exception {
		String valid = body("cancel");
		for (String malformed : new String[] { "not json", "", "[]", valid.replace("cancel", "undo"),
				valid.replace("\"TCC\"", "\"XA\""), valid.replace("\"r1\"", "\"R1; drop\""),
				valid.replace(this.xid, "x' or '1'='1"), "{\"xid\":\"" + this.xid + "\",\"decision\":\"cancel\"}",
				valid.replace("\"r1\"", "1") }) {
			this.mvc.perform(signed(PHASE_TWO, malformed, this.signer))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.error").exists());
		}
		assertUnchanged();
	}

	@Test
	void signedRequestForAModeNotEnabledHereIsRefused() throws Exception {
		this.mvc.perform(signed(PHASE_TWO, body("cancel").replace("TCC", "SAGA"), this.signer))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("SAGA transactions are not enabled here"));
		assertUnchanged();
	}

	@Test
	void outcomeOfATransactionRecordedHereIsItsState() throws Exception {
		GlobalTransaction transaction = new GlobalTransaction(GlobalTransaction.newXid(), "TCC", "t",
				Instant.now().plusSeconds(60));
		this.log.beginIfAbsent(transaction);
		this.log.decide(transaction.xid(), GlobalState.TRYING, GlobalState.CONFIRMING, Instant.now());
		String path = "/dtx/transactions/" + transaction.xid();
		this.mvc.perform(signedGet(path, this.signer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.xid").value(transaction.xid()))
			.andExpect(jsonPath("$.state").value("CONFIRMING"));
	}

	@Test
	void outcomeOfATransactionNeverRecordedIsCancelled() throws Exception {
		String unknown = GlobalTransaction.newXid();
		this.mvc.perform(signedGet("/dtx/transactions/" + unknown, this.signer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("CANCELLED"));
	}

	@Test
	void outcomeIsRefusedWithoutAValidSignature() throws Exception {
		String path = "/dtx/transactions/" + this.xid;
		this.mvc.perform(get(path)).andExpect(status().isUnauthorized());
		this.mvc.perform(signedGet(path, signer("guessed-secret", Clock.systemUTC())))
			.andExpect(status().isUnauthorized());
		RequestSigner.Signature forOtherXid = this.signer.sign("GET", "/dtx/transactions/other", new byte[0]);
		this.mvc
			.perform(get(path).header(DtxHeaders.TIMESTAMP, forOtherXid.timestamp())
				.header(DtxHeaders.SIGNATURE, forOtherXid.value()))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void branchesOfATransactionAreTheFenceRowsHere() throws Exception {
		String path = "/dtx/transactions/" + this.xid + "/branches";
		this.mvc.perform(signedGet(path, this.signer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.xid").value(this.xid))
			.andExpect(jsonPath("$.branches[0].branchId").value("r1"))
			.andExpect(jsonPath("$.branches[0].action").value(BranchFence.REMOTE_BRANCH))
			.andExpect(jsonPath("$.branches[0].state").value("TRIED"))
			.andExpect(jsonPath("$.branches.length()").value(1));
		this.mvc.perform(signedGet("/dtx/transactions/" + GlobalTransaction.newXid() + "/branches", this.signer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.branches.length()").value(0));
	}

	@Test
	void branchesAreRefusedWithoutAValidSignatureOrForAMalformedXid() throws Exception {
		String path = "/dtx/transactions/" + this.xid + "/branches";
		this.mvc.perform(get(path)).andExpect(status().isUnauthorized()).andExpect(jsonPath("$.branches").doesNotExist());
		this.mvc.perform(signedGet(path, signer("guessed-secret", Clock.systemUTC())))
			.andExpect(status().isUnauthorized());
		// the outcome's signature does not open the branches
		RequestSigner.Signature forOutcome = this.signer.sign("GET", "/dtx/transactions/" + this.xid, new byte[0]);
		this.mvc
			.perform(get(path).header(DtxHeaders.TIMESTAMP, forOutcome.timestamp())
				.header(DtxHeaders.SIGNATURE, forOutcome.value()))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(signedGet("/dtx/transactions/x'or'1'='1/branches", this.signer))
			.andExpect(status().isBadRequest());
		assertUnchanged();
	}

	@Test
	void requestSignedAsTheReadmeShowsIsServedAndOneWhoseBodyChangedIsRefused() throws Exception {
		String body = body("cancel");
		String[] signed = signLikeTheReadme(body);
		String timestamp = signed[0];
		String signature = signed[1];
		// the string the README spells out, signed here with the JDK: the same signature
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(bytes(SECRET), "HmacSHA256"));
		assertThat(Base64.getEncoder()
			.encodeToString(mac.doFinal(bytes("POST\n" + PHASE_TWO + "\n" + timestamp + "\n" + body))))
			.isEqualTo(signature);

		this.mvc.perform(post(PHASE_TWO).contentType(MediaType.APPLICATION_JSON)
			.content(body("confirm"))
			.header(DtxHeaders.TIMESTAMP, timestamp)
			.header(DtxHeaders.SIGNATURE, signature)).andExpect(status().isUnauthorized());
		assertUnchanged();
		this.mvc.perform(post(PHASE_TWO).contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.header(DtxHeaders.TIMESTAMP, timestamp)
			.header(DtxHeaders.SIGNATURE, signature))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.decision").value("cancel"));
		assertThat(fenceState()).isEqualTo("CANCELLED");
	}

	/**
	 * Runs the README's own lines (the wire protocol's example) that compute the timestamp
	 * and the signature, with bash and openssl; the test is skipped where either is missing.
	 */
	private static String[] signLikeTheReadme(String body) throws Exception {
		String readme = Files.readString(Path.of("../README.md"));
		Matcher block = Pattern.compile("<!-- wire:sign -->\\s*```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
		assertThat(block.find()).as("the README's signing example").isTrue();
		String script = block.group(1)
			.lines()
			.filter((line) -> line.startsWith("TS=") || line.startsWith("SIG="))
			.collect(Collectors.joining("\n"));
		assertThat(script).contains("openssl dgst -sha256 -hmac");
		ProcessBuilder bash;
		try {
			bash = new ProcessBuilder("bash", "-c", script + "\nprintf '%s %s' \"$TS\" \"$SIG\"");
			bash.environment().put("SECRET", SECRET);
			bash.environment().put("BODY", body);
			Process process = bash.redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assumeTrue(process.waitFor() == 0 && output.matches("\\d+ \\S+"), "bash and openssl: " + output);
			return output.split(" ");
		}
		catch (IOException ex) {
			assumeTrue(false, "no bash: " + ex.getMessage());
			throw ex;
		}
	}

	@Test
	void phaseTwoIsOnlyAPost() throws Exception {
		this.mvc.perform(signedGet(PHASE_TWO, this.signer)).andExpect(status().isMethodNotAllowed());
		assertUnchanged();
	}

	private void assertUnchanged() {
		assertThat(fenceState()).as("the fence row is untouched").isEqualTo("TRIED");
		assertThat(this.completed).as("no phase two ran").isEmpty();
	}

	private String fenceState() {
		return this.jdbc.queryForObject("select state from dtx_branch_fence where xid = ? and branch_id = 'r1'",
				String.class, this.xid);
	}

	private String body(String decision) {
		return "{\"xid\":\"" + this.xid + "\",\"branch\":\"r1\",\"mode\":\"TCC\",\"decision\":\"" + decision + "\"}";
	}

	private static MockHttpServletRequestBuilder signed(String path, String body, RequestSigner signer) {
		RequestSigner.Signature signature = signer.sign("POST", path, bytes(body));
		return post(path).contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.header(DtxHeaders.TIMESTAMP, signature.timestamp())
			.header(DtxHeaders.SIGNATURE, signature.value());
	}

	private static MockHttpServletRequestBuilder signedGet(String path, RequestSigner signer) {
		RequestSigner.Signature signature = signer.sign("GET", path, new byte[0]);
		return get(path).header(DtxHeaders.TIMESTAMP, signature.timestamp())
			.header(DtxHeaders.SIGNATURE, signature.value());
	}

	private static byte[] bytes(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

	private static RequestSigner signer(String secret, Clock clock) {
		return new RequestSigner(secret, Duration.ofMinutes(5), clock);
	}

}
