package io.dtx.samples.commandshop.order;

import org.jspecify.annotations.Nullable;

/**
 * The state of a {@code place-order} saga, which the orchestrator keeps as JSON in the
 * order service's database between its steps.
 *
 * @param id the order
 * @param account who pays
 * @param item what was ordered
 * @param quantity how many
 * @param amount what it costs
 * @param paymentId the payment service's payment, once charged
 * @param deliveryId the delivery service's delivery, once scheduled
 */
public record Order(String id, String account, String item, int quantity, int amount, @Nullable String paymentId,
		@Nullable String deliveryId) {

	Order paidBy(String payment) {
		return new Order(this.id, this.account, this.item, this.quantity, this.amount, payment, this.deliveryId);
	}

	Order deliveredBy(String delivery) {
		return new Order(this.id, this.account, this.item, this.quantity, this.amount, this.paymentId, delivery);
	}

}
