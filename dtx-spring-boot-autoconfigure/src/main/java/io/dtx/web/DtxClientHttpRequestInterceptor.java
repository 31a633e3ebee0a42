package io.dtx.web;

import java.io.IOException;

import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Carries the current global transaction into a RestClient or RestTemplate call.
 */
public class DtxClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

	private final ContextPropagation propagation;

	public DtxClientHttpRequestInterceptor(ContextPropagation propagation) {
		this.propagation = propagation;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction != null && !request.getHeaders().containsHeader(DtxHeaders.XID)) {
			this.propagation.open(transaction, request.getURI(), request.getHeaders()::set);
		}
		return execution.execute(request, body);
	}

}
