package org.skerry.distribution;

import java.util.concurrent.Callable;
import org.skerry.server.Version;
import picocli.CommandLine;

/** {@code skerry version}. */
@CommandLine.Command(name = "version", description = "Print the version.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("Skerry " + Version.current() + " (Java " + Runtime.version() + ")");
        return Main.OK;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {"Skerry " + Version.current()}; }
    }
}
