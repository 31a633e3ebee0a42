package io.dtx.samples.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;
import javax.sql.XADataSource;

import com.atomikos.icatch.config.UserTransactionServiceImp;
import com.atomikos.icatch.jta.UserTransactionManager;
import com.atomikos.icatch.provider.ConfigProperties;
import com.atomikos.jdbc.AtomikosDataSourceBean;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.xa.PGXADataSource;

/**
 * The transaction with Atomikos wired by hand, as its documentation shows, and no
 * Spring: plain JDBC between {@code begin()} and {@code commit()}. The transaction
 * service gets the settings dtx gives it, so that the two XA variants differ only in
 * their wiring.
 */
final class HandWiredAtomikosVariant implements Variant {

	static final String NAME = "hand-wired";

	private final UserTransactionServiceImp transactionService;

	private final UserTransactionManager transactionManager;

	private final AtomikosDataSourceBean postgres;

	private final AtomikosDataSourceBean mariadb;

	HandWiredAtomikosVariant(BenchmarkSettings settings) throws Exception {
		this.transactionService = new UserTransactionServiceImp(atomikosProperties(settings.logDir().resolve(NAME)));
		this.transactionService.init();
		this.transactionManager = new UserTransactionManager();
		// the service above is already running, configured without a jta.properties file
		this.transactionManager.setStartupTransactionService(false);
		this.transactionManager.init();
		this.postgres = dataSource("bench-hand-wired-pg", postgresXa(settings.postgres()), settings.callers());
		this.mariadb = dataSource("bench-hand-wired-maria", mariadbXa(settings.mariadb()), settings.callers());
	}

	private static Properties atomikosProperties(Path logDir) {
		Properties properties = new Properties();
		properties.setProperty(ConfigProperties.TM_UNIQUE_NAME_PROPERTY_NAME, "xa-benchmark-hand-wired");
		properties.setProperty(ConfigProperties.LOG_BASE_DIR_PROPERTY_NAME, logDir.toAbsolutePath().toString());
		properties.setProperty(ConfigProperties.LOG_BASE_NAME_PROPERTY_NAME, "hand-wired");
		properties.setProperty("com.atomikos.icatch.default_jta_timeout", "30000");
		properties.setProperty(ConfigProperties.MAX_TIMEOUT_PROPERTY_NAME, "300000");
		properties.setProperty(ConfigProperties.RECOVERY_DELAY_PROPERTY_NAME, "10000");
		properties.setProperty(ConfigProperties.MAX_ACTIVES_PROPERTY_NAME, "200");
		properties.setProperty(ConfigProperties.ENABLE_LOGGING_PROPERTY_NAME, "true");
		return properties;
	}

	private static PGXADataSource postgresXa(Database database) {
		PGXADataSource xa = new PGXADataSource();
		xa.setUrl(database.url());
		xa.setUser(database.username());
		xa.setPassword(database.password());
		return xa;
	}

	private static MariaDbDataSource mariadbXa(Database database) throws SQLException {
		// without pinning, one XA branch may run over two physical connections, which MariaDB refuses
		String url = database.url() + (database.url().contains("?") ? "&" : "?") + "pinGlobalTxToPhysicalConnection=true";
		MariaDbDataSource xa = new MariaDbDataSource(url);
		xa.setUser(database.username());
		xa.setPassword(database.password());
		return xa;
	}

	private static AtomikosDataSourceBean dataSource(String resourceName, XADataSource xa, int callers)
			throws SQLException {
		AtomikosDataSourceBean dataSource = new AtomikosDataSourceBean();
		dataSource.setUniqueResourceName(resourceName);
		dataSource.setXaDataSource(xa);
		dataSource.setMinPoolSize(callers);
		dataSource.setMaxPoolSize(callers);
		dataSource.init();
		return dataSource;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public void transaction(int postgresAccount, int mariadbAccount) throws Exception {
		this.transactionManager.begin();
		try {
			Variant.update(this.postgres, postgresAccount);
			Variant.update(this.mariadb, mariadbAccount);
		}
		catch (Exception | Error ex) {
			this.transactionManager.rollback();
			throw ex;
		}
		this.transactionManager.commit();
	}

	@Override
	public void close() {
		this.postgres.close();
		this.mariadb.close();
		this.transactionManager.close();
		this.transactionService.shutdown(false);
	}

}
