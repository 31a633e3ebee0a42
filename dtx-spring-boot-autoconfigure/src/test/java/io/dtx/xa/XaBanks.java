package io.dtx.xa;

import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Two banks that move money between them in XA transactions across services: the paying
 * bank (the initiator) debits its customer in a branch of its own database and has the
 * receiving bank (a participant) credit the payee in a branch of its database, over
 * HTTP. The receiving bank refuses credits over {@link #CREDIT_LIMIT}.
 */
final class XaBanks {

	static final String SECRET = "xa-banks-secret";

	static final int OPENING_BALANCE = 100;

	static final int CREDIT_LIMIT = 1_000;

	private XaBanks() {
	}

	// each transfer once in each bank's ledger, in the branch that moves its money
	static void createAccount(JdbcTemplate jdbc, String id) {
		jdbc.execute("create table account (id varchar(20) primary key, balance integer not null)");
		jdbc.update("insert into account (id, balance) values (?, ?)", id, OPENING_BALANCE);
		jdbc.execute("create table ledger (transfer integer primary key, amount integer not null)");
	}

	static String[] common(String name) {
		return new String[] { "spring.application.name=" + name, "spring.main.banner-mode=off",
				"spring.flyway.enabled=false", "dtx.http.secret=" + SECRET, "dtx.recovery.interval=1h",
				"dtx.recovery.lease=1s", "dtx.recovery.initial-backoff=100ms" };
	}

	/**
	 * The paying bank: the initiator.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PayingBank {

		@Bean
		Debits debits(DataSource dataSource) {
			return new Debits(new JdbcTemplate(dataSource));
		}

		@Bean
		Transfers transfers(Debits debits, RestClient.Builder restClient, @Value("${bank.payee.url}") String payeeUrl) {
			return new Transfers(debits, restClient.baseUrl(payeeUrl).build());
		}

	}

	static class Transfers {

		private final Debits debits;

		private final RestClient payeeBank;

		// set through a method: a test holds the proxy, whose own fields are never read
		private volatile Runnable afterCredit = () -> {
		};

		Transfers(Debits debits, RestClient payeeBank) {
			this.debits = debits;
			this.payeeBank = payeeBank;
		}

		void afterCredit(Runnable hook) {
			this.afterCredit = hook;
		}

		/**
		 * Transfer {@code number}: throws {@code callOff}, if any, once the credit is
		 * prepared.
		 */
		@XaGlobalTransaction(name = "failing-debit")
		public void failingDebit(int amount, SQLException failure) throws SQLException {
			this.debits.debitThenFail("alice", amount, failure);
		}

		@XaGlobalTransaction(name = "transfer", timeout = "20s")
		public String transfer(int number, int amount, RuntimeException callOff) {
			this.debits.debit("alice", amount, number);
			this.payeeBank.post()
				.uri("/credit?account=bob&amount={amount}&transfer={number}", amount, number)
				.retrieve()
				.toBodilessEntity();
			this.afterCredit.run();
			if (callOff != null) {
				throw callOff;
			}
			return "transferred";
		}

	}

	static class Debits {

		private final JdbcTemplate jdbc;

		Debits(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@XaBranch
		public void debit(String account, int amount, int transfer) {
			this.jdbc.update("update account set balance = balance - ? where id = ?", amount, account);
			this.jdbc.update("insert into ledger (transfer, amount) values (?, ?)", transfer, -amount);
		}

		@XaBranch
		public void debitThenFail(String account, int amount, SQLException failure) throws SQLException {
			this.jdbc.update("update account set balance = balance - ? where id = ?", amount, account);
			throw failure;
		}

	}

	/**
	 * The receiving bank: a participant.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ReceivingBank {

		@Bean
		Credits credits(DataSource dataSource) {
			return new Credits(new JdbcTemplate(dataSource));
		}

		@Bean
		CreditController creditController(Credits credits) {
			return new CreditController(credits);
		}

	}

	static class Credits {

		private final JdbcTemplate jdbc;

		Credits(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		// refused after its update: what it wrote must go with the branch
		@XaBranch
		public void credit(String account, int amount, int transfer) {
			this.jdbc.update("update account set balance = balance + ? where id = ?", amount, account);
			this.jdbc.update("insert into ledger (transfer, amount) values (?, ?)", transfer, amount);
			if (amount > CREDIT_LIMIT) {
				throw new IllegalArgumentException("credit of " + amount + " is over the limit");
			}
		}

	}

	@RestController
	static class CreditController {

		private final Credits credits;

		CreditController(Credits credits) {
			this.credits = credits;
		}

		@PostMapping("/credit")
		Map<String, String> credit(@RequestParam String account, @RequestParam int amount,
				@RequestParam(defaultValue = "0") int transfer) {
			this.credits.credit(account, amount, transfer);
			return Map.of("credited", Integer.toString(amount));
		}

	}

}
