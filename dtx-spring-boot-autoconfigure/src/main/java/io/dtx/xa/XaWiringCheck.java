package io.dtx.xa;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.dtx.aop.AnnotatedMethods;
import io.dtx.core.DtxWiringException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Refuses, at start-up, an application whose {@link XaBranch} or {@link XaGlobalTransaction}
 * methods could never work: on a database that cannot prepare a transaction (H2, or
 * PostgreSQL with {@code max_prepared_transactions = 0}), or with branches that nothing
 * can reach (no {@code @XaGlobalTransaction} here and no web server to take requests that
 * carry one). Names the bean and the method; an application without such methods is left
 * alone, whatever its database.
 */
final class XaWiringCheck implements SmartInitializingSingleton {

	private final ConfigurableListableBeanFactory beanFactory;

	private final PreparedBranches branches;

	private final String dataSourceName;

	private final BooleanSupplier takesRequests;

	/**
	 * @param dataSourceName the name of the DataSource bean the branches run on
	 * @param takesRequests whether this application serves HTTP requests, which may carry a
	 * global XA transaction started elsewhere
	 */
	XaWiringCheck(ConfigurableListableBeanFactory beanFactory, PreparedBranches branches, String dataSourceName,
			BooleanSupplier takesRequests) {
		this.beanFactory = beanFactory;
		this.branches = branches;
		this.dataSourceName = dataSourceName;
		this.takesRequests = takesRequests;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Found branch = first(XaBranch.class);
		Found initiator = first(XaGlobalTransaction.class);
		Found any = (branch != null) ? branch : initiator;
		if (any == null) {
			return;
		}
		checkDatabase(any);
		if (branch != null && initiator == null && !this.takesRequests.getAsBoolean()) {
			throw new DtxWiringException(branch.beanName(), branch.method(), "Bean '" + branch.beanName() + "': @XaBranch "
					+ AnnotatedMethods.describe(branch.method()) + " can never run: this application has no "
					+ "@XaGlobalTransaction method and serves no web requests that could carry one",
					"Call it from an @XaGlobalTransaction method, or from a controller of a servlet web application "
							+ "that other services call inside theirs.");
		}
	}

	private void checkDatabase(Found found) {
		String annotated = "Bean '" + found.beanName() + "': @" + found.annotation().getSimpleName() + " "
				+ AnnotatedMethods.describe(found.method());
		try {
			this.branches.statements();
		}
		catch (UnsupportedOperationException ex) {
			throw new DtxWiringException(found.beanName(), found.method(), annotated + " runs its branches as "
					+ "transactions that DataSource '" + this.dataSourceName + "' prepares, and it cannot: "
					+ ex.getMessage(), "Point dtx.data-source at a PostgreSQL or MySQL/MariaDB DataSource.");
		}
		try (Connection connection = this.branches.dataSource().getConnection()) {
			String url = connection.getMetaData().getURL();
			XaVendor vendor = XaVendor.fromUrl(url);
			if (vendor != null) {
				vendor.verify(this.dataSourceName, url, connection);
			}
		}
		catch (XaConfigurationException ex) {
			throw new DtxWiringException(found.beanName(), found.method(), annotated + " runs its branches as "
					+ "prepared transactions; " + ex.getDescription().replaceAll("\\.$", ""), ex.getAction());
		}
		catch (SQLException ex) {
			// unreachable now: the first branch says so, and the database's own checks say why
		}
	}

	private @Nullable Found first(Class<? extends Annotation> annotation) {
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			Class<?> type = this.beanFactory.getType(beanName, false);
			if (type == null) {
				continue;
			}
			Map<Method, Boolean> annotated = MethodIntrospector.selectMethods(ClassUtils.getUserClass(type),
					(MethodIntrospector.MetadataLookup<Boolean>) (method) -> AnnotatedElementUtils
						.hasAnnotation(method, annotation) ? Boolean.TRUE : null);
			Set<Method> methods = annotated.keySet();
			if (!methods.isEmpty()) {
				return new Found(beanName, methods.iterator().next(), annotation);
			}
		}
		return null;
	}

	private record Found(String beanName, Method method, Class<? extends Annotation> annotation) {

	}

}
