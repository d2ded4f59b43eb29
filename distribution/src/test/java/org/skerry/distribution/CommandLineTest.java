package org.skerry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.distribution.Cli.Result;

/** Exit codes and one-line reasons of the command line: 0 ok, 1 failure, 2 bad usage or configuration. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void versionPrintsTheVersion() {
        Result result = Cli.run("version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Skerry ");
    }

    @Test
    void noCommandIsBadUsage() {
        assertThat(Cli.runWithInput("").exitCode()).isEqualTo(Main.USAGE);
    }

    @Test
    void anUnknownCommandIsBadUsage() {
        Result result = Cli.run("frobnicate");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("frobnicate");
    }

    @Test
    void anUnknownKeyInTheConfigFileNamesTheFileTheLineAndTheKey() throws Exception {
        Path file = dir.resolve("skerry.toml");
        Files.writeString(file, "domains = [\"localhost\"]\n\n[c2s]\nprot = 5222\n");

        Result result = Cli.runWithInput("", "user", "list", "--config", file.toString(), "--set", "data_dir=" + dir);

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains(file + ":4").contains("c2s.prot").contains("unknown key");
        assertThat(result.err().strip().lines()).as("a one-line reason").hasSize(1);
    }

    @Test
    void aBadValueGivenWithSetIsBadUsage() {
        Result result = Cli.runWithInput("", "user", "list", "--set", "data_dir=" + dir, "--set", "c2s.port=70000");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("c2s.port");
    }

    @Test
    void startWithABadConfigurationIsBadUsageAndStartsNothing() {
        Result result = Cli.runWithInput("", "start", "--set", "data_dir=" + dir, "--set", "c2s.prot=1");

        assertThat(result.exitCode()).isEqualTo(Main.USAGE);
        assertThat(result.err()).contains("c2s.prot");
    }
}
