package io.dtx.saga;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxSagaAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.coordinator.Recovery;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.test.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A saga of three local steps (charge, reserve, schedule a delivery): kept when its
 * method returns, compensated in reverse when it throws or passes its deadline, retried
 * and recovered. One subclass per database.
 */
abstract class SagaContractTests {

	/** JDBC URL, user and password of an empty database. */
	abstract String[] emptyDatabase();

	private ApplicationContextRunner contextRunner() {
		String[] database = emptyDatabase();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxSagaAutoConfiguration.class))
			.withUserConfiguration(ShopConfiguration.class)
			.withPropertyValues("spring.datasource.url=" + database[0], "spring.datasource.username=" + database[1],
					"spring.datasource.password=" + database[2], "dtx.recovery.interval=1h",
					"dtx.saga.compensation.max-attempts=3", "dtx.saga.compensation.initial-backoff=1s");
	}

	@Test
	void returningKeepsEveryStepAndFinishesTheSagaWithTheStepsResultsInTheFence() {
		contextRunner().run((context) -> {
			assertThat(context.getBean(SagaShop.Orders.class).placeOrder(3, 30)).isEqualTo("D-1");
			assertThat(context.getBean(SagaShop.Payment.class).balance()).isEqualTo(70);
			assertThat(context.getBean(SagaShop.Stock.class).available()).isEqualTo(7);
			assertThat(context.getBean(SagaShop.Delivery.class).deliveries()).isOne();
			assertThat(globalStates(context)).containsExactly("CONFIRMED");
			assertThat(jdbc(context).queryForList("select concat(branch_id, ' ', state, ' ', coalesce(result, '-'))"
					+ " from dtx_branch_fence order by branch_id", String.class))
				.containsExactly("b1 CONFIRMED 1", "b2 CONFIRMED -", "b3 CONFIRMED \"D-1\"");
			assertThat(context.getBean(SagaShop.Journal.class).entries()).isEmpty();
		});
	}

	@Test
	void failureCompensatesTheCommittedStepsInReverseWithTheirResultsAndRethrows() {
		contextRunner().run((context) -> {
			SagaShop.Delivery delivery = context.getBean(SagaShop.Delivery.class);
			IllegalArgumentException refused = new IllegalArgumentException("no such address");
			delivery.failNext(1, refused);
			assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(SagaShop.Orders.class)
				.placeOrder(3, 30)).isSameAs(refused);
			assertThat(delivery.attempts()).as("never retried").isOne();
			assertThat(context.getBean(SagaShop.Journal.class).entries())
				.containsExactly("release widget 3", "refund alice 30 charge 1");
			assertNothingLeft(context);
			assertThat(globalStates(context)).containsExactly("CANCELLED");
			// the failed step rolled back and left the mark that refuses it later
			assertThat(fenceStates(context)).containsExactly("CANCELLED", "CANCELLED", "CANCELLED");
		});
	}

	@Test
	void checkedExceptionCompensatesAndReachesTheCallerUnchanged() {
		contextRunner().run((context) -> {
			assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> context.getBean(SagaShop.Orders.class).placeOrderThenFail())
				.withMessage("printer on fire");
			assertThat(context.getBean(SagaShop.Payment.class).balance()).isEqualTo(100);
			assertThat(globalStates(context)).containsExactly("CANCELLED");
		});
	}

	@Test
	void sagaWhoseOnlyStepFailedLeavesNothingBehind() {
		contextRunner().run((context) -> {
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(SagaShop.Orders.class)
				.placeOrder(1, 500)).withMessage("insufficient funds: alice");
			assertThat(globalStates(context)).isEmpty();
			assertThat(fenceStates(context)).isEmpty();
		});
	}

	@Test
	void transientFailuresOfAStepAreRetriedEachInItsOwnLocalTransaction() {
		contextRunner().run((context) -> {
			SagaShop.Delivery delivery = context.getBean(SagaShop.Delivery.class);
			delivery.failNext(2, new SagaShop.TransientException("courier busy"));
			assertThat(context.getBean(SagaShop.Orders.class).placeOrder(1, 10)).isEqualTo("D-1");
			assertThat(delivery.attempts()).isEqualTo(3);
			assertThat(delivery.deliveries()).as("failed attempts rolled back").isOne();
			assertThat(globalStates(context)).containsExactly("CONFIRMED");
		});
	}

	@Test
	void aStepOutOfAttemptsFailsTheSagaWithItsLastException() {
		contextRunner().run((context) -> {
			SagaShop.Delivery delivery = context.getBean(SagaShop.Delivery.class);
			delivery.failNext(5, new SagaShop.TransientException("courier busy"));
			assertThatExceptionOfType(SagaShop.TransientException.class)
				.isThrownBy(() -> context.getBean(SagaShop.Orders.class).placeOrder(1, 10))
				.withMessage("courier busy");
			assertThat(delivery.attempts()).isEqualTo(3);
			assertNothingLeft(context);
		});
	}

	@Test
	void stepOutsideAnySagaFailsAndChangesNothing() {
		contextRunner().run((context) -> {
			SagaShop.Stock stock = context.getBean(SagaShop.Stock.class);
			assertThatIllegalStateException().isThrownBy(() -> stock.reserve("widget", 1))
				.withMessageContaining("SagaShop$Stock.reserve was called outside any @Saga");
			assertThat(stock.available()).isEqualTo(10);
			assertThat(fenceStates(context)).isEmpty();
		});
	}

	@Test
	void sagaCalledInsideALocalTransactionIsRefusedBeforeAnythingRuns() {
		contextRunner().run((context) -> {
			TransactionTemplate local = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			assertThatIllegalStateException()
				.isThrownBy(() -> local.executeWithoutResult(
						(status) -> context.getBean(SagaShop.Orders.class).placeOrder(1, 10)))
				.withMessageContaining("@Saga method")
				.withMessageContaining("was called inside a local transaction");
			assertThat(globalStates(context)).isEmpty();
		});
	}

	@Test
	void methodReturningAfterItsDeadlineIsCompensated() {
		contextRunner().run((context) -> {
			assertThatExceptionOfType(SagaTimeoutException.class)
				.isThrownBy(() -> context.getBean(SagaShop.Orders.class).placeSlowOrder(4))
				.withMessageContaining("slow-order")
				.withMessageContaining("passed its deadline");
			assertThat(context.getBean(SagaShop.Journal.class).entries())
				.containsExactly("release widget 4", "refund alice 10 charge 1");
			assertNothingLeft(context);
			assertThat(globalStates(context)).containsExactly("CANCELLED");
		});
	}

	@Test
	void recoveryCompensatesASagaLeftRunningPastItsDeadlineFromItsFence() {
		contextRunner().run((context) -> {
			crashAfterSteps(context);
			assertThat(context.getBean(SagaShop.Payment.class).balance()).isEqualTo(80);
			Recovery recovery = context.getBean(Recovery.class);
			assertThat(recovery.recoverDue()).as("before the deadline").isZero();
			context.getBean(MutableClock.class).advance(Duration.ofSeconds(11));
			assertThat(recovery.recoverDue()).isOne();
			assertThat(context.getBean(SagaShop.Journal.class).entries())
				.containsExactly("cancel D-1", "release widget 2", "refund alice 20 charge 1");
			assertNothingLeft(context);
			assertThat(globalStates(context)).containsExactly("CANCELLED");
			assertThat(recovery.recoverDue()).as("nothing twice").isZero();
		});
	}

	@Test
	void failingCompensationIsRetriedWithBackoffThenFailedThenRetriedByHand() {
		contextRunner().run((context) -> {
			SagaShop.Payment payment = context.getBean(SagaShop.Payment.class);
			payment.failNextRefunds(4);
			context.getBean(SagaShop.Delivery.class).failNext(1, new IllegalArgumentException("no such address"));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(SagaShop.Orders.class).placeOrder(3, 30));
			assertThat(globalStates(context)).as("first attempt failed").containsExactly("CANCELLING");
			assertThat(lastErrors(context)).as("recorded with the saga")
				.containsExactly("IllegalStateException: payment provider unavailable");
			assertThat(context.getBean(SagaShop.Stock.class).available()).as("released before the refund failed")
				.isEqualTo(10);
			MutableClock clock = context.getBean(MutableClock.class);
			Recovery recovery = context.getBean(Recovery.class);
			assertThat(recovery.recoverDue()).as("within the first backoff").isZero();
			clock.advance(Duration.ofMillis(1100));
			assertThat(recovery.recoverDue()).as("second attempt").isZero();
			clock.advance(Duration.ofMillis(1100));
			assertThat(recovery.recoverDue()).as("within the doubled backoff").isZero();
			clock.advance(Duration.ofSeconds(1));
			assertThat(recovery.recoverDue()).as("third and last attempt ends it").isOne();
			assertThat(globalStates(context)).containsExactly("FAILED");
			clock.advance(Duration.ofHours(1));
			assertThat(recovery.recoverDue()).as("recovery leaves a failed saga alone").isZero();
			Sagas sagas = context.getBean(Sagas.class);
			List<FailedSaga> failed = sagas.failed(10);
			assertThat(failed).singleElement().satisfies((saga) -> {
				assertThat(saga.name()).isEqualTo("place-order");
				assertThat(saga.attempts()).isEqualTo(3);
				assertThat(saga.lastError()).isEqualTo("IllegalStateException: payment provider unavailable");
			});
			assertThat(sagas.retry(failed.get(0).xid())).as("still failing").isEqualTo(GlobalState.CANCELLING);
			assertThat(sagas.retry(failed.get(0).xid())).as("not failed any more: nothing to retry")
				.isEqualTo(GlobalState.CANCELLING);
			clock.advance(Duration.ofSeconds(2));
			assertThat(recovery.recoverDue()).isOne();
			assertThat(globalStates(context)).containsExactly("CANCELLED");
			assertThat(lastErrors(context)).as("the last failed attempt's, kept beside its attempts")
				.containsExactly("IllegalStateException: payment provider unavailable");
			assertThat(sagas.failed(10)).isEmpty();
			assertThat(context.getBean(SagaShop.Journal.class).entries())
				.containsExactly("release widget 3", "refund alice 30 charge 1");
			assertNothingLeft(context);
		});
	}

	@Test
	void retryByHandOfAFailedSagaCompensatesItAtOnce() {
		contextRunner().withPropertyValues("dtx.saga.compensation.max-attempts=1").run((context) -> {
			context.getBean(SagaShop.Payment.class).failNextRefunds(1);
			assertThatExceptionOfType(SagaShop.OutOfStockException.class)
				.isThrownBy(() -> context.getBean(SagaShop.Orders.class).placeOrder(30, 30));
			Sagas sagas = context.getBean(Sagas.class);
			assertThat(globalStates(context)).containsExactly("FAILED");
			assertThat(sagas.retry(sagas.failed(10).get(0).xid())).isEqualTo(GlobalState.CANCELLED);
			assertNothingLeft(context);
			assertThat(sagas.retry("0123456789abcdef0123456789abcdef")).as("never recorded here").isNull();
		});
	}

	@Test
	void metersCountAndTimeSagasByNameModeAndOutcome() {
		contextRunner().withBean(SimpleMeterRegistry.class).run((context) -> {
			SagaShop.Orders orders = context.getBean(SagaShop.Orders.class);
			orders.placeOrder(1, 10);
			assertThatExceptionOfType(SagaShop.OutOfStockException.class).isThrownBy(() -> orders.placeOrder(100, 10));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("dtx.transactions.started").tag("name", "place-order").tag("mode", "saga")
				.counter()
				.count()).isEqualTo(2);
			Timer confirmed = meters.get("dtx.transactions").tag("mode", "saga").tag("outcome", "confirmed").timer();
			assertThat(confirmed.count()).isOne();
			assertThat(confirmed.totalTime(TimeUnit.NANOSECONDS)).isPositive();
			assertThat(meters.get("dtx.transactions").tag("mode", "saga").tag("outcome", "cancelled").timer().count())
				.isOne();
		});
	}

	// as if the JVM died after the three steps, before the saga's method returned
	private static void crashAfterSteps(AssertableApplicationContext context) {
		GlobalTransaction saga = context.getBean(SagaCoordinator.class).begin("crashing-order",
				Duration.ofSeconds(10));
		GlobalTransactionContext.bind(saga);
		try {
			context.getBean(SagaShop.Payment.class).charge("alice", 20);
			context.getBean(SagaShop.Stock.class).reserve("widget", 2);
			context.getBean(SagaShop.Delivery.class).schedule("widget");
		}
		finally {
			GlobalTransactionContext.clear();
		}
	}

	private static void assertNothingLeft(AssertableApplicationContext context) {
		assertThat(context.getBean(SagaShop.Payment.class).balance()).isEqualTo(100);
		assertThat(context.getBean(SagaShop.Payment.class).charges()).isZero();
		assertThat(context.getBean(SagaShop.Stock.class).available()).isEqualTo(10);
		assertThat(context.getBean(SagaShop.Delivery.class).deliveries()).isZero();
	}

	static JdbcTemplate jdbc(AssertableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

	static List<String> lastErrors(AssertableApplicationContext context) {
		return jdbc(context).queryForList("select last_error from dtx_global_transaction", String.class);
	}

	static List<String> globalStates(AssertableApplicationContext context) {
		return jdbc(context).queryForList("select state from dtx_global_transaction", String.class);
	}

	static List<String> fenceStates(AssertableApplicationContext context) {
		return jdbc(context).queryForList("select state from dtx_branch_fence order by branch_id", String.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class ShopConfiguration {

		@Bean
		MutableClock dtxClock() {
			return new MutableClock();
		}

		@Bean
		SagaShop.Journal journal() {
			return new SagaShop.Journal();
		}

		@Bean
		SagaShop.Payment payment(DataSource dataSource, SagaShop.Journal journal) {
			return new SagaShop.Payment(dataSource, journal);
		}

		@Bean
		SagaShop.Stock stock(DataSource dataSource, SagaShop.Journal journal) {
			return new SagaShop.Stock(dataSource, journal);
		}

		@Bean
		SagaShop.Delivery delivery(DataSource dataSource, SagaShop.Journal journal) {
			return new SagaShop.Delivery(dataSource, journal);
		}

		@Bean
		SagaShop.Orders orders(SagaShop.Payment payment, SagaShop.Stock stock, SagaShop.Delivery delivery,
				MutableClock dtxClock) {
			return new SagaShop.Orders(payment, stock, delivery, dtxClock);
		}

	}

}
