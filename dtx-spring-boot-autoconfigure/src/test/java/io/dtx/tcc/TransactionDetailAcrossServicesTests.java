package io.dtx.tcc;

import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;

import io.dtx.fence.FencedBranch;
import io.dtx.ops.DtxOperations;
import io.dtx.tcc.RemoteTccTests.OrderApplication;
import io.dtx.tcc.RemoteTccTests.PaymentApplication;
import io.dtx.tcc.RemoteTccTests.RemoteOrders;
import io.dtx.test.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * An operator's view of one transaction spans services: the order service's detail holds,
 * for the payment service it called, the branches the payment service reports through
 * its signed endpoint — and says why when it cannot report them.
 */
class TransactionDetailAcrossServicesTests {

	private int paymentPort;

	private ConfigurableApplicationContext orderService;

	private ConfigurableApplicationContext paymentService;

	@BeforeEach
	void start() throws Exception {
		this.paymentPort = Ports.free();
		this.paymentService = startPayment(RemoteTccTests.SECRET);
		this.orderService = new SpringApplicationBuilder(OrderApplication.class).properties(RemoteTccTests.common("order"))
			.properties("spring.datasource.url=jdbc:h2:mem:order-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"server.port=0", "payment.url=http://localhost:" + this.paymentPort)
			.run();
	}

	private ConfigurableApplicationContext startPayment(String secret) {
		return new SpringApplicationBuilder(PaymentApplication.class).properties(RemoteTccTests.common("payment"))
			.properties("spring.datasource.url=jdbc:h2:mem:payment-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"server.port=" + this.paymentPort, "dtx.http.secret=" + secret)
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

	@Test
	void theDetailHoldsTheBranchesTheCalledServiceReports() {
		assertThat(orders().placeOrder(2, 20, false)).isEqualTo("ordered");

		DtxOperations.TransactionDetail detail = lastTransaction();
		assertThat(detail.branches()).extracting(FencedBranch::action, FencedBranch::state)
			.containsExactly(tuple("stock#reserve", "CONFIRMED"));
		DtxOperations.CalledService payment = detail.participants().get(0);
		assertThat(payment.unreported()).isNull();
		assertThat(payment.reported()).extracting((branch) -> branch.branchId() + " " + branch.action() + " " + branch.state())
			.containsExactly("r1 remote CONFIRMED", "r1.b1 payment#freeze CONFIRMED");
		assertThat(payment.reported().get(1).arguments()).contains("alice");
	}

	@Test
	void aCancelledTransactionsCalledServiceReportsItsBranchesCancelled() {
		assertThatIllegalStateException().isThrownBy(() -> orders().placeOrder(2, 20, true));

		DtxOperations.CalledService payment = lastTransaction().participants().get(0);
		assertThat(payment.reported()).extracting((branch) -> branch.branchId() + " " + branch.state())
			.containsExactly("r1 CANCELLED", "r1.b1 CANCELLED");
	}

	@Test
	void aServiceThatDoesNotAnswerLeavesTheDetailWithTheReasonInsteadOfItsBranches() {
		assertThat(orders().placeOrder(2, 20, false)).isEqualTo("ordered");
		this.paymentService.close();

		DtxOperations.TransactionDetail detail = lastTransaction();
		assertThat(detail.branches()).hasSize(1);
		assertThat(detail.participants()).singleElement().satisfies((payment) -> {
			assertThat(payment.state()).isEqualTo("DONE");
			assertThat(payment.reported()).isNull();
			assertThat(payment.unreported()).startsWith("not reported: ");
		});
	}

	@Test
	void aServiceWithAnotherSecretRefusesToReport() {
		assertThat(orders().placeOrder(2, 20, false)).isEqualTo("ordered");
		this.paymentService.close();
		this.paymentService = startPayment("another-secret");

		DtxOperations.CalledService payment = lastTransaction().participants().get(0);
		assertThat(payment.reported()).isNull();
		assertThat(payment.unreported()).contains("401");
	}

	private DtxOperations.TransactionDetail lastTransaction() {
		DtxOperations operations = this.orderService.getBean(DtxOperations.class);
		List<DtxOperations.Transaction> newest = operations.transactions(null, null, null, null, 0, 1);
		assertThat(newest).hasSize(1);
		return operations.transaction(newest.get(0).xid());
	}

	private RemoteOrders orders() {
		return this.orderService.getBean(RemoteOrders.class);
	}

}
