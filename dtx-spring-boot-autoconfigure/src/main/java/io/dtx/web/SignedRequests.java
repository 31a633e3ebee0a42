package io.dtx.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import io.dtx.core.DtxHeaders;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * What dtx's own calls to other services share: a client of their own, with the timeouts
 * of {@code dtx.http}, and signed GETs of the signed endpoints' JSON answers.
 */
public final class SignedRequests {

	private SignedRequests() {
	}

	/**
	 * A client of dtx's own: its calls carry no transaction context and pass through no
	 * interceptor of the application's.
	 */
	public static RestClient client(Duration connectTimeout, Duration readTimeout, ObservationRegistry observations) {
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(connectTimeout).build());
		requestFactory.setReadTimeout(readTimeout);
		return RestClient.builder().requestFactory(requestFactory).observationRegistry(observations).build();
	}

	/**
	 * GETs {@code uri} signed (an empty body) and reads its answer; throws on any answer but
	 * 2xx.
	 */
	public static JsonNode get(RestClient client, RequestSigner signer, JsonMapper mapper, URI uri) {
		RequestSigner.Signature signature = signer.sign("GET", uri.getRawPath(), new byte[0]);
		return mapper.readTree(client.get()
			.uri(uri)
			.header(DtxHeaders.TIMESTAMP, signature.timestamp())
			.header(DtxHeaders.SIGNATURE, signature.value())
			.retrieve()
			.body(byte[].class));
	}

}
