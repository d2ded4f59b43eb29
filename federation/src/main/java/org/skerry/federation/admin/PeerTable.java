package org.skerry.federation.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.PeerPolicy.Standing;

/**
 * {@code skerry federation peers}: one row per link of each peer (one row for a peer without links), with the
 * peer's policy and queue repeated on each, so that a row read alone (or found with grep) tells the whole story.
 * SM says whether the link acknowledges stanzas (XEP-0198), so that they leave the queue only once received.
 */
public final class PeerTable {
    private static final List<String> HEADER = List.of("PEER", "POLICY", "LINK", "STATE", "FOR", "AUTH", "TLS", "SM",
            "IN", "OUT", "QUEUED", "OLDEST", "RETRY IN", "LAST ERROR");
    private static final String NONE = "-";

    private PeerTable() {}

    /** The table, ages counted up to {@code now}. */
    public static String render(List<PeerReport> peers, Instant now) {
        if (peers.isEmpty()) {
            return "No peers: no links, nothing queued, nothing blocked.";
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (PeerReport peer : peers) {
            List<String> queue = List.of(Long.toString(peer.queued()), age(peer.oldestQueuedAge()),
                    peer.nextRetry() == null ? NONE : age(Duration.between(now, peer.nextRetry())),
                    peer.lastError() == null ? NONE : peer.lastError());
            if (peer.links().isEmpty()) {
                rows.add(row(peer, List.of(NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE), queue));
            }
            for (LinkStatus link : peer.links()) {
                rows.add(row(peer, List.of(direction(link.direction()),
                        link.state().name().toLowerCase(Locale.ROOT), age(Duration.between(link.since(), now)),
                        orNone(link.authMethod()), orNone(link.tlsVersion()), link.streamManagement() ? "yes" : "no",
                        Long.toString(link.stanzasIn()),
                        Long.toString(link.stanzasOut())), queue));
            }
        }
        return format(rows);
    }

    private static List<String> row(PeerReport peer, List<String> link, List<String> queue) {
        List<String> row = new ArrayList<>();
        row.add(peer.domain());
        row.add(policy(peer.standing()));
        row.addAll(link);
        row.addAll(queue);
        return row;
    }

    /** Who opened the link, or "bidi" when it carries stanzas both ways (XEP-0288). */
    public static String direction(LinkStatus.Direction direction) {
        return switch (direction) {
            case OUTBOUND -> "out";
            case INBOUND -> "in";
            case BIDIRECTIONAL -> "bidi";
        };
    }

    public static String policy(Standing standing) {
        return switch (standing) {
            case ALLOWED -> "allowed";
            case BLOCKED_AT_RUNTIME -> "blocked";
            case BLOCKED_BY_CONFIG -> "blocked (config)";
            case NOT_IN_ALLOWED_DOMAINS -> "not allowed (config)";
        };
    }

    /** Columns padded to their widest cell, two spaces apart; the last one is not padded. */
    private static String format(List<List<String>> rows) {
        int columns = HEADER.size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** "45s", "3m05s", "2h03m", "3d04h"; a negative age (a retry already due) reads "now". */
    public static String age(Duration age) {
        if (age == null) {
            return NONE;
        }
        long seconds = age.getSeconds();
        if (seconds <= 0) {
            return age.isNegative() ? "now" : "0s";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
    }

    private static String orNone(String text) { return text == null ? NONE : text; }
}
