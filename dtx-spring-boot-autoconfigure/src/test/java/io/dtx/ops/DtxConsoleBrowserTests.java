package io.dtx.ops;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in headless Chromium against a running web application on H2 with a
 * failed saga and a dead outbox message: the page filters the transactions, opens one in
 * detail, retries the failed saga behind its confirmation and shows the state change; a
 * read-only endpoint gives a console whose actions are disabled. Needs Debian's
 * {@code chromium} and {@code chromium-driver} ({@code bash .ci/browser}); skipped
 * without them, except under {@code CI=true}, where their absence fails the test.
 *
 * <p>The screenshot of the README is written to {@code target/console.png}, or where the
 * system property {@code console.screenshot} says ({@code ../docs/console.png} refreshes
 * the README's).
 */
class DtxConsoleBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration PATIENCE = Duration.ofSeconds(15);

	@TempDir
	static Path profile;

	private static ChromeDriverService service;

	private static ChromeDriver browser;

	private OpsApplicationFixture app;

	@BeforeAll
	static void startBrowser() throws IOException {
		boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		String missing = CHROMIUM + " and " + CHROMEDRIVER + " are needed; bash .ci/browser installs them";
		if (!present && "true".equals(System.getenv("CI"))) {
			fail("CI=true: " + missing);
		}
		assumeTrue(present, "Skipped: " + missing);
		service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--no-first-run", "--window-size=1280,1500",
					"--user-data-dir=" + Files.createDirectory(profile.resolve("chromium")));
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
		if (service != null) {
			service.stop();
		}
	}

	@AfterEach
	void stopApplication() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void filtersOpensADetailAndRetriesAFailedSaga() throws IOException {
		this.app = OpsApplicationFixture.start("dtx.console.enabled=true");
		String saga = this.app.failedSaga("place-order");
		String transfer = this.app.transaction("TCC", "transfer", "CONFIRMED", Instant.now().minusSeconds(30),
				Instant.now().minusSeconds(10));
		this.app.deadMessage("order-42");
		WebDriverWait wait = new WebDriverWait(browser, PATIENCE);

		browser.get(this.app.actuator() + "/dtx-console");
		assertThat(browser.getCurrentUrl()).endsWith("/actuator/dtx-console/");
		wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-count='failed-sagas'] .value"), "1"));
		wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-count='dead-messages'] .value"), "1"));
		wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#transaction-list tr[data-xid]"), 2));
		wait.until(ExpectedConditions
			.visibilityOfElementLocated(By.cssSelector("#parked-dead-messages tr[data-id='order-42']")));

		browser.findElement(By.id("filter-mode")).sendKeys("saga");
		new Select(browser.findElement(By.id("filter-state"))).selectByVisibleText("FAILED");
		browser.findElement(By.id("apply")).click();
		wait.until(ExpectedConditions.invisibilityOfElementLocated(row(transfer)));
		assertThat(browser.findElements(By.cssSelector("#transaction-list tr[data-xid]"))).singleElement()
			.extracting((tr) -> tr.getAttribute("data-xid"))
			.isEqualTo(saga);

		browser.findElement(By.cssSelector("a.xid[data-xid='" + saga + "']")).click();
		wait.until(ExpectedConditions.textToBe(By.id("detail-title"), "Transaction " + saga));
		wait.until(ExpectedConditions.textToBe(detailState(), "FAILED"));
		screenshot();

		WebElement retry = browser.findElement(By.cssSelector("#detail-actions [data-target='failed-sagas/" + saga + "']"));
		assertThat(retry.isEnabled()).isTrue();
		retry.click();
		Alert confirmation = wait.until(ExpectedConditions.alertIsPresent());
		assertThat(confirmation.getText()).startsWith("retry failed-sagas/" + saga + "?");
		confirmation.accept();

		wait.until(ExpectedConditions.textToBe(By.id("answer"), "200 retry failed-sagas/" + saga + ": compensated"));
		wait.until(ExpectedConditions.textToBe(detailState(), "CANCELLED"));
		wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-count='failed-sagas'] .value"), "0"));
		wait.until(ExpectedConditions.invisibilityOfElementLocated(row(saga)));
		assertThat(this.app.state(saga)).isEqualTo("CANCELLED");
	}

	@Test
	void aReadOnlyEndpointGivesAConsoleWithoutActions() {
		this.app = OpsApplicationFixture.start("dtx.console.enabled=true", "management.endpoint.dtx.access=read-only");
		String saga = this.app.failedSaga("place-order");
		WebDriverWait wait = new WebDriverWait(browser, PATIENCE);

		browser.get(this.app.actuator() + "/dtx-console/");
		By retry = By.cssSelector("#parked-failed-sagas [data-target='failed-sagas/" + saga + "'][data-action='retry']");
		wait.until(ExpectedConditions.presenceOfElementLocated(retry));
		assertThat(browser.findElement(retry).isEnabled()).isFalse();
		assertThat(browser.findElement(By.id("mode-note")).getText()).contains("read-only");
		assertThat(this.app.state(saga)).isEqualTo("FAILED");
	}

	private static By row(String xid) {
		return By.cssSelector("#transaction-list tr[data-xid='" + xid + "']");
	}

	private static By detailState() {
		return By.cssSelector("#detail-row tr[data-field='state'] td");
	}

	private static void screenshot() throws IOException {
		Path target = Path.of(System.getProperty("console.screenshot", "target/console.png"));
		File shot = browser.getScreenshotAs(OutputType.FILE);
		Files.createDirectories(target.toAbsolutePath().getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
