package org.skerry.bench;

import java.time.Duration;
import org.skerry.bench.load.LoadGenerator;
import org.skerry.bench.load.LoginWave;
import org.skerry.bench.result.RunResult;
import org.skerry.bench.xmpp.ClientSession;
import org.skerry.bench.xmpp.Server;
import picocli.CommandLine.Command;

/** XEP-0077 in-band registration of users first .. first+clients-1; an existing account (conflict) counts as ok. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Create the users with in-band registration (XEP-0077); 'conflict' (exists) counts as ok.")
final class RegisterCommand extends ScenarioCommand {
    @Override
    String scenario() { return "register"; }

    @Override
    int defaultClients() { return 1000; }

    @Override
    Duration defaultTimeout() { return Duration.ofMinutes(10); }

    @Override
    int connectionsAtOnce() { return Math.min(clients(), common.concurrency); }

    @Override
    String defaultGroup() { return "register"; }

    @Override
    void run(LoadGenerator generator, RunResult result) throws InterruptedException {
        Server server = servers().get(0);
        LoginWave wave = new LoginWave(generator, sessionSettings(), ClientSession.Mode.REGISTER,
                new OnlineEvents(result.errors()), accounts(server, common.userPattern, 0, clients()), common.concurrency);
        await(wave.start(), result, "");
        result.figure("registered", wave.succeeded());
        result.figure("already_existed", wave.alreadyExisted());
        result.figure("registration_errors", wave.errors().total());
        result.figure("registrations_per_s", wave.succeeded() / Math.max(wave.seconds(), 1e-9));
    }
}
