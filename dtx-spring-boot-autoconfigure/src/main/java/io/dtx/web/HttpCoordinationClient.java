package io.dtx.web;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.dtx.coordinator.CoordinatorClient;
import io.dtx.coordinator.ParticipantClient;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalState;
import io.dtx.core.Participant;
import io.dtx.fence.FencedBranch;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The HTTP side of coordination, every request signed: phase two sent to participants,
 * each on its own thread so that one slow service does not hold up the others, and the
 * outcome asked of a coordinator by a participant in doubt.
 */
public class HttpCoordinationClient implements ParticipantClient, CoordinatorClient {

	private final RequestSigner signer;

	private final JsonMapper mapper;

	private final Executor executor;

	private final RestClient restClient;

	private final String basePath;

	private final ObservationRegistry observations;

	public HttpCoordinationClient(RequestSigner signer, JsonMapper mapper, Executor executor, String basePath,
			Duration connectTimeout, Duration readTimeout, ObservationRegistry observations) {
		this.signer = signer;
		this.basePath = basePath;
		this.mapper = mapper;
		this.executor = executor;
		// observed, so that a trace goes on into the participant's phase two
		this.restClient = SignedRequests.client(connectTimeout, readTimeout, observations);
		this.observations = observations;
	}

	@Override
	public void completeAll(String xid, String mode, List<Participant> participants,
			boolean confirm, Consumer<Participant> completed) {
		List<CompletableFuture<Void>> calls = new ArrayList<>();
		// the calls run on other threads: each under the caller's observation, as its child
		Observation caller = this.observations.getCurrentObservation();
		for (Participant participant : participants) {
			Runnable call = () -> {
				try (Observation.Scope scope = (caller != null) ? caller.openScope() : null) {
					complete(xid, mode, participant, confirm);
				}
				completed.accept(participant);
			};
			calls.add((participants.size() == 1) ? CompletableFuture.runAsync(call, Runnable::run)
					: CompletableFuture.runAsync(call, this.executor));
		}
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < calls.size(); i++) {
			try {
				calls.get(i).join();
			}
			catch (CompletionException ex) {
				failures.add(participants.get(i).branchId() + " at " + participants.get(i).url() + ": "
						+ ex.getCause());
			}
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException("[" + xid + "] phase two (" + (confirm ? "confirm" : "cancel")
					+ ") did not reach " + failures);
		}
	}

	@Override
	public GlobalState outcome(String coordinatorUrl, String xid) {
		URI uri = URI.create(coordinatorUrl + this.basePath + "/transactions/" + xid);
		JsonNode answer = SignedRequests.get(this.restClient, this.signer, this.mapper, uri);
		return GlobalState.valueOf(answer.get("state").asString());
	}

	@Override
	public List<FencedBranch> branches(Participant participant, String xid) {
		URI uri = URI.create(participant.url() + "/transactions/" + xid + "/branches");
		JsonNode answer = SignedRequests.get(this.restClient, this.signer, this.mapper, uri);
		return List.of(this.mapper.treeToValue(answer.required("branches"), FencedBranch[].class));
	}

	private void complete(String xid, String mode, Participant participant, boolean confirm) {
		byte[] body = this.mapper.writeValueAsBytes(Map.of("xid", xid, "branch", participant.branchId(), "mode",
				mode, "decision", confirm ? "confirm" : "cancel"));
		URI uri = URI.create(participant.url() + "/phase-two");
		RequestSigner.Signature signature = this.signer.sign("POST", uri.getRawPath(), body);
		this.restClient.post()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.header(DtxHeaders.TIMESTAMP, signature.timestamp())
			.header(DtxHeaders.SIGNATURE, signature.value())
			.body(body)
			.retrieve()
			.toBodilessEntity();
	}

}
