package org.skerry.bench.load;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.skerry.bench.measure.ProcessProbe;
import org.skerry.bench.xmpp.ChatBody;
import org.skerry.bench.xmpp.ClientSession;

/**
 * Chat at a global, paced rate over a set of logged-in senders, each sending to its partner's bare JID, stepping
 * through the rates of a {@link StepPlan}. The calling thread is the pacer: every tick it works out how many
 * messages are due, hands them round robin over the senders to the senders' event loops in one task per loop, and
 * each loop writes them and flushes every touched connection once. Steps follow each other without a pause; a step
 * is judged once its grace has passed, while the next one already runs (and is dropped if the judged one failed).
 *
 * <p>A sender whose connection is not writable (the server does not read fast enough) skips its message: it counts
 * as offered, not sent. The tool is "generator-bound" in a step when fewer than deliveryMin of the messages were
 * even attempted within {@link #ON_TIME} of becoming due.
 */
public final class ChatLoad {
    private static final long ON_TIME = Duration.ofMillis(20).toNanos();

    private final List<ClientSession> senders;
    private final StepPlan plan;
    private final List<ProcessProbe> servers;
    private final ProcessProbe tool;
    private final ErrorCounts errors;
    private final EventLoop[] loops;
    private final int[] loopOfSender;
    /** Appended by the pacer, read by every arriving message: reads must not lock. */
    private final List<Step> steps = new CopyOnWriteArrayList<>();
    private final LongAdder probesDelivered = new LongAdder();
    private int cursor;

    public ChatLoad(List<ClientSession> senders, StepPlan plan, List<ProcessProbe> servers, ProcessProbe tool,
            ErrorCounts errors) {
        if (senders.isEmpty()) {
            throw new IllegalArgumentException("no sender is logged in");
        }
        this.senders = senders;
        this.plan = plan;
        this.servers = servers;
        this.tool = tool;
        this.errors = errors;
        Map<EventLoop, Integer> loopIndex = new IdentityHashMap<>();
        loopOfSender = new int[senders.size()];
        for (int i = 0; i < senders.size(); i++) {
            EventLoop loop = senders.get(i).channel().eventLoop();
            loopOfSender[i] = loopIndex.computeIfAbsent(loop, l -> loopIndex.size());
        }
        loops = new EventLoop[loopIndex.size()];
        loopIndex.forEach((loop, index) -> loops[index] = loop);
    }

    /** Called by sessions (on their event loops) for every chat body that arrives. */
    public void received(String text, long receivedNanos) {
        ChatBody body = ChatBody.parse(text);
        if (body == null) {
            return;
        }
        if (body.step() < 0) {
            probesDelivered.increment();
            return;
        }
        if (body.measured() && body.step() < steps.size()) {
            steps.get(body.step()).arrived(body.sentNanos(), receivedNanos);
        }
    }

    /**
     * Sends one message from each of {@code probes} (e.g. some senders on each side of an s2s link, whose first
     * messages open it) and waits until all arrived or {@code timeout} passed; returns how many arrived.
     */
    public long warmUp(List<ClientSession> probes, Duration timeout) throws InterruptedException {
        for (ClientSession probe : probes) {
            probe.channel().eventLoop().execute(() -> {
                probe.writeChat(-1, false);
                probe.flush();
            });
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (probesDelivered.sum() < probes.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long arrived = probesDelivered.sum();
        errors.add("warmup:undelivered", probes.size() - arrived);
        return arrived;
    }

    /** Runs the steps on this thread until one fails, the last one is judged, or {@code deadlineNanos}. */
    public List<StepResult> run(long deadlineNanos) throws InterruptedException {
        List<StepResult> results = new ArrayList<>();
        long tick = plan.tick().toNanos();
        Step current = startStep(0, System.nanoTime());
        Step judging = null;
        long previousTick = System.nanoTime();
        while (current != null || judging != null) {
            long now = System.nanoTime();
            if (now > deadlineNanos) {
                errors.add("chat:scenario-timeout");
                break;
            }
            if (current != null) {
                current.sampleWindowStart(now);
                if (now >= current.windowEnd) {
                    current.sampleWindowEnd();
                    judging = current;
                    int next = current.index + 1;
                    current = next < plan.rates().size() ? startStep(next, now) : null;
                }
            }
            if (judging != null && now >= judging.windowEnd + plan.grace().toNanos()) {
                StepResult result = judging.result();
                results.add(result);
                judging = null;
                if (!result.keptUp()) {
                    current = null;
                }
            }
            if (current != null) {
                dispatch(current, now, previousTick);
            }
            previousTick = now;
            long sleep = tick - (System.nanoTime() - now);
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        awaitQuiet();
        return results;
    }

    private Step startStep(int index, long now) {
        Step step = new Step(index, plan.rates().get(index), now);
        steps.add(step);
        return step;
    }

    private void dispatch(Step step, long now, long dueSince) {
        long due = step.schedule.dueBy(now - step.start) - step.dispatched;
        if (due <= 0) {
            return;
        }
        step.dispatched += due;
        boolean measured = now >= step.windowStart && now < step.windowEnd;
        if (measured) {
            step.offered += due;
        }
        int[][] batches = new int[loops.length][];
        int[] counts = new int[loops.length];
        for (long i = 0; i < due; i++) {
            int sender = cursor;
            cursor = (cursor + 1) % senders.size();
            int loop = loopOfSender[sender];
            if (batches[loop] == null) {
                batches[loop] = new int[(int) Math.min(due, senders.size() * 4L)];
            }
            if (counts[loop] == batches[loop].length) {
                batches[loop] = Arrays.copyOf(batches[loop], batches[loop].length * 2);
            }
            batches[loop][counts[loop]++] = sender;
        }
        for (int loop = 0; loop < loops.length; loop++) {
            if (counts[loop] > 0) {
                int[] batch = batches[loop];
                int count = counts[loop];
                loops[loop].execute(() -> write(step, measured, dueSince, batch, count));
            }
        }
    }

    /** On an event loop: writes the batch, then flushes each connection it touched once. */
    private void write(Step step, boolean measured, long dueSince, int[] batch, int count) {
        boolean onTime = System.nanoTime() - dueSince <= ON_TIME;
        int sent = 0;
        List<ClientSession> touched = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            ClientSession sender = senders.get(batch[i]);
            if (sender.writeChat(step.index, measured)) {
                sent++;
                touched.add(sender);
            }
        }
        for (ClientSession sender : touched) {
            sender.flush();
        }
        if (measured) {
            step.sent.add(sent);
            step.notWritable.add(count - sent);
            if (onTime) {
                step.attemptedOnTime.add(count);
            }
        }
    }

    /** Waits until the event loops ran the batches handed to them, so no write races the closing of sessions. */
    private void awaitQuiet() throws InterruptedException {
        CountDownLatch drained = new CountDownLatch(loops.length);
        for (EventLoop loop : loops) {
            loop.execute(drained::countDown);
        }
        drained.await(10, TimeUnit.SECONDS);
    }

    private final class Step {
        final int index;
        final long rate;
        final long start;
        final long windowStart;
        final long windowEnd;
        final PaceSchedule schedule;
        final LongAdder sent = new LongAdder();
        final LongAdder notWritable = new LongAdder();
        final LongAdder attemptedOnTime = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final LongAdder late = new LongAdder();
        final Latencies latencies = new Latencies();
        long dispatched;
        long offered;
        double[] serverCpuAtStart;
        double toolCpuAtStart;
        double[] serverCpuAtEnd;
        double toolCpuAtEnd;

        Step(int index, long rate, long start) {
            this.index = index;
            this.rate = rate;
            this.start = start;
            this.windowStart = start + plan.warmupOf(index).toNanos();
            this.windowEnd = windowStart + plan.window().toNanos();
            this.schedule = new PaceSchedule(rate);
        }

        void sampleWindowStart(long now) {
            if (serverCpuAtStart == null && now >= windowStart) {
                serverCpuAtStart = ProcessProbe.cpuSeconds(servers);
                toolCpuAtStart = tool.cpuSeconds();
            }
        }

        void sampleWindowEnd() {
            if (serverCpuAtStart == null) {
                sampleWindowStart(windowStart);
            }
            serverCpuAtEnd = ProcessProbe.cpuSeconds(servers);
            toolCpuAtEnd = tool.cpuSeconds();
        }

        void arrived(long sentNanos, long receivedNanos) {
            if (receivedNanos <= windowEnd + plan.grace().toNanos()) {
                delivered.increment();
                latencies.recordNanos(receivedNanos - sentNanos);
            } else {
                late.increment();
            }
        }

        StepResult result() {
            Map<String, Double> serverCpu = new LinkedHashMap<>();
            for (int i = 0; i < servers.size(); i++) {
                serverCpu.put(servers.get(i).name(), serverCpuAtEnd[i] - serverCpuAtStart[i]);
            }
            long deliveredCount = delivered.sum();
            double share = offered == 0 ? 0 : (double) deliveredCount / offered;
            double p99 = latencies.percentileMs(99);
            boolean generatorBound = attemptedOnTime.sum() < plan.deliveryMin() * offered;
            String verdict;
            if (generatorBound) {
                verdict = "generator-bound";
            } else if (share < plan.deliveryMin()) {
                verdict = "delivery below " + plan.deliveryMin();
            } else if (!(p99 <= plan.p99Limit().toNanos() / 1e6)) {
                verdict = "p99 above " + plan.p99Limit().toMillis() + " ms";
            } else {
                verdict = "kept up";
            }
            return new StepResult(rate, plan.window().toNanos() / 1e9, offered, sent.sum(), notWritable.sum(),
                    deliveredCount, late.sum(), latencies.percentileMs(50), p99, latencies.maxMs(), serverCpu,
                    toolCpuAtEnd - toolCpuAtStart, generatorBound, verdict.equals("kept up"), verdict);
        }
    }
}
