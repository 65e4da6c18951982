package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@code skiff} command line in-process, with captured output. */
class SkiffCliTest {

    private static final String VERSION_LINE =
            "skiff \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\((git [0-9a-f]{7,40}, )?java \\S+\\)";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SkiffCli.commandLine(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsTheFilteredVersionAndTheJavaRuntime() {
        assertThat(run("version")).isZero();

        assertThat(out().strip()).matches(VERSION_LINE).contains("java " + System.getProperty("java.version"));
        assertThat(err()).isEmpty();
    }

    @Test
    void versionOptionPrintsTheSameLineAsTheCommand() {
        assertThat(run("version")).isZero();
        String command = out();
        out.reset();

        assertThat(run("--version")).isZero();

        assertThat(out()).isEqualTo(command);
    }

    @Test
    void subcommandsAnswerVersionTooWithTheSameLine() {
        assertThat(run("version")).isZero();
        String command = out();
        out.reset();

        assertThat(run("bench", "storage", "--version")).isZero();

        assertThat(out()).isEqualTo(command);
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run("bogus")).isEqualTo(2);

        assertThat(err()).contains("Unmatched argument at index 0: 'bogus'").contains("Usage: skiff");
        assertThat(out()).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);

        assertThat(err()).contains("Missing required command").contains("Usage: skiff");
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();

        assertThat(out()).contains("Usage: skiff").contains("up").contains("version").contains("bench");
    }

    @Test
    void serverNeedsADataDirectory() {
        assertThat(run("server")).isEqualTo(2);

        assertThat(err()).contains("Missing required option: '--data-dir=<dataDir>'");
    }

    @Test
    void benchWithoutABenchmarkIsAUsageError() {
        assertThat(run("bench")).isEqualTo(2);

        assertThat(err()).contains("Missing required benchmark").contains("storage");
    }

    @Test
    void benchStorageHelpShowsItsOptions() {
        assertThat(run("bench", "storage", "--help")).isZero();

        assertThat(out()).contains("--quick").contains("--work-dir=DIR");
    }

    @Test
    void buildInfoWithoutACommitLeavesTheGitPartOut() {
        BuildInfo info = new BuildInfo("1.2.3", java.util.Optional.of(" "));

        assertThat(info.describe("21.0.5")).isEqualTo("skiff 1.2.3 (java 21.0.5)");
        assertThat(new BuildInfo("1.2.3", java.util.Optional.of("abc1234")).describe("25"))
                .isEqualTo("skiff 1.2.3 (git abc1234, java 25)");
    }

    @Test
    void buildInfoIsFilteredAtBuildTime() {
        assertThat(BuildInfo.load().version()).doesNotContain("${").isNotEqualTo("unknown");
        assertThat(Files.exists(Path.of("target", "classes", "dev", "skiff", "server", BuildInfo.RESOURCE)))
                .isTrue();
    }
}
