package org.skerry.distribution;

import picocli.CommandLine;

/** The {@code skerry} command: {@code start}, {@code user}, {@code federation}, {@code version}. Exit codes: 0 ok, 1 failure, 2 bad usage or config. */
@CommandLine.Command(name = "skerry", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "A federated XMPP server for people who run their own node.",
        subcommands = {StartCommand.class, UserCommand.class, FederationCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (the tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : FAILURE);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("skerry: " + e.getMessage());
            e.getCommandLine().getErr().println("Try 'skerry --help'.");
            return USAGE;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: start, user, federation or version");
    }
}
