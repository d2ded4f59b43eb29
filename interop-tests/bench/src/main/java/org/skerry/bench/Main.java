package org.skerry.bench;

import java.io.PrintWriter;
import java.time.Duration;
import org.skerry.bench.xmpp.SessionSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar skerry-bench.jar SCENARIO [--option value]...}: register, idle, chat, storm, s2s, report.
 * Exit 0 when the scenario ran (however the server did), 1 when it could not run, 2 on bad usage.
 */
@Command(name = "skerry-bench", mixinStandardHelpOptions = true, version = "skerry-bench 0.1",
        description = "An XMPP load generator: thousands of client connections from one process, against any server.",
        subcommands = {RegisterCommand.class, IdleCommand.class, ChatCommand.class, StormCommand.class,
            S2sCommand.class, ReportCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the tool as the command line would and returns its exit code (for tests: no System.exit). */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.registerConverter(Duration.class, new Durations());
        commandLine.registerConverter(SessionSettings.Mechanism.class, SessionSettings.Mechanism::fromSaslName);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (e instanceof CannotRun) {
                err.println("skerry-bench: cannot run: " + e.getMessage());
            } else {
                err.println("skerry-bench: failed: " + e);
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a scenario: register, idle, chat, storm, s2s or report.");
    }
}
