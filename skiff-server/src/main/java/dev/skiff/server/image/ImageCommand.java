package dev.skiff.server.image;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code skiff image}: build images and list the local registry's. Each action is a subcommand. */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Build container images without Docker and list the cluster registry's images.",
        commandListHeading = "%nCommands:%n")
public final class ImageCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required command (build or list)");
    }
}
