package io.dtx.message;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import io.dtx.core.DtxHeaders;
import io.dtx.web.RequestSigner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.JdkClientHttpRequestFactory;
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
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(connectTimeout).build());
		requestFactory.setReadTimeout(readTimeout);
		this.restClient = RestClient.builder().requestFactory(requestFactory).build();
	}

	/**
	 * The state the producer's barrier holds; throws where it did not answer with one.
	 */
	MessageState ask(String producerUrl, String messageId) {
		URI uri = URI.create(producerUrl + this.basePath + "/messages/" + messageId);
		RequestSigner.Signature signature = this.signer.sign("GET", uri.getRawPath(), new byte[0]);
		JsonNode answer = this.mapper.readTree(this.restClient.get()
			.uri(uri)
			.header(DtxHeaders.TIMESTAMP, signature.timestamp())
			.header(DtxHeaders.SIGNATURE, signature.value())
			.retrieve()
			.body(byte[].class));
		return MessageState.valueOf(answer.required("state").asString());
	}

}
