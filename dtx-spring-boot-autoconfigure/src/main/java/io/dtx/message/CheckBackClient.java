package io.dtx.message;

import java.net.URI;
import java.time.Duration;

import io.dtx.web.RequestSigner;
import io.dtx.web.SignedRequests;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.client.RestClient;

/**
 * Asks a producing service what became of a half message, through its signed check-back.
 */
public class CheckBackClient {

	private final RequestSigner signer;

	private final JsonMapper mapper;

	private final RestClient restClient;

	private final String basePath;

	public CheckBackClient(RequestSigner signer, JsonMapper mapper, String basePath, Duration connectTimeout,
			Duration readTimeout) {
		this.signer = signer;
		this.mapper = mapper;
		this.basePath = basePath;
		this.restClient = SignedRequests.client(connectTimeout, readTimeout, ObservationRegistry.NOOP);
	}

	/**
	 * The state the producer's barrier holds; throws where it did not answer with one.
	 */
	MessageState ask(String producerUrl, String messageId) {
		URI uri = URI.create(producerUrl + this.basePath + "/messages/" + messageId);
		return MessageState.valueOf(SignedRequests.get(this.restClient, this.signer, this.mapper, uri)
			.required("state")
			.asString());
	}

}
