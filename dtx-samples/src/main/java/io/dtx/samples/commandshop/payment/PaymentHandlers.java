package io.dtx.samples.commandshop.payment;

import io.dtx.samples.commandshop.ShopCommands;
import io.dtx.samples.commandshop.ShopCommands.Charge;
import io.dtx.samples.commandshop.ShopCommands.Charged;
import io.dtx.samples.commandshop.ShopCommands.Refund;
import io.dtx.saga.orchestration.SagaCommandHandler;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each handler runs in one local transaction with its inbox entry and its reply: a command
 * delivered twice charges or refunds once.
 */
@Component
class PaymentHandlers {

	private final JdbcTemplate jdbc;

	PaymentHandlers(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@SagaCommandHandler(ShopCommands.PAYMENT)
	Charged charge(Charge charge) {
		String paymentId = "pay-" + charge.orderId();
		this.jdbc.update("update account set balance = balance - ? where id = ?", charge.amount(), charge.account());
		this.jdbc.update("insert into payment (id, order_id, account, amount, status) values (?, ?, ?, ?, 'CHARGED')",
				paymentId, charge.orderId(), charge.account(), charge.amount());
		return new Charged(paymentId);
	}

	@SagaCommandHandler(ShopCommands.PAYMENT)
	void refund(Refund refund) {
		this.jdbc.update("update account set balance = balance + (select amount from payment where id = ?)"
				+ " where id = (select account from payment where id = ?)", refund.paymentId(), refund.paymentId());
		this.jdbc.update("update payment set status = 'REFUNDED' where id = ?", refund.paymentId());
	}

}
