package io.dtx.autoconfigure;

import java.util.List;
import java.util.Map;

import io.dtx.xa.DtxXaDataSource;
import io.dtx.xa.XaConfigurationException;
import io.dtx.xa.XaDataSourceBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one DataSource bean per entry of {@code dtx.xa.datasources}, named after its
 * key. A bean the application defines under the same name wins.
 */
class XaDataSourcesRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {

	private static final Log logger = LogFactory.getLog(XaDataSourcesRegistrar.class);

	private @Nullable Environment environment;

	private @Nullable ClassLoader classLoader;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, DtxXaProperties.DataSource> declared = Binder.get(this.environment)
			.bind(OnXaDataSourcesCondition.PREFIX, Bindable.mapOf(String.class, DtxXaProperties.DataSource.class))
			.orElse(Map.of());
		List<String> primaries = declared.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().primary())
			.map(Map.Entry::getKey)
			.toList();
		if (primaries.size() > 1) {
			throw new XaConfigurationException(primaries.get(1), "is marked primary, and so is '" + primaries.get(0) + "'.",
					"Mark at most one of " + primaries + " with dtx.xa.datasources.<name>.primary=true.");
		}
		declared.forEach((name, settings) -> {
			if (registry.containsBeanDefinition(name)) {
				logger.info("Bean '" + name + "' is defined by the application: dtx.xa.datasources." + name
						+ " does not replace it");
				return;
			}
			RootBeanDefinition definition = new RootBeanDefinition(DtxXaDataSource.class, () -> build(name, settings));
			definition.setPrimary(settings.primary());
			definition.setInitMethodName("init");
			definition.setDestroyMethodName("close");
			registry.registerBeanDefinition(name, definition);
		});
	}

	private DtxXaDataSource build(String name, DtxXaProperties.DataSource settings) {
		return XaDataSourceBuilder.named(name)
			.url(settings.url())
			.username(settings.username())
			.password(settings.password())
			.xaDataSourceClassName(settings.xaDataSourceClassName())
			.properties(settings.properties())
			.minPoolSize(settings.minPoolSize())
			.maxPoolSize(settings.maxPoolSize())
			.borrowConnectionTimeout(settings.borrowConnectionTimeout())
			.maxIdleTime(settings.maxIdleTime())
			.classLoader(this.classLoader)
			.build();
	}

}
