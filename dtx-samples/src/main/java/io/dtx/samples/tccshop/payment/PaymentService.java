package io.dtx.samples.tccshop.payment;

import javax.sql.DataSource;

import io.dtx.tcc.Cancel;
import io.dtx.tcc.Confirm;
import io.dtx.tcc.TccTry;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Accounts as a TCC participant. A freeze takes no money yet: it holds part of the
 * balance back, so that nothing else can spend it, until the order's transaction
 * confirms (the frozen amount is charged) or cancels (it is unfrozen).
 */
@Service
public class PaymentService {

	private final JdbcTemplate jdbc;

	PaymentService(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Freezes {@code amount} of the account's balance, in one local transaction with dtx's
	 * fence row.
	 * @throws InsufficientFundsException when less is free: nothing is frozen
	 */
	@TccTry("freeze")
	public void freeze(String account, int amount) {
		// checked and changed in one statement: two concurrent freezes cannot both spend the same funds
		int updated = this.jdbc.update(
				"update account set frozen = frozen + ? where id = ? and balance - frozen >= ?", amount, account,
				amount);
		if (updated == 0) {
			throw new InsufficientFundsException(account, amount);
		}
	}

	@Confirm("freeze")
	public void charge(String account, int amount) {
		this.jdbc.update("update account set balance = balance - ?, frozen = frozen - ? where id = ?", amount,
				amount, account);
	}

	@Cancel("freeze")
	public void unfreeze(String account, int amount) {
		this.jdbc.update("update account set frozen = frozen - ? where id = ?", amount, account);
	}

}
