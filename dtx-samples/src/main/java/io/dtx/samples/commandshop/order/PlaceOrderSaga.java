package io.dtx.samples.commandshop.order;

import io.dtx.samples.commandshop.ShopCommands;
import io.dtx.samples.commandshop.ShopCommands.Charge;
import io.dtx.samples.commandshop.ShopCommands.Charged;
import io.dtx.samples.commandshop.ShopCommands.DeliveryScheduled;
import io.dtx.samples.commandshop.ShopCommands.Refund;
import io.dtx.samples.commandshop.ShopCommands.Release;
import io.dtx.samples.commandshop.ShopCommands.Reserve;
import io.dtx.samples.commandshop.ShopCommands.ScheduleDelivery;
import io.dtx.saga.orchestration.SagaDefinition;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The saga {@code place-order}: create the order here, charge it at the payment service,
 * reserve its items at the stock service, schedule its delivery, and finish it here. A
 * step that fails has the steps before it undone in reverse: the reservation released,
 * the payment refunded, the order marked FAILED.
 */
@Configuration(proxyBeanMethods = false)
class PlaceOrderSaga {

	static final String NAME = "place-order";

	@Bean
	SagaDefinition<Order> placeOrder(JdbcTemplate jdbc) {
		return SagaDefinition.builder(NAME, Order.class)
			.step("create")
			// local steps run in the orchestrator's transaction: the order and the saga commit together
			.local((order) -> {
				jdbc.update("insert into orders (id, item, quantity, amount, status) values (?, ?, ?, ?, 'PENDING')",
						order.id(), order.item(), order.quantity(), order.amount());
				return order;
			})
			.localCompensation((order) -> status(jdbc, order, "FAILED"))
			.step("charge")
			.command(ShopCommands.PAYMENT, (order) -> new Charge(order.id(), order.account(), order.amount()))
			.onReply(Charged.class, (order, charged) -> order.paidBy(charged.paymentId()))
			.compensation(ShopCommands.PAYMENT, (order) -> new Refund(order.paymentId()))
			.step("reserve")
			.command(ShopCommands.STOCK, (order) -> new Reserve(order.id(), order.item(), order.quantity()))
			.compensation(ShopCommands.STOCK, (order) -> new Release(order.id(), order.item(), order.quantity()))
			.step("deliver")
			.command(ShopCommands.DELIVERY, (order) -> new ScheduleDelivery(order.id()))
			.onReply(DeliveryScheduled.class, (order, scheduled) -> order.deliveredBy(scheduled.deliveryId()))
			.step("finish")
			.local((order) -> status(jdbc, order, "COMPLETED"))
			.build();
	}

	private static Order status(JdbcTemplate jdbc, Order order, String status) {
		jdbc.update("update orders set status = ? where id = ?", status, order.id());
		return order;
	}

}
