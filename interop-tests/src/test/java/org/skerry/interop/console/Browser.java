package org.skerry.interop.console;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real, headless Chromium (Debian's package) driven through Debian's chromedriver, as an admin would use the
 * console. Screenshots go to {@code interop-tests/target/screenshots/}.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final URI base;

    public Browser(URI base) {
        this(base, new Dimension(1280, 900), false);
    }

    /** A phone-sized viewport (Chromium's device emulation: headless windows cannot be narrower than 500 px). */
    public static Browser phone(URI base) {
        return new Browser(base, new Dimension(390, 844), true);
    }

    private Browser(URI base, Dimension window, boolean emulatePhone) {
        this.base = base;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: tests run as root in CI containers, where Chromium's sandbox cannot start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--metrics-recording-only",
                "--window-size=" + window.width + "," + window.height);
        if (emulatePhone) {
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", window.width, "height", window.height, "pixelRatio", 2.0, "touch", true)));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public WebDriver driver() { return driver; }

    public void open(String path) { driver.get(base.resolve(path).toString()); }

    public WebElement find(String css) { return driver.findElement(By.cssSelector(css)); }

    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    public void click(String css) { find(css).click(); }

    /** Signs in through the sign-in form, as a person would. */
    public void signIn(String jid, String password) {
        open("/admin/login");
        type("input[name=jid]", jid);
        type("input[name=password]", password);
        click("form button[type=submit]");
        waitFor(d -> d.getCurrentUrl().endsWith("/admin/"));
    }

    /**
     * Waits until the condition holds. An element found on the page that is being left goes stale when the next
     * one loads (a form post followed by a redirect), so a stale element just means "look again".
     */
    public <T> T waitFor(java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** Saves the whole window as {@code target/screenshots/NAME.png} and returns the path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() { driver.quit(); }
}
