package io.dtx.tcc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.Recovery;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.test.Ports;
import io.dtx.web.RequestSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * TCC across two Spring Boot applications talking HTTP, each with its own database and
 * configured only through properties: the order service reserves stock locally and
 * freezes funds in the payment service, which joins the order's transaction.
 */
class RemoteTccTests {

	static final String SECRET = "shared-secret";

	@TempDir
	Path paymentData;

	private int paymentPort;

	private ConfigurableApplicationContext orderService;

	private ConfigurableApplicationContext paymentService;

	@BeforeEach
	void start() throws Exception {
		this.paymentPort = Ports.free();
		this.paymentService = startPayment();
		this.orderService = new SpringApplicationBuilder(OrderApplication.class).properties(common("order"))
			.properties("spring.datasource.url=jdbc:h2:mem:order-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"server.port=0", "payment.url=http://localhost:" + this.paymentPort)
			.run();
	}

	@AfterEach
	void stop() {
		if (this.orderService != null) {
			this.orderService.close();
		}
		if (this.paymentService != null) {
			this.paymentService.close();
		}
	}

	private ConfigurableApplicationContext startPayment() {
		return new SpringApplicationBuilder(PaymentApplication.class).properties(common("payment"))
			.properties("spring.datasource.url=jdbc:h2:file:" + this.paymentData.resolve("payment"),
					"server.port=" + this.paymentPort)
			.run();
	}

	static String[] common(String name) {
		return new String[] { "spring.application.name=" + name, "spring.main.banner-mode=off",
				"spring.flyway.enabled=false", "dtx.http.secret=" + SECRET, "dtx.recovery.interval=1h", "dtx.recovery.lease=1s",
				"dtx.recovery.initial-backoff=100ms" };
	}

	@Test
	void returningConfirmsTheRemoteBranch() {
		assertThat(orders().placeOrder(2, 20, false)).isEqualTo("ordered");
		assertThat(stock().available()).isEqualTo(8);
		assertThat(payment().balance()).isEqualTo(80);
		assertThat(payment().frozen()).isZero();
		assertThat(states(this.orderService, "select state from dtx_global_transaction")).containsExactly("CONFIRMED");
		assertThat(states(this.orderService, "select state from dtx_participant")).containsExactly("DONE");
		assertThat(states(this.paymentService, "select branch_id || ' ' || state from dtx_branch_fence order by 1"))
			.containsExactly("r1 CONFIRMED", "r1.b1 CONFIRMED");
	}

	@Test
	void webClientCallsJoinTheTransactionToo() {
		assertThat(orders().placeOrderWithWebClient(2, 20)).isEqualTo("ordered");
		assertThat(payment().balance()).isEqualTo(80);
		assertThat(states(this.paymentService, "select branch_id || ' ' || state from dtx_branch_fence order by 1"))
			.containsExactly("r1 CONFIRMED", "r1.b1 CONFIRMED");
	}

	@Test
	void exceptionAfterTheRemoteTryCancelsIt() {
		assertThatIllegalStateException().isThrownBy(() -> orders().placeOrder(2, 20, true))
			.withMessage("shipping refused");
		assertThat(stock().reserved()).isZero();
		assertThat(payment().frozen()).isZero();
		assertThat(payment().balance()).isEqualTo(100);
		assertThat(states(this.paymentService, "select branch_id || ' ' || state from dtx_branch_fence order by 1"))
			.containsExactly("r1 CANCELLED", "r1.b1 CANCELLED");
	}

	@Test
	void failedRemoteTryCancelsTheLocalBranchAndLeavesAMarkThere() {
		assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(() -> orders().placeOrder(2, 500, false));
		assertThat(stock().reserved()).isZero();
		assertThat(payment().frozen()).isZero();
		// the remote try rolled back with its fence row; the cancel found none and left its mark
		assertThat(states(this.paymentService, "select branch_id || ' ' || state from dtx_branch_fence"))
			.containsExactly("r1 CANCELLED");
	}

	@Test
	void participantDownDuringPhaseTwoIsConfirmedOnceItIsBack() {
		orders().afterPaymentCall(() -> this.paymentService.close());
		assertThat(orders().placeOrder(3, 30, false)).as("the decision was to commit").isEqualTo("ordered");
		assertThat(states(this.orderService, "select state from dtx_global_transaction")).containsExactly("CONFIRMING");
		assertThat(stock().available()).as("local branches are confirmed at once").isEqualTo(7);
		this.paymentService = startPayment();
		// the order service's follow-up goes on for the lease, and may confirm as soon as the
		// service is up: the funds are still frozen, or spent once (read in one statement)
		assertThat(states(this.paymentService, "select frozen || ' ' || balance from account"))
			.as("the frozen funds survived the restart (frozen, balance)")
			.singleElement()
			.isIn("30 100", "0 70");
		Recovery recovery = this.orderService.getBean(Recovery.class);
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			recovery.recoverDue();
			return payment().balance() == 70;
		});
		assertThat(payment().frozen()).isZero();
		assertThat(payment().confirms()).isEqualTo(1);
		assertThat(states(this.orderService, "select state from dtx_global_transaction")).containsExactly("CONFIRMED");
	}

	@Test
	void unsignedForgedStaleOrMalformedPhaseTwoRequestsAreRefusedAndChangeNothing() {
		String xid = GlobalTransaction.newXid();
		tryRemotely(xid, "r1", 10);
		assertThat(payment().frozen()).isEqualTo(10);
		String cancel = "{\"xid\":\"" + xid + "\",\"branch\":\"r1\",\"mode\":\"TCC\",\"decision\":\"cancel\"}";
		RequestSigner forger = new RequestSigner("guessed-secret", Duration.ofMinutes(5), Clock.systemUTC());
		RequestSigner stale = new RequestSigner(SECRET, Duration.ofMinutes(5),
				Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
		assertThat(phaseTwo(cancel, null).value()).isEqualTo(401);
		assertThat(phaseTwo(cancel, forger).value()).isEqualTo(401);
		assertThat(phaseTwo(cancel, stale).value()).isEqualTo(401);
		assertThat(phaseTwo(cancel.replace("cancel", "undo"), signer()).value()).isEqualTo(400);
		assertThat(phaseTwo("not json", signer()).value()).isEqualTo(400);
		assertThat(payment().frozen()).as("nothing changed").isEqualTo(10);
		assertThat(states(this.paymentService, "select state from dtx_branch_fence order by branch_id"))
			.containsExactly("TRIED", "TRIED");
		assertThat(phaseTwo(cancel, signer()).value()).isEqualTo(200);
		assertThat(payment().frozen()).isZero();
		assertThat(phaseTwo(cancel, signer()).value()).as("repeated").isEqualTo(200);
		assertThat(payment().frozen()).isZero();
	}

	@Test
	void remoteTryArrivingAfterItsCancelIsRefusedAndReservesNothing() {
		String xid = GlobalTransaction.newXid();
		String cancel = "{\"xid\":\"" + xid + "\",\"branch\":\"r1\",\"mode\":\"TCC\",\"decision\":\"cancel\"}";
		assertThat(phaseTwo(cancel, signer()).value()).isEqualTo(200);
		assertThat(tryRemotely(xid, "r1", 10).value()).isEqualTo(409);
		assertThat(payment().frozen()).isZero();
		assertThat(states(this.paymentService, "select branch_id || ' ' || state from dtx_branch_fence"))
			.containsExactly("r1 CANCELLED");
	}

	@Test
	void malformedTransactionContextIsRefusedBeforeAnythingRuns() {
		HttpStatusCode status = RestClient.create()
			.post()
			.uri("http://localhost:" + this.paymentPort + "/freeze?account=alice&amount=10")
			.header(DtxHeaders.XID, "x'; drop table account; --")
			.header(DtxHeaders.BRANCH, "r1")
			.header(DtxHeaders.MODE, "TCC")
			.header(DtxHeaders.DEADLINE, "soon")
			.exchange((request, response) -> response.getStatusCode());
		assertThat(status.value()).isEqualTo(400);
		assertThat(payment().frozen()).isZero();
	}

	@Test
	void branchInDoubtOfATransactionItsCoordinatorNeverRecordedIsCancelled() {
		String xid = GlobalTransaction.newXid();
		tryRemotely(xid, "r1", 10, orderServiceUrl(), Instant.now().minusSeconds(5));
		assertThat(payment().frozen()).isEqualTo(10);
		Recovery recovery = this.paymentService.getBean(Recovery.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			recovery.resolveInDoubt();
			return payment().frozen() == 0;
		});
		assertThat(payment().balance()).isEqualTo(100);
		assertThat(states(this.paymentService, "select branch_id || ' ' || state from dtx_branch_fence order by 1"))
			.containsExactly("r1 CANCELLED", "r1.b1 CANCELLED");
	}

	@Test
	void branchInDoubtOfATransactionItsCoordinatorConfirmedIsConfirmed() {
		// the coordinator's own recovery runs meanwhile: its row is kept out of its reach,
		// while the participant is told the deadline has passed
		GlobalTransactionLog orderLog = this.orderService.getBean(GlobalTransactionLog.class);
		GlobalTransaction transaction = new GlobalTransaction(GlobalTransaction.newXid(), TccCoordinator.MODE,
				"confirmed-elsewhere", Instant.now().plusSeconds(3600));
		orderLog.beginIfAbsent(transaction);
		assertThat(orderLog.decide(transaction.xid(), GlobalState.TRYING, GlobalState.CONFIRMING,
				Instant.now().plusSeconds(3600)))
			.isTrue();
		tryRemotely(transaction.xid(), "r1", 10, orderServiceUrl(), Instant.now().minusSeconds(5));
		Recovery recovery = this.paymentService.getBean(Recovery.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			recovery.resolveInDoubt();
			return payment().balance() == 90;
		});
		assertThat(payment().frozen()).isZero();
		assertThat(payment().confirms()).isEqualTo(1);
	}

	@Test
	void branchWithinItsDeadlineIsNotInDoubt() {
		String xid = GlobalTransaction.newXid();
		tryRemotely(xid, "r1", 10, orderServiceUrl(), Instant.now().plusSeconds(60));
		assertThat(this.paymentService.getBean(Recovery.class).resolveInDoubt()).isZero();
		assertThat(payment().frozen()).isEqualTo(10);
	}

	private String orderServiceUrl() {
		return "http://localhost:" + this.orderService.getEnvironment().getProperty("local.server.port");
	}

	private HttpStatusCode tryRemotely(String xid, String branch, int amount) {
		return tryRemotely(xid, branch, amount, null, Instant.now().plusSeconds(60));
	}

	private HttpStatusCode tryRemotely(String xid, String branch, int amount, String coordinator, Instant deadline) {
		RestClient.RequestBodySpec request = RestClient.create()
			.post()
			.uri("http://localhost:" + this.paymentPort + "/freeze?account=alice&amount=" + amount)
			.header(DtxHeaders.XID, xid)
			.header(DtxHeaders.BRANCH, branch)
			.header(DtxHeaders.MODE, "TCC")
			.header(DtxHeaders.DEADLINE, Long.toString(deadline.toEpochMilli()));
		if (coordinator != null) {
			request.header(DtxHeaders.COORDINATOR, coordinator);
		}
		return request.exchange((req, response) -> response.getStatusCode());
	}

	private HttpStatusCode phaseTwo(String body, RequestSigner signer) {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		RestClient.RequestBodySpec request = RestClient.create()
			.post()
			.uri("http://localhost:" + this.paymentPort + "/dtx/phase-two")
			.contentType(MediaType.APPLICATION_JSON);
		if (signer != null) {
			RequestSigner.Signature signature = signer.sign("POST", "/dtx/phase-two", content);
			request.header(DtxHeaders.TIMESTAMP, signature.timestamp()).header(DtxHeaders.SIGNATURE, signature.value());
		}
		return request.body(content).exchange((req, response) -> response.getStatusCode());
	}

	private static RequestSigner signer() {
		return new RequestSigner(SECRET, Duration.ofMinutes(5), Clock.systemUTC());
	}

	private RemoteOrders orders() {
		return this.orderService.getBean(RemoteOrders.class);
	}

	private TccShop.Stock stock() {
		return this.orderService.getBean(TccShop.Stock.class);
	}

	private TccShop.Payment payment() {
		return this.paymentService.getBean(TccShop.Payment.class);
	}

	private static List<String> states(ConfigurableApplicationContext context, String sql) {
		return new JdbcTemplate(context.getBean(DataSource.class)).queryForList(sql, String.class);
	}

	/**
	 * The order service: the initiator.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OrderApplication {

		@Bean
		TccShop.Stock stock(DataSource dataSource) {
			return new TccShop.Stock(dataSource);
		}

		@Bean
		RemoteOrders remoteOrders(TccShop.Stock stock, RestClient.Builder restClient, WebClient.Builder webClient,
				@Value("${payment.url}") String paymentUrl) {
			return new RemoteOrders(stock, restClient.baseUrl(paymentUrl).build(),
					webClient.baseUrl(paymentUrl).build());
		}

	}

	static class RemoteOrders {

		private final TccShop.Stock stock;

		private final RestClient payment;

		private final WebClient reactivePayment;

		// set through a method: a test holds the proxy, whose own fields are never read
		private volatile Runnable afterPaymentCall = () -> {
		};

		RemoteOrders(TccShop.Stock stock, RestClient payment, WebClient reactivePayment) {
			this.stock = stock;
			this.payment = payment;
			this.reactivePayment = reactivePayment;
		}

		@TccTransaction(name = "reactive-order")
		public String placeOrderWithWebClient(int quantity, int amount) {
			this.stock.reserve("widget", quantity);
			this.reactivePayment.post()
				.uri("/freeze?account=alice&amount={amount}", amount)
				.retrieve()
				.toBodilessEntity()
				.block();
			return "ordered";
		}

		public void afterPaymentCall(Runnable hook) {
			this.afterPaymentCall = hook;
		}

		@TccTransaction(name = "remote-order", timeout = "20s")
		public String placeOrder(int quantity, int amount, boolean failAfterCalls) {
			this.stock.reserve("widget", quantity);
			this.payment.post().uri("/freeze?account=alice&amount={amount}", amount).retrieve().toBodilessEntity();
			this.afterPaymentCall.run();
			if (failAfterCalls) {
				throw new IllegalStateException("shipping refused");
			}
			return "ordered";
		}

	}

	/**
	 * The payment service: a participant.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PaymentApplication {

		@Bean
		TccShop.Payment payment(DataSource dataSource) {
			return new TccShop.Payment(dataSource);
		}

		@Bean
		PaymentController paymentController(TccShop.Payment payment) {
			return new PaymentController(payment);
		}

	}

	@RestController
	static class PaymentController {

		private final TccShop.Payment payment;

		PaymentController(TccShop.Payment payment) {
			this.payment = payment;
		}

		// a refused try becomes 409 through dtx's own handler
		@PostMapping("/freeze")
		Map<String, String> freeze(@RequestParam String account, @RequestParam int amount) {
			this.payment.freeze(account, amount);
			return Map.of("frozen", Integer.toString(amount));
		}

	}

}
