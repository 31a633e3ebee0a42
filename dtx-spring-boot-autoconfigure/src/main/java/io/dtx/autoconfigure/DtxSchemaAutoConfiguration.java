package io.dtx.autoconfigure;

import javax.sql.DataSource;

import io.dtx.jdbc.DtxSchema;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * dtx's own tables, applied as Flyway migrations to the DataSource that holds dtx's data.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, DtxXaAutoConfiguration.class },
		afterName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@ConditionalOnDtxEnabled
@ConditionalOnBooleanProperty(name = "dtx.schema.enabled", matchIfMissing = true)
@ConditionalOnClass(Flyway.class)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties({ DtxProperties.class, DtxSchemaProperties.class })
public final class DtxSchemaAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DtxSchema dtxSchema(DtxProperties properties, DtxSchemaProperties schema, ListableBeanFactory beanFactory) {
		return new DtxSchema(DtxDataSource.resolve(properties, beanFactory), schema.tablePrefix());
	}

	/**
	 * The application's own migrations run first: had dtx's tables been created before,
	 * Flyway would find a schema that is not empty and refuse to start without baseline.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(FlywayMigrationInitializer.class)
	static class AfterApplicationFlywayConfiguration {

		@Bean
		static DtxSchemaDependsOnFlywayPostProcessor dtxSchemaDependsOnFlywayPostProcessor() {
			return new DtxSchemaDependsOnFlywayPostProcessor();
		}

	}

	static final class DtxSchemaDependsOnFlywayPostProcessor extends AbstractDependsOnBeanFactoryPostProcessor {

		DtxSchemaDependsOnFlywayPostProcessor() {
			super(DtxSchema.class, FlywayMigrationInitializer.class);
		}

	}

}
