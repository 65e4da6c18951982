package dev.skiff.server;

import dev.skiff.server.image.ImageBuildCommand;
import dev.skiff.server.image.ImageCommand;
import dev.skiff.server.image.ImageListCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code skiff} command: the entry point of the runnable jar.
 *
 * <p>Exit codes follow picocli: 0 on success, 1 when a command fails, 2 on a usage error (unknown subcommand,
 * bad option). {@link #commandLine(PrintStream, PrintStream)} builds the whole command tree with explicit output
 * streams, so tests run the CLI in-process.
 */
@Command(
        name = "skiff",
        mixinStandardHelpOptions = true,
        description = "Skiff: a serverless Kubernetes. Every pod runs in its own sandbox on a virtual node.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'skiff COMMAND --help' for the options of a command."})
public final class SkiffCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private SkiffCli() {}

    public static void main(String[] args) {
        System.exit(commandLine(System.out, System.err).execute(args));
    }

    /** The {@code skiff} command tree, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        BuildInfo build = BuildInfo.load();
        String versionLine = build.describe(System.getProperty("java.version"));

        CommandLine cli = new CommandLine(new SkiffCli());
        cli.addSubcommand(new UpCommand(out, build));
        cli.addSubcommand(new ServerCommand(out, build));
        cli.addSubcommand(new VersionCommand(versionLine, out));
        cli.addSubcommand(new CommandLine(new BenchCommand())
                .addSubcommand(new BenchCommand.StorageCommand(out, err))
                        .addSubcommand(new BenchCommand.ApiCommand(out, err))
                        .addSubcommand(new BenchCommand.PodsCommand(out, build))
                        .addSubcommand(new BenchCommand.SandboxCommand(out, build)));
        Path defaultDataDir = UpCommand.defaultDataDir();
        cli.addSubcommand(new CommandLine(new ImageCommand())
                .addSubcommand(new ImageBuildCommand(out, err, defaultDataDir, Clock.systemUTC()))
                .addSubcommand(new ImageListCommand(out, err, defaultDataDir)));
        setVersion(cli, versionLine);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    /** Every command answers {@code --version} with the same line. */
    private static void setVersion(CommandLine command, String versionLine) {
        command.getCommandSpec().version(versionLine);
        command.getSubcommands().values().forEach(sub -> setVersion(sub, versionLine));
    }

    /** {@code skiff} without a command is a usage error: picocli prints the message and the usage, exit code 2. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required command");
    }
}
