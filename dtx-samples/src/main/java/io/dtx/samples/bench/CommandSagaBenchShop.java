package io.dtx.samples.bench;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.dtx.saga.orchestration.SagaCommandHandler;
import io.dtx.saga.orchestration.SagaDefinition;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The shop of the benchmark of sagas by commands: an order is a saga of three remote steps,
 * each a command to a participant that runs one UPDATE of a random row (debit an account,
 * take stock, grant loyalty points) — the business SQL of {@link SagaBenchShop} — and its
 * reply. The orchestrator is one application, the three participants another; the same
 * commands and the same UPDATEs serve the baseline ({@link PlainRequestReply}).
 */
final class CommandSagaBenchShop {

	static final String SAGA = "bench-order";

	static final String PAYMENT = "cmdbench.payment";

	static final String STOCK = "cmdbench.stock";

	static final String LOYALTY = "cmdbench.loyalty";

	static final String REPLIES = "cmdbench.saga-replies";

	static final String DEBIT = "update cmd_bench_account set balance = balance - ? where id = ?";

	static final String TAKE = "update cmd_bench_stock set available = available - ? where id = ?";

	static final String GRANT = "update cmd_bench_loyalty set points = points + ? where id = ?";

	private CommandSagaBenchShop() {
	}

	record Order(String id, int account, int amount, int item, int quantity) {

	}

	record Debit(int account, int amount) {

	}

	record Credit(int account, int amount) {

	}

	record Take(int item, int quantity) {

	}

	record PutBack(int item, int quantity) {

	}

	record Grant(int account, int points) {

	}

	record Done(int rows) {

	}

	/**
	 * The starters' sagas under way, by order id, each completed with the time (nanoTime)
	 * its saga finished.
	 */
	static final class Completions {

		private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();

		CompletableFuture<Long> expect(String orderId) {
			CompletableFuture<Long> done = new CompletableFuture<>();
			this.waiting.put(orderId, done);
			return done;
		}

		void complete(String orderId) {
			CompletableFuture<Long> done = this.waiting.remove(orderId);
			if (done != null) {
				done.complete(System.nanoTime());
			}
		}

		// called in the transition of the last reply: the saga is COMPLETED once that commits
		Order completeAfterCommit(Order order) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					complete(order.id());
				}

			});
			return order;
		}

	}

	/**
	 * The orchestrator: the saga's definition, three remote steps and no local one.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Orchestrator {

		@Bean
		Completions completions() {
			return new Completions();
		}

		@Bean
		SagaDefinition<Order> benchOrder(Completions completions) {
			return SagaDefinition.builder(SAGA, Order.class)
				.step("debit")
				.command(PAYMENT, (order) -> new Debit(order.account(), order.amount()))
				.compensation(PAYMENT, (order) -> new Credit(order.account(), order.amount()))
				.step("take")
				.command(STOCK, (order) -> new Take(order.item(), order.quantity()))
				.compensation(STOCK, (order) -> new PutBack(order.item(), order.quantity()))
				.step("grant")
				.command(LOYALTY, (order) -> new Grant(order.account(), order.amount()))
				// a hook, not a step: a local step would add a savepoint's round trips to the measure
				.onReply(Done.class, (order, done) -> completions.completeAfterCommit(order))
				.build();
		}

	}

	/**
	 * The three participants in one application.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Participants {

		@Bean
		Handlers handlers(JdbcTemplate jdbc) {
			return new Handlers(jdbc);
		}

	}

	static class Handlers {

		private final JdbcTemplate jdbc;

		Handlers(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@SagaCommandHandler(PAYMENT)
		Done debit(Debit debit) {
			return run(DEBIT, debit.amount(), debit.account());
		}

		@SagaCommandHandler(PAYMENT)
		Done credit(Credit credit) {
			return run(DEBIT, -credit.amount(), credit.account());
		}

		@SagaCommandHandler(STOCK)
		Done take(Take take) {
			return run(TAKE, take.quantity(), take.item());
		}

		@SagaCommandHandler(STOCK)
		Done putBack(PutBack putBack) {
			return run(TAKE, -putBack.quantity(), putBack.item());
		}

		@SagaCommandHandler(LOYALTY)
		Done grant(Grant grant) {
			return run(GRANT, grant.points(), grant.account());
		}

		Done run(String sql, int amount, int id) {
			return new Done(update(this.jdbc, sql, amount, id));
		}

	}

	static int update(JdbcTemplate jdbc, String sql, int amount, int id) {
		int rows = jdbc.update(sql, amount, id);
		if (rows != 1) {
			throw new IllegalStateException(sql + " changed " + rows + " rows for " + id);
		}
		return rows;
	}

}
