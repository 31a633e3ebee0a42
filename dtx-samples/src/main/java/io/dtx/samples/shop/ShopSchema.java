package io.dtx.samples.shop;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.DataSourceInitializer;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The demo's own tables, created at start-up in each of its two databases. Spring Boot's
 * {@code spring.sql.init} would only reach the primary one.
 */
@Configuration(proxyBeanMethods = false)
class ShopSchema {

	@Bean
	DataSourceInitializer ordersSchema(@Qualifier("orders") DataSource orders) {
		return initializer(orders, "shop/orders-schema.sql");
	}

	@Bean
	DataSourceInitializer stockSchema(@Qualifier("stock") DataSource stock) {
		return initializer(stock, "shop/stock-schema.sql");
	}

	private static DataSourceInitializer initializer(DataSource dataSource, String script) {
		DataSourceInitializer initializer = new DataSourceInitializer();
		initializer.setDataSource(dataSource);
		initializer.setDatabasePopulator(new ResourceDatabasePopulator(new ClassPathResource(script)));
		return initializer;
	}

}
