package io.dtx.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.dtx.coordinator.TransactionModes;
import io.dtx.jdbc.DtxTables;
import io.dtx.notify.NotificationDispatcher;
import io.dtx.notify.Notifications;
import io.dtx.outbox.Outbox;
import io.dtx.outbox.OutboxRelay;
import io.dtx.xa.DtxXaDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.util.ClassUtils;

/**
 * One line at INFO once the context has started, on logger {@code io.dtx}: which of
 * dtx's modes are on and where its tables are, read from the beans the context holds.
 */
final class DtxStartupReport implements ApplicationListener<ContextRefreshedEvent> {

	private static final Log logger = LogFactory.getLog("io.dtx");

	private static final boolean XA_PRESENT = ClassUtils.isPresent("com.atomikos.jdbc.AtomikosDataSourceBean",
			DtxStartupReport.class.getClassLoader());

	private static final boolean KAFKA_PRESENT = ClassUtils.isPresent("org.springframework.kafka.core.KafkaTemplate",
			DtxStartupReport.class.getClassLoader());

	private static final boolean REST_CLIENT_PRESENT = ClassUtils
		.isPresent("org.springframework.web.client.RestClient", DtxStartupReport.class.getClassLoader());

	private final ApplicationContext context;

	DtxStartupReport(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		if (event.getApplicationContext() == this.context && logger.isInfoEnabled()) {
			logger.info(describe(this.context));
		}
	}

	static String describe(ListableBeanFactory beans) {
		List<String> modes = new ArrayList<>();
		beans.getBeanProvider(TransactionModes.class)
			.ifAvailable((transactionModes) -> transactionModes.names().stream().sorted().forEach(modes::add));
		if (XA_PRESENT) {
			xa(beans, modes);
		}
		List<String> parts = new ArrayList<>();
		parts.add("modes " + (modes.isEmpty() ? "none" : String.join(", ", modes)));
		if (KAFKA_PRESENT) {
			outbox(beans, parts);
		}
		if (REST_CLIENT_PRESENT) {
			notifications(beans, parts);
		}
		beans.getBeanProvider(DtxTables.class).ifAvailable((tables) -> parts.add("tables " + tables.describe()));
		return "dtx: " + String.join("; ", parts);
	}

	// each of these touches classes of an optional library: called only where it is there

	private static void xa(ListableBeanFactory beans, List<String> modes) {
		String[] dataSources = beans.getBeanNamesForType(DtxXaDataSource.class, false, false);
		if (dataSources.length > 0) {
			modes.add("XA " + Arrays.toString(dataSources));
		}
	}

	private static void outbox(ListableBeanFactory beans, List<String> parts) {
		if (beans.getBeanNamesForType(Outbox.class, false, false).length > 0) {
			OutboxRelay relay = beans.getBeanProvider(OutboxRelay.class).getIfAvailable();
			parts.add("outbox on (" + ((relay == null) ? "no relay here" : relay.isRunning() ? "relay running"
					: "relay stopped") + ")");
		}
	}

	private static void notifications(ListableBeanFactory beans, List<String> parts) {
		if (beans.getBeanNamesForType(Notifications.class, false, false).length > 0) {
			NotificationDispatcher dispatcher = beans.getBeanProvider(NotificationDispatcher.class).getIfAvailable();
			parts.add("notifications on (" + ((dispatcher == null) ? "no dispatcher here"
					: dispatcher.isRunning() ? "dispatcher running" : "dispatcher stopped") + ")");
		}
	}

}
