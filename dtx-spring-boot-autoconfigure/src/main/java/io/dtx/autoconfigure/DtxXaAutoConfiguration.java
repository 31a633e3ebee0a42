package io.dtx.autoconfigure;

import java.nio.file.Path;

import com.atomikos.icatch.jta.UserTransactionManager;
import com.atomikos.jdbc.AtomikosDataSourceBean;
import io.dtx.xa.AtomikosTransactionService;
import io.dtx.xa.TransactionManagerIds;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.jta.JtaTransactionManager;

/**
 * XA two-phase commit: Atomikos as the application's JTA transaction manager, and one
 * pooled XA DataSource bean per entry of {@code dtx.xa.datasources}, so that a plain
 * {@code @Transactional} method commits all of them or none.
 */
@AutoConfiguration(before = { DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class },
		beforeName = { "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
				"org.springframework.boot.transaction.jta.autoconfigure.JtaAutoConfiguration" })
@ConditionalOnDtxEnabled
@ConditionalOnBooleanProperty(name = "dtx.xa.enabled", matchIfMissing = true)
@ConditionalOnClass({ UserTransactionManager.class, AtomikosDataSourceBean.class, JtaTransactionManager.class,
		jakarta.transaction.TransactionManager.class })
@Conditional(OnXaDataSourcesCondition.class)
@EnableConfigurationProperties(DtxXaProperties.class)
@Import(XaDataSourcesRegistrar.class)
public final class DtxXaAutoConfiguration {

	static final String TRANSACTION_SERVICE_BEAN_NAME = "dtxAtomikosTransactionService";

	/**
	 * Makes Atomikos start after, and stop before, every XA data source of the context.
	 * Atomikos forgets a logged commit decision as soon as one recovery scan has
	 * succeeded on every resource registered at that moment; its first scan runs one
	 * recovery interval after it starts, and it runs one more when it shuts down. A data
	 * source not registered yet at the first (a slow database at start-up), or closed
	 * already at the last, would lose the decisions for its prepared branches, which
	 * recovery would then roll back although the other branches had committed.
	 */
	@Bean
	static XaDataSourcesBeforeTransactionServicePostProcessor dtxXaDataSourcesBeforeTransactionServicePostProcessor() {
		return new XaDataSourcesBeforeTransactionServicePostProcessor();
	}

	@Bean(TRANSACTION_SERVICE_BEAN_NAME)
	AtomikosTransactionService dtxAtomikosTransactionService(DtxXaProperties xa, Environment environment) {
		Path logDir = Path.of(xa.logDir());
		String id = (xa.transactionManagerId() != null) ? xa.transactionManagerId()
				: TransactionManagerIds.defaultId(environment.getProperty("spring.application.name"), logDir);
		return new AtomikosTransactionService(id, logDir, xa.defaultTimeout(), xa.maxTimeout(),
				xa.recoveryInterval(), xa.maxActiveTransactions());
	}

	@Bean(initMethod = "init", destroyMethod = "close")
	@ConditionalOnMissingBean
	UserTransactionManager atomikosTransactionManager(AtomikosTransactionService transactionService) {
		UserTransactionManager manager = new UserTransactionManager();
		// the shared AtomikosTransactionService starts and stops Atomikos, not each manager
		manager.setStartupTransactionService(false);
		manager.setForceShutdown(false);
		return manager;
	}

	@Bean
	@ConditionalOnMissingBean(TransactionManager.class)
	JtaTransactionManager transactionManager(UserTransactionManager atomikosTransactionManager,
			DtxXaProperties xa, ObjectProvider<TransactionManagerCustomizers> customizers) {
		JtaTransactionManager manager = new JtaTransactionManager(atomikosTransactionManager,
				atomikosTransactionManager);
		manager.setDefaultTimeout((int) xa.defaultTimeout().toSeconds());
		manager.setAllowCustomIsolationLevels(true);
		customizers.ifAvailable((each) -> each.customize(manager));
		return manager;
	}

	static final class XaDataSourcesBeforeTransactionServicePostProcessor
			extends AbstractDependsOnBeanFactoryPostProcessor {

		XaDataSourcesBeforeTransactionServicePostProcessor() {
			super(AtomikosTransactionService.class, AtomikosDataSourceBean.class);
		}

	}

}
