package io.dtx.tcc;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.autoconfigure.DtxTccAutoConfiguration;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.Recovery;
import io.dtx.coordinator.Retention;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.test.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * A TCC transaction over two local branches, on H2: confirmed when its method returns,
 * cancelled when it throws or passes its deadline, and finished by recovery when its
 * thread never got to phase two.
 */
class TccTransactionTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxTccAutoConfiguration.class))
		.withUserConfiguration(ShopConfiguration.class)
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:tcc-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"dtx.recovery.interval=1h");

	@Test
	void returningConfirmsEveryBranch() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(TccShop.Orders.class).placeOrder(3, 10)).isEqualTo("ordered 3");
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			TccShop.Payment payment = context.getBean(TccShop.Payment.class);
			assertThat(stock.available()).isEqualTo(7);
			assertThat(stock.reserved()).isZero();
			assertThat(payment.balance()).isEqualTo(70);
			assertThat(payment.frozen()).isZero();
			assertThat(globalStates(context)).containsExactly("CONFIRMED");
			assertThat(fenceStates(context)).containsExactly("CONFIRMED", "CONFIRMED");
		});
	}

	@Test
	void metersCountAndTimeTransactionsByNameModeAndOutcome() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			TccShop.Orders orders = context.getBean(TccShop.Orders.class);
			orders.placeOrder(1, 10);
			orders.placeOrder(1, 10);
			assertThatIllegalStateException().isThrownBy(() -> orders.placeOrder(1, 500));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("dtx.transactions.started").tag("name", "place-order").tag("mode", "tcc").counter()
				.count()).isEqualTo(3);
			Timer confirmed = meters.get("dtx.transactions").tag("name", "place-order").tag("outcome", "confirmed")
				.timer();
			assertThat(confirmed.count()).isEqualTo(2);
			assertThat(confirmed.totalTime(TimeUnit.NANOSECONDS)).isPositive();
			assertThat(meters.get("dtx.transactions").tag("outcome", "cancelled").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void theTransactionIdIsInTheLoggingContextWhileItRuns() {
		this.contextRunner.run((context) -> {
			String[] seen = new String[1];
			context.getBean(TccShop.Orders.class).placeOrderObserving(() -> seen[0] = MDC.get("dtx.xid"));
			assertThat(seen[0]).isEqualTo(jdbc(context).queryForObject("select xid from dtx_global_transaction",
					String.class));
			assertThat(MDC.get("dtx.xid")).as("cleared afterwards").isNull();
		});
	}

	@Test
	void retentionDeletesWhatFinishedLongAgoAndKeepsWhatIsUnfinished() {
		this.contextRunner.run((context) -> {
			TccShop.Orders orders = context.getBean(TccShop.Orders.class);
			orders.placeOrder(1, 10);
			assertThatIllegalStateException().isThrownBy(() -> orders.placeOrder(1, 500));
			crashAfterTries(context, false, (shop) -> context.getBean(TccShop.Stock.class).reserve("widget", 1));
			MutableClock clock = context.getBean(MutableClock.class);
			Retention retention = context.getBean(Retention.class);
			clock.advance(Duration.ofDays(6));
			assertThat(retention.deleteExpired()).as("within dtx.retention.keep").isZero();
			clock.advance(Duration.ofDays(2));
			assertThat(retention.deleteExpired()).as("2 transactions, their 4 fence rows").isEqualTo(6);
			assertThat(globalStates(context)).as("the unfinished one stays").containsExactly("TRYING");
			assertThat(fenceStates(context)).containsExactly("TRIED");
		});
	}

	@Test
	void asyncPhaseTwoReturnsOnceDecidedAndConfirmsRightAfter() {
		this.contextRunner.withPropertyValues("dtx.tcc.async-phase-two=true").run((context) -> {
			assertThat(context.getBean(TccShop.Orders.class).placeOrder(3, 10)).isEqualTo("ordered 3");
			assertThat(globalStates(context)).as("decided before the method returned")
				.containsAnyOf("CONFIRMING", "CONFIRMED");
			await().atMost(Duration.ofSeconds(10)).until(() -> globalStates(context).equals(List.of("CONFIRMED")));
			assertThat(context.getBean(TccShop.Stock.class).available()).isEqualTo(7);
			assertThat(context.getBean(TccShop.Payment.class).balance()).isEqualTo(70);
		});
	}

	@Test
	void asyncPhaseTwoStillHandsTheOriginalExceptionToTheCallerAndCancels() {
		this.contextRunner.withPropertyValues("dtx.tcc.async-phase-two=true").run((context) -> {
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(TccShop.Orders.class).placeOrder(3, 50))
				.withMessage("insufficient funds: alice");
			await().atMost(Duration.ofSeconds(10)).until(() -> globalStates(context).equals(List.of("CANCELLED")));
			assertThat(context.getBean(TccShop.Stock.class).reserved()).isZero();
		});
	}

	@Test
	void exceptionCancelsEveryTriedBranchAndReachesTheCallerUnchanged() {
		this.contextRunner.run((context) -> {
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(TccShop.Orders.class).placeOrder(3, 50))
				.withMessage("insufficient funds: alice");
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			assertThat(stock.reserved()).isZero();
			assertThat(stock.available()).isEqualTo(10);
			assertThat(stock.cancels()).isEqualTo(1);
			assertThat(context.getBean(TccShop.Payment.class).frozen()).isZero();
			assertThat(globalStates(context)).containsExactly("CANCELLED");
			// the failed freeze left no row; its cancel found none and wrote the empty-rollback mark
			assertThat(fenceStates(context)).containsExactly("CANCELLED", "CANCELLED");
		});
	}

	@Test
	void checkedExceptionCancelsAndReachesTheCallerUnchanged() {
		this.contextRunner.run((context) -> {
			assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> context.getBean(TccShop.Orders.class).placeOrderThenFail(2))
				.withMessage("printer on fire");
			assertThat(context.getBean(TccShop.Stock.class).reserved()).isZero();
			assertThat(globalStates(context)).containsExactly("CANCELLED");
		});
	}

	@Test
	void transactionWhoseOnlyTryFailedLeavesNothingBehind() {
		this.contextRunner.run((context) -> {
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(TccShop.Orders.class).placeOrder(20, 1))
				.withMessage("out of stock: widget");
			assertThat(globalStates(context)).as("nothing durable was written").isEmpty();
			assertThat(fenceStates(context)).isEmpty();
		});
	}

	@Test
	void transactionCalledInsideALocalTransactionIsRefusedBeforeAnythingRuns() {
		this.contextRunner.run((context) -> {
			TransactionTemplate local = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			assertThatIllegalStateException()
				.isThrownBy(() -> local.executeWithoutResult((status) -> context.getBean(TccShop.Orders.class)
					.placeOrder(1, 10)))
				.withMessageContaining("was called inside a local transaction");
			assertThat(context.getBean(TccShop.Stock.class).reserved()).isZero();
			assertThat(globalStates(context)).isEmpty();
		});
	}

	@Test
	void tryOutsideAnyTransactionFailsAndReservesNothing() {
		this.contextRunner.run((context) -> {
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			assertThatIllegalStateException().isThrownBy(() -> stock.reserve("widget", 1))
				.withMessageContaining("TccShop$Stock.reserve was called outside any @TccTransaction");
			assertThat(stock.reserved()).isZero();
			assertThat(fenceStates(context)).isEmpty();
		});
	}

	@Test
	void methodReturningAfterItsDeadlineIsCancelledNotConfirmed() {
		this.contextRunner.run((context) -> {
			assertThatExceptionOfType(TccTimeoutException.class)
				.isThrownBy(() -> context.getBean(TccShop.Orders.class).placeSlowOrder(4))
				.withMessageContaining("slow-order")
				.withMessageContaining("passed its deadline");
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			assertThat(stock.reserved()).isZero();
			assertThat(stock.confirms()).isZero();
			assertThat(globalStates(context)).containsExactly("CANCELLED");
		});
	}

	@Test
	void recoveryCancelsATransactionLeftUndecidedOnceItsDeadlinePasses() {
		this.contextRunner.run((context) -> {
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			crashAfterTries(context, false, (shop) -> stock.reserve("widget", 3));
			assertThat(stock.reserved()).isEqualTo(3);
			Recovery recovery = context.getBean(Recovery.class);
			assertThat(recovery.recoverDue()).as("before the deadline").isZero();
			context.getBean(MutableClock.class).advance(Duration.ofSeconds(11));
			assertThat(recovery.recoverDue()).isEqualTo(1);
			assertThat(stock.reserved()).isZero();
			assertThat(stock.cancels()).isEqualTo(1);
			assertThat(globalStates(context)).containsExactly("CANCELLED");
		});
	}

	@Test
	void recoveryCountsAFailedCancelOfAnExpiredTransactionAndRetriesAfterTheBackoff() {
		this.contextRunner.run((context) -> {
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			crashAfterTries(context, false, (shop) -> stock.reserve("widget", 3));
			stock.failNextCancels(1);
			MutableClock clock = context.getBean(MutableClock.class);
			Recovery recovery = context.getBean(Recovery.class);
			clock.advance(Duration.ofSeconds(11));
			assertThat(recovery.recoverDue()).as("the cancel failed").isZero();
			assertThat(jdbc(context).queryForObject("select attempts from dtx_global_transaction", Integer.class))
				.isEqualTo(1);
			assertThat(globalStates(context)).containsExactly("CANCELLING");
			clock.advance(Duration.ofMillis(1100));
			assertThat(recovery.recoverDue()).as("after the initial backoff, well within the lease").isEqualTo(1);
			assertThat(stock.reserved()).isZero();
			assertThat(globalStates(context)).containsExactly("CANCELLED");
		});
	}

	@Test
	void recoveryConfirmsADecidedTransactionFromTheArgumentsInItsFence() {
		this.contextRunner.run((context) -> {
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			TccShop.Payment payment = context.getBean(TccShop.Payment.class);
			crashAfterTries(context, true, (shop) -> {
				stock.reserve("widget", 3);
				payment.freeze("alice", 30);
			});
			Recovery recovery = context.getBean(Recovery.class);
			assertThat(recovery.recoverDue()).as("within the grace of the deciding thread").isZero();
			context.getBean(MutableClock.class).advance(Duration.ofSeconds(31));
			assertThat(recovery.recoverDue()).isEqualTo(1);
			assertThat(stock.available()).isEqualTo(7);
			assertThat(stock.reserved()).isZero();
			assertThat(payment.balance()).isEqualTo(70);
			assertThat(globalStates(context)).containsExactly("CONFIRMED");
		});
	}

	@Test
	void failingConfirmIsRetriedWithBackoffUntilItSucceedsAndRunsOnce() {
		this.contextRunner.run((context) -> {
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			// fails in the one-step attempt, in the step-by-step one, and in recovery's first
			stock.failNextConfirms(3);
			assertThat(context.getBean(TccShop.Orders.class).placeOrder(3, 10)).as("the decision was to commit")
				.isEqualTo("ordered 3");
			assertThat(globalStates(context)).containsExactly("CONFIRMING");
			MutableClock clock = context.getBean(MutableClock.class);
			Recovery recovery = context.getBean(Recovery.class);
			clock.advance(Duration.ofSeconds(31));
			assertThat(recovery.recoverDue()).as("second failure").isZero();
			clock.advance(Duration.ofMillis(500));
			assertThat(recovery.recoverDue()).as("within the backoff").isZero();
			clock.advance(Duration.ofMillis(600));
			assertThat(recovery.recoverDue()).isEqualTo(1);
			assertThat(stock.available()).isEqualTo(7);
			assertThat(stock.confirms()).isEqualTo(1);
			assertThat(context.getBean(TccShop.Payment.class).balance()).isEqualTo(70);
			assertThat(globalStates(context)).containsExactly("CONFIRMED");
		});
	}

	@Test
	void phaseTwoRepeatedAfterACrashDoesNothingTwice() {
		this.contextRunner.run((context) -> {
			context.getBean(TccShop.Orders.class).placeOrder(3, 10);
			// as if the JVM died after the confirms and before the log said CONFIRMED
			jdbc(context).update("update dtx_global_transaction set state = 'CONFIRMING', next_attempt_at = ?",
					java.sql.Timestamp.from(Instant.EPOCH));
			assertThat(context.getBean(Recovery.class).recoverDue()).isEqualTo(1);
			TccShop.Stock stock = context.getBean(TccShop.Stock.class);
			assertThat(stock.available()).isEqualTo(7);
			assertThat(stock.confirms()).isEqualTo(1);
			assertThat(context.getBean(TccShop.Payment.class).balance()).isEqualTo(70);
		});
	}

	private static void crashAfterTries(AssertableApplicationContext context, boolean decided,
			java.util.function.Consumer<Void> tries) {
		TccCoordinator coordinator = context.getBean(TccCoordinator.class);
		GlobalTransaction transaction = coordinator.begin("crashing-order", Duration.ofSeconds(10));
		GlobalTransactionContext.bind(transaction);
		try {
			tries.accept(null);
		}
		finally {
			GlobalTransactionContext.clear();
		}
		if (decided) {
			Instant now = context.getBean(MutableClock.class).instant();
			assertThat(context.getBean(GlobalTransactionLog.class)
				.decide(transaction.xid(), GlobalState.TRYING, GlobalState.CONFIRMING, now.plusSeconds(30))).isTrue();
		}
	}

	private static JdbcTemplate jdbc(AssertableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

	private static List<String> globalStates(AssertableApplicationContext context) {
		return jdbc(context).queryForList("select state from dtx_global_transaction", String.class);
	}

	private static List<String> fenceStates(AssertableApplicationContext context) {
		return jdbc(context).queryForList("select state from dtx_branch_fence order by branch_id", String.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class ShopConfiguration {

		@Bean
		MutableClock dtxClock() {
			return new MutableClock();
		}

		@Bean
		TccShop.Stock stock(DataSource dataSource) {
			return new TccShop.Stock(dataSource);
		}

		@Bean
		TccShop.Payment payment(DataSource dataSource) {
			return new TccShop.Payment(dataSource);
		}

		@Bean
		TccShop.Orders orders(TccShop.Stock stock, TccShop.Payment payment, MutableClock dtxClock) {
			return new TccShop.Orders(stock, payment, dtxClock);
		}

	}

}
