package io.dtx.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;

/**
 * The console page: a static page, its script and its style, served at
 * {@code {actuator base path}/dtx-console/}, that reads and acts through the endpoint
 * {@code dtx} only. Its writes are the endpoint's, so they need what the endpoint's
 * writes need (its access unrestricted, and whatever Spring Security asks of a POST); the
 * page is told whether the endpoint's access lets writes through, and shows its actions
 * disabled where it does not.
 */
public class DtxConsole extends AbstractUrlHandlerMapping {

	/**
	 * Where the console is, under the actuator base path.
	 */
	public static final String PATH = "/dtx-console";

	private static final String LOCATION = "io/dtx/ops/console/";

	// the only files served: nothing else under the path is looked up
	private static final Map<String, String> FILES = Map.of("", "index.html", "index.html", "index.html",
			"console.js", "console.js", "console.css", "console.css");

	private static final Map<String, String> TYPES = Map.of("index.html", "text/html;charset=UTF-8", "console.js",
			"text/javascript;charset=UTF-8", "console.css", "text/css;charset=UTF-8");

	private final boolean writable;

	/**
	 * @param basePath the actuator base path, such as {@code /actuator} (empty for the
	 * root)
	 * @param writable whether the endpoint's access lets its write operations through
	 */
	public DtxConsole(String basePath, boolean writable) {
		this.writable = writable;
		// before the application's static resources and the endpoints' own mappings
		setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		String root = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		registerHandler(root + PATH, (HttpRequestHandler) DtxConsole::redirect);
		registerHandler(root + PATH + "/**", (HttpRequestHandler) this::serve);
	}

	/**
	 * Whether the page offers the endpoint's write operations.
	 */
	public boolean isWritable() {
		return this.writable;
	}

	// the page's relative links need the trailing slash
	private static void redirect(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String query = request.getQueryString();
		response.sendRedirect(request.getRequestURI() + "/" + ((query != null) ? "?" + query : ""));
	}

	private void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
			response.setHeader("Allow", "GET, HEAD");
			response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		Object within = request.getAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE);
		String name = (within != null) ? within.toString() : "";
		if (name.startsWith("/")) {
			name = name.substring(1);
		}
		if ("settings.json".equals(name)) {
			write(response, "application/json", ("{\"writable\":" + this.writable + "}").getBytes(StandardCharsets.UTF_8));
			return;
		}
		String file = FILES.get(name);
		if (file == null) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		try (InputStream in = new ClassPathResource(LOCATION + file, DtxConsole.class.getClassLoader()).getInputStream()) {
			write(response, TYPES.get(file), in.readAllBytes());
		}
	}

	private static void write(HttpServletResponse response, String type, byte[] body) throws IOException {
		response.setContentType(type);
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		// the page runs its own script only, and talks to this origin only
		response.setHeader("Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
						+ " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
