package org.skerry.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The soft RLIMIT_NOFILE of this process, read from /proc/self/limits. */
public final class OpenFilesLimit {
    private OpenFilesLimit() {}

    public static OptionalLong current() {
        try {
            return parse(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parse(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(Long.parseLong(soft));
            }
        }
        return OptionalLong.empty();
    }
}
