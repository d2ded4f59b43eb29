package org.skerry.interop.federation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.skerry.distribution.Main;

/**
 * {@code skerry federation check} run in-process (Main.run) with standard output captured and its report lines
 * picked out by step. When a node runs on the given data_dir, the check goes through that node's control socket.
 */
final class FederationCheckRun {
    /** A report line: step, outcome, detail. Node log lines share standard output and do not match. */
    private static final Pattern STEP = Pattern.compile(
            "^(resolution|tcp|tls|certificate|names|expiry|auth|ping) +(ok|failed|skipped) +(.*)$");

    private FederationCheckRun() {}

    /** The exit code, all of standard output, and per step "outcome detail", in report order. */
    record Report(int exitCode, String out, Map<String, String> steps) {}

    static Report run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        Map<String, String> steps = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher step = STEP.matcher(line.strip());
            if (step.matches()) {
                steps.put(step.group(1), step.group(2) + " " + step.group(3));
            }
        }
        return new Report(code, text, steps);
    }
}
