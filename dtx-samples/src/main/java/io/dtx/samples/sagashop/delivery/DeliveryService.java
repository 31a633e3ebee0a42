package io.dtx.samples.sagashop.delivery;

import javax.sql.DataSource;

import io.dtx.saga.SagaStep;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Deliveries as saga steps: one is scheduled at once and cancelled by the compensation.
 */
@Service
public class DeliveryService {

	private final JdbcTemplate jdbc;

	DeliveryService(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Schedules the delivery of an order; returns its id.
	 */
	@SagaStep(compensate = "cancel")
	public String schedule(long order, String item) {
		String id = "DLV-" + order;
		this.jdbc.update("insert into delivery (id, order_id, item, status) values (?, ?, ?, 'SCHEDULED')", id, order,
				item);
		return id;
	}

	public void cancel(long order, String item, String delivery) {
		this.jdbc.update("update delivery set status = 'CANCELLED' where id = ?", delivery);
	}

}
