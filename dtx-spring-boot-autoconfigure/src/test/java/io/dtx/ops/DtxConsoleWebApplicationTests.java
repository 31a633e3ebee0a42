package io.dtx.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files over real HTTP in a running web application on H2: only its own
 * files, with a content security policy, under the actuator base path, and nothing there
 * unless it is turned on.
 */
class DtxConsoleWebApplicationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void servesItsFilesOnlyUnderTheActuatorBasePath() throws Exception {
		try (OpsApplicationFixture app = OpsApplicationFixture.start("dtx.console.enabled=true")) {
			String console = app.actuator() + "/dtx-console";
			HttpResponse<String> redirect = get(console);
			assertThat(redirect.statusCode()).isEqualTo(302);
			assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(
					(location) -> assertThat(location).endsWith("/actuator/dtx-console/"));
			HttpResponse<String> page = get(console + "/");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
			assertThat(page.headers().firstValue("Content-Security-Policy"))
				.hasValueSatisfying((csp) -> assertThat(csp).contains("script-src 'self'"));
			assertThat(page.body()).contains("<script src=\"console.js\" defer></script>");
			assertThat(get(console + "/console.js").headers().firstValue("Content-Type"))
				.hasValue("text/javascript;charset=UTF-8");
			assertThat(get(console + "/console.css").statusCode()).isEqualTo(200);
			assertThat(get(console + "/settings.json").body()).isEqualTo("{\"writable\":true}");
			assertThat(get(console + "/DtxConsole.class").statusCode()).isEqualTo(404);
			assertThat(get(console + "/../../application.properties").statusCode()).isEqualTo(404);
			HttpResponse<String> post = this.http.send(HttpRequest.newBuilder(URI.create(console + "/"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(post.statusCode()).isEqualTo(405);
		}
	}

	@Test
	void onAManagementPortOfItsOwnIsServedThereBesideTheEndpoint() throws Exception {
		try (OpsApplicationFixture app = OpsApplicationFixture.start("dtx.console.enabled=true",
				"management.server.port=0")) {
			assertThat(app.actuator()).doesNotStartWith(app.application());
			HttpResponse<String> page = get(app.actuator() + "/dtx-console/");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("<script src=\"console.js\" defer></script>");
			assertThat(get(app.actuator() + "/dtx-console/settings.json").body()).isEqualTo("{\"writable\":true}");
			assertThat(get(app.actuator() + "/dtx").statusCode()).isEqualTo(200);
			assertThat(get(app.application() + "/actuator/dtx-console/").statusCode())
				.as("not on the application's port").isEqualTo(404);
		}
	}

	@Test
	void tellsThePageWhenTheEndpointIsReadOnly() throws Exception {
		try (OpsApplicationFixture app = OpsApplicationFixture.start("dtx.console.enabled=true",
				"management.endpoint.dtx.access=read-only")) {
			assertThat(get(app.actuator() + "/dtx-console/settings.json").body()).isEqualTo("{\"writable\":false}");
		}
	}

	@Test
	void nothingThereByDefault() throws Exception {
		try (OpsApplicationFixture app = OpsApplicationFixture.start()) {
			assertThat(get(app.actuator() + "/dtx-console/").statusCode()).isEqualTo(404);
			assertThat(get(app.actuator() + "/dtx").statusCode()).isEqualTo(200);
		}
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
