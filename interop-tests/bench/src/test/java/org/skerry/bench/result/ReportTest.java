package org.skerry.bench.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void ratiosSayHowManyTimesBetterOrWorse() {
        assertThat(Report.ratio(2100.0, 1000.0, Better.HIGHER)).isEqualTo("2.10 (2.1× better)");
        assertThat(Report.ratio(500.0, 1000.0, Better.HIGHER)).isEqualTo("0.500 (2.0× worse)");
        assertThat(Report.ratio(20.0, 42.0, Better.LOWER)).isEqualTo("0.476 (2.1× better)");
        assertThat(Report.ratio(84.0, 42.0, Better.LOWER)).isEqualTo("2 (2.0× worse)");
        assertThat(Report.ratio(0.0, 5.0, Better.LOWER)).isEqualTo("0 (better)");
        assertThat(Report.ratio(0.0, 0.0, Better.LOWER)).isEqualTo("1 (same)");
        assertThat(Report.ratio(3.0, 0.0, Better.LOWER)).isEqualTo("∞ (worse)");
        assertThat(Report.ratio(3.0, 6.0, Better.NEITHER)).isEqualTo("0.500");
        assertThat(Report.ratio(null, 6.0, Better.LOWER)).isEqualTo("–");
    }

    @Test
    void figureNamesTellTheirDirection() {
        assertThat(Better.of("logins_per_s")).isEqualTo(Better.HIGHER);
        assertThat(Better.of("max_kept_up_msg_per_s")).isEqualTo(Better.HIGHER);
        assertThat(Better.of("logged_in")).isEqualTo(Better.HIGHER);
        assertThat(Better.of("login_p99_ms")).isEqualTo(Better.LOWER);
        assertThat(Better.of("server_rss_per_connection_kib")).isEqualTo(Better.LOWER);
        assertThat(Better.of("reconnect_all_back_s")).isEqualTo(Better.LOWER);
        assertThat(Better.of("at_2000_server_cpu_us_per_msg")).isEqualTo(Better.LOWER);
        assertThat(Better.of("registration_errors")).isEqualTo(Better.LOWER);
        assertThat(Better.of("tool_cpu_s")).isEqualTo(Better.NEITHER);
        assertThat(Better.of("at_2000_delivered_per_s")).isEqualTo(Better.HIGHER);
    }

    @Test
    void oneTablePerGroupWithSkerryFirstAndRatiosToEachOther() {
        Report report = Report.of(List.of(
                run("prosody", "idle PLAIN plaintext", "2026-01-01T00:00:02Z", Map.of("logins_per_s", 530.0, "login_p99_ms", 40.0)),
                run("ejabberd", "idle PLAIN plaintext", "2026-01-01T00:00:03Z", Map.of("logins_per_s", 1770.0, "login_p99_ms", 10.0)),
                run("skerry", "idle PLAIN plaintext", "2026-01-01T00:00:04Z", Map.of("logins_per_s", 2655.0, "login_p99_ms", 5.0)),
                run("skerry", "register", "2026-01-01T00:00:01Z", Map.of("registered", 1000.0))));
        String markdown = report.markdown();
        assertThat(report.groups()).containsExactly("register", "idle PLAIN plaintext");
        assertThat(markdown).contains("| figure | better | skerry | prosody | ejabberd | skerry/prosody | skerry/ejabberd |");
        assertThat(markdown).contains("| logins_per_s | higher | 2655 | 530 | 1770 | 5.01 (5.0× better) | 1.50 (1.5× better) |");
        assertThat(markdown).contains("| login_p99_ms | lower | 5 | 40 | 10 | 0.125 (8.0× better) | 0.500 (2.0× better) |");
        assertThat(markdown).contains("## register\n\n| figure | better | skerry |\n|---|---|---:|\n| registered | higher | 1000 |");
    }

    @Test
    void chatStepsBecomeRowsPerRate() {
        Map<String, Object> skerry = run("skerry", "chat", "2026-01-01T00:00:01Z", Map.of("max_kept_up_msg_per_s", 4000.0));
        skerry.put("steps", List.of(Map.of("rate", 2000, "delivered_rate", 2000.0, "p99_ms", 1.5, "server_cpu_us_per_msg", 10.0),
                Map.of("rate", 4000, "delivered_rate", 4000.0, "p99_ms", 2.5, "server_cpu_us_per_msg", 9.0)));
        Map<String, Object> prosody = run("prosody", "chat", "2026-01-01T00:00:02Z", Map.of("max_kept_up_msg_per_s", 2000.0));
        prosody.put("steps", List.of(Map.of("rate", 2000, "delivered_rate", 2000.0, "p99_ms", 28.0, "server_cpu_us_per_msg", 200.0)));
        String markdown = Report.of(List.of(skerry, prosody)).markdown();
        assertThat(markdown).contains("| step 2000 msg/s: p99_ms | lower | 1.50 | 28 | 0.054 (18.7× better) |");
        assertThat(markdown).contains("| step 4000 msg/s: p99_ms | lower | 2.50 | – | – |");
    }

    private static Map<String, Object> run(String label, String group, String startedAt, Map<String, Double> figures) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("label", label);
        run.put("scenario", group.split(" ")[0]);
        run.put("group", group);
        run.put("figures", new LinkedHashMap<>(figures));
        run.put("errors", Map.of());
        run.put("startedAt", startedAt);
        return run;
    }
}
