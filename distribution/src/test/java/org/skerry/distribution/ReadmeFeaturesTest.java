package org.skerry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.skerry.server.module.FeatureList;
import org.skerry.server.module.Implements;

/**
 * The README's feature table is generated from the modules' {@link Implements} annotations, here where every
 * module of the distribution (core and federation) is on the classpath. Run with
 * {@code -Dskerry.updateReadme=true} to rewrite it after adding a module.
 */
class ReadmeFeaturesTest {
    private static final String BEGIN = "<!-- features:begin (generated from @Implements; see ReadmeFeaturesTest) -->\n";
    private static final String END = "<!-- features:end -->";

    @Test
    void readmeListsExactlyTheImplementedSpecifications() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("README.md has the generated feature markers").isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(begin);
        String generated = FeatureList.markdown();
        String current = text.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("skerry.updateReadme") && !current.equals(generated)) {
            Files.writeString(readme, text.substring(0, begin + BEGIN.length()) + generated + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(current).as("README feature table (rerun with -Dskerry.updateReadme=true)").isEqualTo(generated);
        assertThat(FeatureList.installed()).extracting(FeatureList.Feature::spec)
                .contains("RFC 6121", "XEP-0030", "XEP-0198", "XEP-0199", "XEP-0220");
    }
}
