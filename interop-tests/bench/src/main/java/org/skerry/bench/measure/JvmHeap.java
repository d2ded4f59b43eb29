package org.skerry.bench.measure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a JVM server really uses: {@code jcmd PID GC.run} (a full collection) and then {@code jcmd PID
 * GC.heap_info}, summing the "used" of its heap lines (G1's one region heap, or the generations of Serial and
 * Parallel, or ZGC's heap), without Metaspace. jcmd comes from {@code $JAVA_HOME/bin}, else this JVM's, else PATH.
 */
public final class JvmHeap {
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
    private static final long TIMEOUT_SECONDS = 60;

    private JvmHeap() {}

    /** KiB of heap in use after a forced collection, or NaN (with a warning on stderr) when jcmd fails. */
    public static double usedAfterGcKib(long pid) {
        try {
            run(pid, "GC.run");
            return parseUsedKib(run(pid, "GC.heap_info"));
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: cannot read the heap of pid " + pid + ": " + e.getMessage());
            return Double.NaN;
        }
    }

    /** The sum of "used" over the top-level heap lines (one leading space), Metaspace excluded. */
    static double parseUsedKib(String heapInfo) {
        double kib = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            if (!line.startsWith(" ") || line.startsWith("  ") || line.trim().startsWith("Metaspace")) {
                continue;
            }
            Matcher used = USED.matcher(line);
            if (used.find()) {
                long value = Long.parseLong(used.group(1));
                kib += switch (used.group(2)) {
                    case "G" -> value * 1024 * 1024;
                    case "M" -> value * 1024;
                    default -> value;
                };
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no heap usage in: " + heapInfo.strip());
        }
        return kib;
    }

    private static String run(long pid, String command) throws IOException {
        Process jcmd = new ProcessBuilder(jcmd(), Long.toString(pid), command).redirectErrorStream(true).start();
        try (InputStream out = jcmd.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                throw new IOException("jcmd " + command + " did not finish");
            }
            if (jcmd.exitValue() != 0) {
                throw new IOException("jcmd " + command + " exited with " + jcmd.exitValue() + ": " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String jcmd() {
        for (String home : new String[] {System.getenv("JAVA_HOME"), System.getProperty("java.home")}) {
            if (home != null) {
                Path candidate = Path.of(home, "bin", "jcmd");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return "jcmd";
    }
}
