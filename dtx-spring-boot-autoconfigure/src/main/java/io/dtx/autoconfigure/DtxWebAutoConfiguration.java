package io.dtx.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.function.Supplier;

import io.dtx.coordinator.CoordinatorClient;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.ParticipantClient;
import io.dtx.coordinator.ParticipantLog;
import io.dtx.coordinator.TransactionMode;
import io.dtx.coordinator.TransactionModes;
import io.dtx.fence.BranchFence;
import io.dtx.web.BranchRefusedHandler;
import io.dtx.web.ContextPropagation;
import io.dtx.web.DtxClientHttpRequestInterceptor;
import io.dtx.web.DtxExchangeFilterFunction;
import io.dtx.web.DtxServerFilter;
import io.dtx.web.HttpCoordinationClient;
import io.dtx.web.PhaseTwoController;
import io.dtx.web.RequestSigner;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * Global transactions across services over HTTP: the context carried by RestClient and
 * RestTemplate calls and joined by incoming requests, and the signed phase-two endpoints.
 */
@AutoConfiguration(after = { DtxTccAutoConfiguration.class, DtxSagaAutoConfiguration.class })
@ConditionalOnDtxEnabled
@ConditionalOnClass(RestClient.class)
@ConditionalOnBean(TransactionMode.class)
@EnableConfigurationProperties({ DtxHttpProperties.class, DtxRecoveryProperties.class })
public final class DtxWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RequestSigner dtxRequestSigner(DtxHttpProperties http, ObjectProvider<Clock> dtxClock) {
		return new RequestSigner(http.secret(), http.maxClockSkew(), dtxClock.getObject());
	}

	@Bean
	@ConditionalOnMissingBean({ ParticipantClient.class, CoordinatorClient.class })
	HttpCoordinationClient dtxHttpCoordinationClient(RequestSigner signer, ObjectProvider<JsonMapper> jsonMapper,
			ThreadPoolTaskExecutor dtxPhaseTwoExecutor,
			@Qualifier("dtxHttpCallExecutor") ObjectProvider<ThreadPoolTaskExecutor> dtxHttpCallExecutor,
			DtxHttpProperties http, ObjectProvider<ObservationRegistry> observations) {
		return new HttpCoordinationClient(signer, jsonMapper.getIfAvailable(JsonMapper::new),
				dtxHttpCallExecutor.getIfAvailable(() -> dtxPhaseTwoExecutor), http.basePath(), http.connectTimeout(),
				http.readTimeout(), observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	// only where asked for: a second Executor bean would change which one an application's
	// @Async methods run on
	@Bean
	@ConditionalOnProperty("dtx.http.call-threads")
	ThreadPoolTaskExecutor dtxHttpCallExecutor(DtxHttpProperties http) {
		return DtxExecutors.executor("dtx-http-call-", http.callThreads());
	}


	@Bean
	@ConditionalOnMissingBean
	ContextPropagation dtxContextPropagation(GlobalTransactionLog log, ParticipantLog participants,
			PlatformTransactionManager transactionManager, RequestSigner signer, DtxHttpProperties http,
			Environment environment) {
		return new ContextPropagation(log, participants, transactionManager, signer, http.basePath(),
				selfUrl(http, environment));
	}

	// looked up once, at the first call, when the web server knows its port
	static Supplier<String> selfUrl(DtxHttpProperties http, Environment environment) {
		return SingletonSupplier.of(() -> (http.selfUrl() != null) ? http.selfUrl() : "http://" + hostName() + ":"
				+ environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")));
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientCustomizer.class)
	static class RestClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DtxClientHttpRequestInterceptor dtxClientHttpRequestInterceptor(ContextPropagation propagation) {
			return new DtxClientHttpRequestInterceptor(propagation);
		}

		@Bean
		RestClientCustomizer dtxRestClientCustomizer(DtxClientHttpRequestInterceptor interceptor) {
			return (builder) -> builder.requestInterceptor(interceptor);
		}

		@Bean
		RestTemplateCustomizer dtxRestTemplateCustomizer(DtxClientHttpRequestInterceptor interceptor) {
			return (restTemplate) -> restTemplate.getInterceptors().add(interceptor);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClientCustomizer.class, ExchangeFilterFunction.class })
	static class WebClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DtxExchangeFilterFunction dtxExchangeFilterFunction(ContextPropagation propagation) {
			return new DtxExchangeFilterFunction(propagation);
		}

		@Bean
		WebClientCustomizer dtxWebClientCustomizer(DtxExchangeFilterFunction filter) {
			return (builder) -> builder.filter(filter);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class ServerConfiguration {

		@Bean
		FilterRegistrationBean<DtxServerFilter> dtxServerFilter(TransactionModes modes) {
			FilterRegistrationBean<DtxServerFilter> registration = new FilterRegistrationBean<>(
					new DtxServerFilter(modes));
			// joined before any other filter may start work that belongs to the transaction
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
			return registration;
		}

		@Bean
		@ConditionalOnMissingBean
		BranchRefusedHandler dtxBranchRefusedHandler() {
			return new BranchRefusedHandler();
		}

		@Bean
		@ConditionalOnMissingBean
		PhaseTwoController dtxPhaseTwoController(RequestSigner signer, ObjectProvider<JsonMapper> jsonMapper,
				GlobalTransactionLog log, TransactionModes modes, BranchFence fence) {
			return new PhaseTwoController(signer, jsonMapper.getIfAvailable(JsonMapper::new), log, modes, fence);
		}

	}

}
