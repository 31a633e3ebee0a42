package io.dtx.saga;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import io.dtx.coordinator.Recovery;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.test.Ports;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A saga across two Spring Boot applications talking HTTP, each with its own database
 * and configured only through properties: the order service reserves stock in a local
 * step and charges the customer in the payment service, whose step joins the saga.
 * Both share one journal, so the order of compensations across them shows.
 */
class RemoteSagaTests {

	static final String SECRET = "shared-secret";

	@TempDir
	Path paymentData;

	private final SagaShop.Journal journal = new SagaShop.Journal();

	private int paymentPort;

	private ConfigurableApplicationContext orderService;

	private ConfigurableApplicationContext paymentService;

	@BeforeEach
	void start() throws Exception {
		this.paymentPort = Ports.free();
		this.paymentService = startPayment();
		this.orderService = new SpringApplicationBuilder(OrderApplication.class).properties(common("order"))
			.properties("spring.datasource.url=jdbc:h2:mem:saga-order-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"server.port=0", "payment.url=http://localhost:" + this.paymentPort)
			.initializers((context) -> context.getBeanFactory().registerSingleton("journal", this.journal))
			.run();
	}

	@AfterEach
	void stop() {
		if (this.orderService != null) {
			this.orderService.close();
		}
		if (this.paymentService != null && this.paymentService.isActive()) {
			this.paymentService.close();
		}
	}

	private ConfigurableApplicationContext startPayment() {
		return new SpringApplicationBuilder(PaymentApplication.class).properties(common("payment"))
			.properties("spring.datasource.url=jdbc:h2:file:" + this.paymentData.resolve("payment"),
					"server.port=" + this.paymentPort)
			.initializers((context) -> context.getBeanFactory().registerSingleton("journal", this.journal))
			.run();
	}

	private static String[] common(String name) {
		return new String[] { "spring.application.name=" + name, "spring.main.banner-mode=off",
				"spring.flyway.enabled=false", "dtx.http.secret=" + SECRET, "dtx.recovery.interval=1h",
				"dtx.recovery.lease=1s", "dtx.saga.compensation.initial-backoff=100ms" };
	}

	@Test
	void returningKeepsBothStepsAndClosesTheRemoteOne() {
		assertThat(orders().placeOrder(2, 30, false)).isEqualTo("ordered");
		assertThat(stock().available()).isEqualTo(8);
		assertThat(payment().balance()).isEqualTo(70);
		assertThat(states(this.orderService, "select state from dtx_global_transaction")).containsExactly("CONFIRMED");
		assertThat(states(this.orderService, "select state from dtx_participant")).containsExactly("DONE");
		assertThat(states(this.paymentService,
				"select concat(branch_id, ' ', state, ' ', coalesce(result, '-')) from dtx_branch_fence order by 1"))
			.as("the step's row holds its result").containsExactly("r1 CONFIRMED -", "r1.b1 CONFIRMED 1");
	}

	@Test
	void failureCompensatesTheRemoteStepThenTheLocalOneWithTheRemoteStepsResult() {
		assertThatIllegalStateException().isThrownBy(() -> orders().placeOrder(2, 30, true))
			.withMessage("shipping refused");
		assertThat(this.journal.entries()).containsExactly("refund alice 30 charge 1", "release widget 2");
		assertThat(stock().available()).isEqualTo(10);
		assertThat(payment().balance()).isEqualTo(100);
		assertThat(payment().charges()).isZero();
		assertThat(states(this.orderService, "select state from dtx_global_transaction")).containsExactly("CANCELLED");
		assertThat(states(this.paymentService, "select concat(branch_id, ' ', state) from dtx_branch_fence order by 1"))
			.containsExactly("r1 CANCELLED", "r1.b1 CANCELLED");
	}

	@Test
	void failedRemoteStepCompensatesTheLocalOneAndLeavesAMarkThere() {
		assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(() -> orders().placeOrder(2, 500, false));
		assertThat(this.journal.entries()).containsExactly("release widget 2");
		assertThat(stock().available()).isEqualTo(10);
		assertThat(payment().balance()).isEqualTo(100);
		assertThat(states(this.orderService, "select state from dtx_global_transaction")).containsExactly("CANCELLED");
		assertThat(states(this.paymentService, "select concat(branch_id, ' ', state) from dtx_branch_fence order by 1"))
			.as("the remote step rolled back; its compensation left the mark that refuses it later")
			.containsExactly("r1 CANCELLED");
	}

	@Test
	void stepArrivingAfterItsCompensationIsRefusedWith409() {
		String xid = GlobalTransaction.newXid();
		this.paymentService.getBean(SagaCoordinator.class).completeRemoteBranch(xid, "r1", false);
		assertThat(chargeRemotely(xid, 10).value()).isEqualTo(409);
		assertThat(payment().balance()).isEqualTo(100);
		assertThat(this.journal.entries()).as("an empty compensation runs nothing").isEmpty();
	}

	@Test
	void compensationOfAnUnreachableServiceIsRetriedByRecoveryUntilItAnswers() {
		orders().afterPaymentCall(() -> this.paymentService.close());
		assertThatIllegalStateException().isThrownBy(() -> orders().placeOrder(2, 30, true));
		assertThat(states(this.orderService, "select state from dtx_global_transaction"))
			.as("the remote compensation failed").containsExactly("CANCELLING");
		assertThat(stock().available()).as("the local step waits behind it, in reverse order").isEqualTo(8);
		orders().afterPaymentCall(() -> {
		});
		this.paymentService = startPayment();
		assertThat(payment().balance()).as("the charge survived the restart").isEqualTo(70);
		Recovery recovery = this.orderService.getBean(Recovery.class);
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
			recovery.recoverDue();
			return states(this.orderService, "select state from dtx_global_transaction").equals(List.of("CANCELLED"));
		});
		assertThat(payment().balance()).isEqualTo(100);
		assertThat(stock().available()).isEqualTo(10);
		assertThat(this.journal.entries()).containsExactly("refund alice 30 charge 1", "release widget 2");
	}

	private HttpStatusCode chargeRemotely(String xid, int amount) {
		return RestClient.create()
			.post()
			.uri("http://localhost:" + this.paymentPort + "/charge?customer=alice&amount=" + amount)
			.header(DtxHeaders.XID, xid)
			.header(DtxHeaders.BRANCH, "r1")
			.header(DtxHeaders.MODE, "SAGA")
			.header(DtxHeaders.DEADLINE, Long.toString(Instant.now().plusSeconds(60).toEpochMilli()))
			.exchange((request, response) -> response.getStatusCode());
	}

	private RemoteOrders orders() {
		return this.orderService.getBean(RemoteOrders.class);
	}

	private SagaShop.Stock stock() {
		return this.orderService.getBean(SagaShop.Stock.class);
	}

	private SagaShop.Payment payment() {
		return this.paymentService.getBean(SagaShop.Payment.class);
	}

	private static List<String> states(ConfigurableApplicationContext context, String sql) {
		return new JdbcTemplate(context.getBean(DataSource.class)).queryForList(sql, String.class);
	}

	/**
	 * The order service: the saga's orchestrator.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OrderApplication {

		@Bean
		SagaShop.Stock stock(DataSource dataSource, SagaShop.Journal journal) {
			return new SagaShop.Stock(dataSource, journal);
		}

		@Bean
		RemoteOrders remoteOrders(SagaShop.Stock stock, RestClient.Builder restClient,
				@Value("${payment.url}") String paymentUrl) {
			return new RemoteOrders(stock, restClient.baseUrl(paymentUrl).build());
		}

	}

	static class RemoteOrders {

		private final SagaShop.Stock stock;

		private final RestClient payment;

		// set through a method: a test holds the proxy, whose own fields are never read
		private volatile Runnable afterPaymentCall = () -> {
		};

		RemoteOrders(SagaShop.Stock stock, RestClient payment) {
			this.stock = stock;
			this.payment = payment;
		}

		public void afterPaymentCall(Runnable hook) {
			this.afterPaymentCall = hook;
		}

		@Saga(name = "remote-order", timeout = "20s")
		public String placeOrder(int quantity, int amount, boolean failAfterCalls) {
			this.stock.reserve("widget", quantity);
			this.payment.post()
				.uri("/charge?customer=alice&amount={amount}", amount)
				.retrieve()
				.toBodilessEntity();
			this.afterPaymentCall.run();
			if (failAfterCalls) {
				throw new IllegalStateException("shipping refused");
			}
			return "ordered";
		}

	}

	/**
	 * The payment service: a participant whose step joins the caller's saga.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PaymentApplication {

		@Bean
		SagaShop.Payment payment(DataSource dataSource, SagaShop.Journal journal) {
			return new SagaShop.Payment(dataSource, journal);
		}

		@Bean
		PaymentController paymentController(SagaShop.Payment payment) {
			return new PaymentController(payment);
		}

	}

	@RestController
	static class PaymentController {

		private final SagaShop.Payment payment;

		PaymentController(SagaShop.Payment payment) {
			this.payment = payment;
		}

		// a refused step becomes 409 through dtx's own handler
		@PostMapping("/charge")
		Map<String, Integer> charge(@RequestParam String customer, @RequestParam int amount) {
			return Map.of("charge", this.payment.charge(customer, amount));
		}

	}

}
