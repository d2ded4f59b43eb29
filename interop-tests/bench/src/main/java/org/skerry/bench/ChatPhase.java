package org.skerry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.skerry.bench.load.ChatLoad;
import org.skerry.bench.load.LoginWave;
import org.skerry.bench.load.StepPlan;
import org.skerry.bench.load.StepResult;
import org.skerry.bench.result.RunResult;
import org.skerry.bench.xmpp.Account;
import org.skerry.bench.xmpp.ClientSession;

/**
 * The chat part shared by {@code chat} and {@code s2s}: pairs logged-in sessions with their partners, optionally
 * warms up (the first messages of an s2s run open the link), steps through the rates and records the steps and
 * the headline figures: the highest rate kept up, and delivery, latency and CPU at the first step's rate.
 */
final class ChatPhase {
    private ChatPhase() {}

    /**
     * {@code warmUpPairs} senders on each side (the first ones, and the first ones past {@code secondSideStart})
     * send one message each before stepping, when it is above 0.
     */
    static void run(ScenarioCommand command, RunResult result, OnlineEvents events, LoginWave wave, List<Account> accounts,
            IntUnaryOperator partnerOf, StepPlan plan, int warmUpPairs, int secondSideStart, Duration warmUpTimeout)
            throws InterruptedException {
        List<ClientSession> senders = new ArrayList<>();
        List<ClientSession> probes = new ArrayList<>();
        int[] probesPerSide = new int[2];
        for (int i = 0; i < accounts.size(); i++) {
            ClientSession session = wave.session(i);
            int partner = partnerOf.applyAsInt(i);
            if (session == null) {
                continue;
            }
            if (partner < 0 || partner >= accounts.size() || wave.session(partner) == null) {
                result.errors().add("chat:partner-not-logged-in");
                continue;
            }
            session.chatPartner(accounts.get(partner).bareJid());
            senders.add(session);
            int side = i < secondSideStart ? 0 : 1;
            if (probesPerSide[side] < warmUpPairs) {
                probesPerSide[side]++;
                probes.add(session);
            }
        }
        result.figure("senders", senders.size());
        if (senders.isEmpty()) {
            result.errors().add("chat:no-pair-logged-in");
            return;
        }
        ChatLoad load = new ChatLoad(senders, plan, command.serverProbes(), command.tool(), result.errors());
        events.chat(load);
        if (warmUpPairs > 0) {
            result.figure("warmup_delivered", load.warmUp(probes, warmUpTimeout));
        }
        List<StepResult> steps = load.run(command.deadlineNanos());
        long keptUp = 0;
        for (StepResult step : steps) {
            result.step(step.toMap());
            if (step.keptUp()) {
                keptUp = Math.max(keptUp, step.rate());
            }
        }
        result.figure("max_kept_up_msg_per_s", keptUp);
        if (!steps.isEmpty()) {
            StepResult first = steps.get(0);
            String at = "at_" + first.rate() + "_";
            result.figure(at + "delivered_per_s", first.deliveredRate());
            result.figure(at + "delivered_share", first.deliveredShare());
            result.figure(at + "p50_ms", first.p50Ms());
            result.figure(at + "p99_ms", first.p99Ms());
            result.figure(at + "max_ms", first.maxMs());
            first.serverCpuSeconds().forEach((server, seconds) -> result.figure(at + server + "_cpu_s", seconds));
            result.figure(at + "server_cpu_us_per_msg", first.serverCpuMicrosPerMessage());
            result.figure(at + "tool_cpu_s", first.toolCpuSeconds());
        }
        Thread.sleep(plan.grace().toMillis()); // messages still in flight arrive (or bounce) before anyone logs out
        events.chat(null);
        ScenarioCommand.closeAll(wave.sessions(), events, result.errors());
    }

}
