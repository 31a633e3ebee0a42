package io.dtx.web;

import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Carries the current global transaction into a WebClient call. The transaction is the
 * one bound to the thread that subscribes, which is the calling thread when the call is
 * blocked on inside the transaction's method, as the methods of every mode do.
 */
public class DtxExchangeFilterFunction implements ExchangeFilterFunction {

	private final ContextPropagation propagation;

	public DtxExchangeFilterFunction(ContextPropagation propagation) {
		this.propagation = propagation;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction == null) {
			return next.exchange(request);
		}
		ClientRequest.Builder withContext = ClientRequest.from(request);
		this.propagation.open(transaction, request.url(), (name, value) -> withContext.header(name, value));
		return next.exchange(withContext.build());
	}

}
