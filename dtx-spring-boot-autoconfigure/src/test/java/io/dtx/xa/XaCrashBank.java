package io.dtx.xa;

import java.util.Map;
import javax.sql.DataSource;

import io.dtx.core.DtxObservations;
import io.dtx.tcc.crash.CrashPoints;
import io.dtx.tcc.crash.ServiceMain;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The banks of {@link XaBanks} as services of their own, for the crash tests: started from
 * {@link #main} in a child JVM, configured by command-line properties only
 * ({@code bank.role=paying} or {@code receiving}), and stopped dead at the point named by
 * {@code crash.point}:
 * <ul>
 * <li>{@value #BEFORE_DECISION}: the paying bank, once the credit is prepared and before
 * its method returns;</li>
 * <li>{@value #AFTER_DECISION}: the paying bank, once the decision to commit is logged and
 * before any branch is committed (as phase two begins);</li>
 * <li>{@value #AFTER_PREPARE}: the receiving bank, once its credit is prepared and before
 * it answers.</li>
 * </ul>
 * The paying bank's transfers ({@code POST /transfers?amount=}) time out after
 * {@value #TIMEOUT}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class XaCrashBank {

	static final String BEFORE_DECISION = "before-decision";

	static final String AFTER_DECISION = "after-decision";

	static final String AFTER_PREPARE = "after-prepare";

	static final String TIMEOUT = "4s";

	public static void main(String[] args) {
		ServiceMain.run(XaCrashBank.class, args);
	}

	@Bean
	CrashPoints crashPoints(@Value("${crash.point:}") String crashPoint) {
		return new CrashPoints(crashPoint);
	}

	// phase two is observed as it begins, the decision logged: the crash point's hook
	@Bean
	ObservationRegistry observationRegistry(CrashPoints crashPoints) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStart(Observation.Context context) {
				crashPoints.reach(AFTER_DECISION);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return DtxObservations.PHASE_TWO.equals(context.getName());
			}

		});
		return registry;
	}

	@Bean
	XaBanks.Debits debits(DataSource dataSource) {
		return new XaBanks.Debits(new JdbcTemplate(dataSource));
	}

	@Bean
	XaBanks.Credits credits(DataSource dataSource) {
		return new XaBanks.Credits(new JdbcTemplate(dataSource));
	}

	@Bean
	CrashTransfers crashTransfers(XaBanks.Debits debits, RestClient.Builder restClient,
			@Value("${bank.payee.url:http://localhost:1}") String payeeUrl, CrashPoints crashPoints) {
		return new CrashTransfers(debits, restClient.baseUrl(payeeUrl).build(), crashPoints);
	}

	static class CrashTransfers {

		private final XaBanks.Debits debits;

		private final RestClient payeeBank;

		private final CrashPoints crashPoints;

		CrashTransfers(XaBanks.Debits debits, RestClient payeeBank, CrashPoints crashPoints) {
			this.debits = debits;
			this.payeeBank = payeeBank;
			this.crashPoints = crashPoints;
		}

		@XaGlobalTransaction(name = "crash-transfer", timeout = TIMEOUT)
		public void transfer(int amount) {
			this.debits.debit("alice", amount, 1);
			this.payeeBank.post().uri("/credit?account=bob&amount={amount}&transfer=1", amount).retrieve()
				.toBodilessEntity();
			this.crashPoints.reach(BEFORE_DECISION);
		}

	}

	@RestController
	static class Endpoints {

		private final CrashTransfers transfers;

		private final XaBanks.Credits credits;

		private final CrashPoints crashPoints;

		Endpoints(CrashTransfers transfers, XaBanks.Credits credits, CrashPoints crashPoints) {
			this.transfers = transfers;
			this.credits = credits;
			this.crashPoints = crashPoints;
		}

		@PostMapping("/transfers")
		Map<String, String> transfer(@RequestParam int amount) {
			this.transfers.transfer(amount);
			return Map.of("transferred", Integer.toString(amount));
		}

		@PostMapping("/credit")
		Map<String, String> credit(@RequestParam String account, @RequestParam int amount,
				@RequestParam int transfer) {
			this.credits.credit(account, amount, transfer);
			this.crashPoints.reach(AFTER_PREPARE);
			return Map.of("credited", Integer.toString(amount));
		}

	}

}
