package io.dtx.samples.sagashop.payment;

import javax.sql.DataSource;

import io.dtx.saga.SagaStep;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Charges as saga steps: the money is taken at once, in one local transaction with dtx's
 * fence row, and given back by the compensation should the order fail later.
 */
@Service
public class PaymentService {

	private final JdbcTemplate jdbc;

	PaymentService(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Charges {@code amount} to the account for the order; returns the charge's id.
	 * @throws InsufficientFundsException when the balance is lower: nothing is charged
	 */
	@SagaStep(compensate = "refund")
	public Long charge(long order, String account, int amount) {
		if (this.jdbc.update("update account set balance = balance - ? where id = ? and balance >= ?", amount,
				account, amount) == 0) {
			throw new InsufficientFundsException(account, amount);
		}
		long charge = this.jdbc.queryForObject("select coalesce(max(id), 0) + 1 from charge", Long.class);
		this.jdbc.update("insert into charge (id, order_id, amount, status) values (?, ?, ?, 'CHARGED')", charge,
				order, amount);
		return charge;
	}

	// gets the charge's id, what charge returned, from dtx's fence row
	public void refund(long order, String account, int amount, Long charge) {
		this.jdbc.update("update account set balance = balance + ? where id = ?", amount, account);
		this.jdbc.update("update charge set status = 'REFUNDED' where id = ?", charge);
	}

}
