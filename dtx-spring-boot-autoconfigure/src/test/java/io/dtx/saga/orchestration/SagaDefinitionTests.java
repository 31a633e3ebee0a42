package io.dtx.saga.orchestration;

import java.time.Duration;
import java.util.function.Function;

import io.dtx.core.DtxWiringException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The DSL: what a definition holds, and each definition that cannot run refused by
 * {@code build()}, naming the saga and the step and saying what to change.
 */
class SagaDefinitionTests {

	@Test
	void holdsItsStepsInOrderWithWhatEachSendsAndUndoes() {
		SagaDefinition<Order> saga = placeOrder().build();
		assertThat(saga.name()).isEqualTo("place-order");
		assertThat(saga.stateType()).isEqualTo(Order.class);
		assertThat(saga.steps()).extracting(SagaStepDefinition::name).containsExactly("charge", "reserve", "finish");
		SagaStepDefinition<Order> charge = saga.step("charge");
		assertThat(charge.remote()).isTrue();
		assertThat(charge.compensated()).isTrue();
		assertThat(charge.command().channel()).isEqualTo("payment");
		assertThat(charge.command().build().apply(new Order("o-1", 30, null, false))).isEqualTo(new Charge("o-1", 30));
		assertThat(charge.compensation().build().apply(new Order("o-1", 30, "p-9", false))).isEqualTo(new Refund("p-9"));
		assertThat(apply(charge.reply(), new Order("o-1", 30, null, false), new Charged("p-9")))
			.isEqualTo(new Order("o-1", 30, "p-9", false));
		assertThat(charge.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(charge.retry()).isEqualTo(RetryPolicy.attempts(3, Duration.ofSeconds(1), Duration.ofSeconds(10)));
		SagaStepDefinition<Order> reserve = saga.step("reserve");
		assertThat(reserve.compensated()).isFalse();
		assertThat(reserve.retry()).isEqualTo(RetryPolicy.NONE);
		SagaStepDefinition<Order> finish = saga.step("finish");
		assertThat(finish.remote()).isFalse();
		assertThat(finish.local().apply(new Order("o-1", 30, "p-9", false))).isEqualTo(new Order("o-1", 30, "p-9", true));
		assertThat(saga).hasToString("saga 'place-order' [charge, reserve, finish]");
	}

	@Test
	void aSagaWithoutStepsIsRefused() {
		assertRefused(SagaDefinition.builder("place-order", Order.class), "Saga 'place-order' has no steps",
				"Add its steps");
	}

	@Test
	void aSagaWithoutANameIsRefused() {
		assertRefused(SagaDefinition.builder(" ", Order.class).step("finish").local((order) -> order),
				"A saga definition has no name", "Name it");
	}

	@Test
	void twoStepsOfOneNameAreRefused() {
		assertRefused(placeOrder().step("charge").local((order) -> order),
				"Saga 'place-order', step 'charge' is defined twice", "a name of its own");
	}

	@Test
	void aStepNameLongerThanTheFenceKeepsIsRefused() {
		String name = "s".repeat(65);
		assertRefused(SagaDefinition.builder("place-order", Order.class).step(name).local((order) -> order),
				"Saga 'place-order', step '" + name + "' has a name longer than 64 characters", "fence row");
	}

	@Test
	void aCompensationWithNoCommandIsRefused() {
		Function<Order, Object> none = null;
		assertRefused(SagaDefinition.builder("place-order", Order.class)
			.step("charge")
			.command("payment", (order) -> new Charge(order.id(), order.amount()))
			.compensation("payment", none), "Saga 'place-order', step 'charge': its compensation names no command",
				"the function that makes the compensating command");
	}

	@Test
	void aStepThatDoesNothingOrTwoThingsIsRefused() {
		assertRefused(SagaDefinition.builder("place-order", Order.class).step("charge"),
				"Saga 'place-order', step 'charge' sends no command and runs no local work", "either");
		assertRefused(SagaDefinition.builder("place-order", Order.class)
			.step("charge")
			.command("payment", (order) -> new Charge(order.id(), order.amount()))
			.local((order) -> order), "Saga 'place-order', step 'charge' both sends a command and runs local work",
				"either");
	}

	@Test
	void channelsTimeoutsAndRetriesThatCannotWorkAreRefused() {
		assertRefused(SagaDefinition.builder("place-order", Order.class).step("charge").command(" ", (order) -> order),
				"Saga 'place-order', step 'charge' sends its command to no channel", "channel");
		assertRefused(charge().compensation("", (order) -> new Refund(order.paymentId())),
				"Saga 'place-order', step 'charge': its compensation goes to no channel", "channel");
		assertRefused(charge().timeout(Duration.ZERO), "step 'charge' has a timeout of PT0S", "positive");
		assertRefused(charge().timeout(Duration.ofSeconds(1)).retry(RetryPolicy.attempts(0, Duration.ZERO, Duration.ZERO)),
				"step 'charge' has the retry policy", "at least once");
		assertRefused(
				charge().timeout(Duration.ofSeconds(1))
					.retry(RetryPolicy.attempts(3, Duration.ofSeconds(2), Duration.ofSeconds(1))),
				"step 'charge' has the retry policy", "no smaller");
		assertRefused(charge().retry(RetryPolicy.attempts(3, Duration.ofSeconds(1), Duration.ofSeconds(2))),
				"step 'charge' is retried but has no timeout", ".timeout(duration)");
		assertRefused(SagaDefinition.builder("place-order", Order.class)
			.step("finish")
			.local((order) -> order)
			.timeout(Duration.ofSeconds(1)), "step 'finish' is local but has a reply, a timeout or a retry policy",
				"a step that sends a command");
	}

	@Test
	void aStepOfAnotherNameIsNotThere() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> placeOrder().build().step("ship"))
			.withMessage("Saga 'place-order' has no step 'ship'");
	}

	private static SagaDefinition.StepBuilder<Order> charge() {
		return SagaDefinition.builder("place-order", Order.class)
			.step("charge")
			.command("payment", (order) -> new Charge(order.id(), order.amount()));
	}

	private static SagaDefinition.StepBuilder<Order> placeOrder() {
		return SagaDefinition.builder("place-order", Order.class)
			.step("charge")
			.command("payment", (order) -> new Charge(order.id(), order.amount()))
			.onReply(Charged.class, (order, charged) -> order.paidBy(charged.paymentId()))
			.compensation("payment", (order) -> new Refund(order.paymentId()))
			.timeout(Duration.ofSeconds(30))
			.retry(RetryPolicy.attempts(3, Duration.ofSeconds(1), Duration.ofSeconds(10)))
			.step("reserve")
			.command("stock", (order) -> new Reserve(order.id()))
			.step("finish")
			.local(Order::finished);
	}

	private static void assertRefused(SagaDefinition.Builder<Order> saga, String description, String action) {
		assertThatExceptionOfType(DtxWiringException.class).isThrownBy(saga::build).satisfies((ex) -> {
			assertThat(ex.getDescription()).contains(description);
			assertThat(ex.getAction()).contains(action);
		});
	}

	private static void assertRefused(SagaDefinition.StepBuilder<Order> saga, String description, String action) {
		assertThatExceptionOfType(DtxWiringException.class).isThrownBy(saga::build).satisfies((ex) -> {
			assertThat(ex.getDescription()).contains(description);
			assertThat(ex.getAction()).contains(action);
		});
	}

	@SuppressWarnings("unchecked")
	private static <S, R> S apply(SagaStepDefinition.Reply<S, ?> reply, S state, R received) {
		return ((SagaStepDefinition.Reply<S, R>) reply).apply().apply(state, received);
	}

	record Order(String id, int amount, String paymentId, boolean done) {

		Order paidBy(String payment) {
			return new Order(this.id, this.amount, payment, this.done);
		}

		Order finished() {
			return new Order(this.id, this.amount, this.paymentId, true);
		}

	}

	record Charge(String orderId, int amount) {

	}

	record Charged(String paymentId) {

	}

	record Refund(String paymentId) {

	}

	record Reserve(String orderId) {

	}

}
