package io.dtx.samples.commandshop.delivery;

import io.dtx.samples.commandshop.ShopCommands;
import io.dtx.samples.commandshop.ShopCommands.DeliveryScheduled;
import io.dtx.samples.commandshop.ShopCommands.ScheduleDelivery;
import io.dtx.saga.orchestration.SagaCommandHandler;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Schedules a delivery, in one local transaction with the command's inbox entry and the
 * reply.
 */
@Component
class DeliveryHandlers {

	private final JdbcTemplate jdbc;

	DeliveryHandlers(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@SagaCommandHandler(ShopCommands.DELIVERY)
	DeliveryScheduled schedule(ScheduleDelivery command) {
		String deliveryId = "del-" + command.orderId();
		this.jdbc.update("insert into delivery (id, order_id, status) values (?, ?, 'SCHEDULED')", deliveryId,
				command.orderId());
		return new DeliveryScheduled(deliveryId);
	}

}
