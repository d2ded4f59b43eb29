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
 * {@code skerry federation ...} run in-process (Main.run) as an admin would run it, with standard output and error
 * captured. When a node runs on the given data_dir, the command goes through that node's control socket.
 */
final class FederationCli {
    /** A check report line: step, outcome, detail. Node log lines share standard output and do not match. */
    private static final Pattern STEP = Pattern.compile(
            "^(resolution|tcp|tls|certificate|names|expiry|auth|ping) +(ok|failed|skipped) +(.*)$");

    private FederationCli() {}

    /** The exit code and what the command printed. */
    record Result(int exitCode, String out, String err) {
        /** Everything it printed, to describe a failed assertion. */
        String printed() { return out + err; }

        /** The lines of a {@code federation check} report: per step "outcome detail", in report order. */
        Map<String, String> steps() {
            Map<String, String> steps = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                Matcher step = STEP.matcher(line.strip());
                if (step.matches()) {
                    steps.put(step.group(1), step.group(2) + " " + step.group(3));
                }
            }
            return steps;
        }
    }

    static Result run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
