package org.skerry.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class H2UrlTest {
    @Test
    void appendsEveryRequiredSettingToABareUrl() {
        assertThat(H2Url.withRequiredSettings("jdbc:h2:file:./data/skerry")).isEqualTo(
                "jdbc:h2:file:./data/skerry;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                        + ";WRITE_DELAY=0;FILE_LOCK=FS;LOCK_TIMEOUT=10000;RETENTION_TIME=5000");
    }

    @Test
    void onlyAFileDatabaseGetsTheShortRetentionThatItsSyncMakesSafe() {
        assertThat(H2Url.withRequiredSettings("jdbc:h2:mem:x")).doesNotContain("RETENTION_TIME");
        assertThat(H2Url.withRequiredSettings("jdbc:h2:tcp://localhost/~/db")).doesNotContain("RETENTION_TIME");
        assertThat(H2Url.withRequiredSettings("jdbc:h2:./data/db")).endsWith(";RETENTION_TIME=5000");
        assertThat(H2Url.withRequiredSettings("jdbc:h2:file:/x/db;retention_time=45000"))
                .doesNotContain("RETENTION_TIME=5000");
    }

    @Test
    void keepsOtherSettingsAndToleratesTrailingSemicolons() {
        String url = H2Url.withRequiredSettings("jdbc:h2:file:/x/db;CIPHER=AES;;");
        assertThat(url).startsWith("jdbc:h2:file:/x/db;CIPHER=AES;MODE=PostgreSQL").doesNotContain(";;");
    }

    @Test
    void settingNamesAreCaseInsensitive() {
        String url = H2Url.withRequiredSettings("jdbc:h2:mem:t;write_delay=0;Mode=postgresql");
        assertThat(url.toUpperCase().indexOf("WRITE_DELAY")).isEqualTo(url.toUpperCase().lastIndexOf("WRITE_DELAY"));
    }

    @Test
    void refusesConflictingOrMalformedSettings() {
        assertThatThrownBy(() -> H2Url.withRequiredSettings("jdbc:h2:file:/x;WRITE_DELAY=500"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WRITE_DELAY=0");
        assertThatThrownBy(() -> H2Url.withRequiredSettings("jdbc:h2:file:/x;DATABASE_TO_LOWER=FALSE"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> H2Url.withRequiredSettings("jdbc:h2:file:/x;FILE_LOCK=NO"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FILE_LOCK=FS");
        assertThatThrownBy(() -> H2Url.withRequiredSettings("jdbc:h2:file:/x;FILE_LOCK=FILE"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> H2Url.withRequiredSettings("jdbc:h2:file:/x;garbage"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTheFileOfFileUrlsOnly() {
        assertThat(H2Url.filePath("jdbc:h2:file:/var/skerry/db;MODE=PostgreSQL")).contains(Path.of("/var/skerry/db"));
        assertThat(H2Url.filePath("jdbc:h2:./data/db")).contains(Path.of("./data/db"));
        assertThat(H2Url.filePath("jdbc:h2:mem:test")).isEmpty();
        assertThat(H2Url.filePath("jdbc:h2:tcp://localhost/~/db")).isEmpty();
        assertThat(H2Url.filePath("jdbc:h2:~/db")).contains(Path.of(System.getProperty("user.home") + "/db"));
    }

    @Test
    void makesImplicitlyRelativePathsExplicit() {
        assertThat(H2Url.withExplicitRelativePath("jdbc:h2:file:data/skerry")).isEqualTo("jdbc:h2:file:./data/skerry");
        assertThat(H2Url.withExplicitRelativePath("jdbc:h2:data/skerry;X=1")).isEqualTo("jdbc:h2:./data/skerry;X=1");
        assertThat(H2Url.withExplicitRelativePath("jdbc:h2:file:./data/skerry")).isEqualTo("jdbc:h2:file:./data/skerry");
        assertThat(H2Url.withExplicitRelativePath("jdbc:h2:file:/abs/skerry")).isEqualTo("jdbc:h2:file:/abs/skerry");
        assertThat(H2Url.withExplicitRelativePath("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    }
}
