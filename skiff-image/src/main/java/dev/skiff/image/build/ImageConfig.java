package dev.skiff.image.build;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an image tells the runtime about running it: the {@code config} object of the OCI image configuration
 * ({@code Entrypoint}, {@code Cmd}, {@code Env}, {@code WorkingDir}, {@code User}, {@code Labels},
 * {@code ExposedPorts}, {@code StopSignal}) plus the creation time. As in Kubernetes, a pod's {@code command}
 * replaces the entrypoint and its {@code args} replace the cmd.
 *
 * @param entrypoint may be empty
 * @param cmd may be empty
 * @param env {@code NAME=value} strings, in order
 * @param workingDir absolute path, or empty for the runtime's default ({@code /})
 * @param user {@code uid[:gid]} or a name from /etc/passwd, or empty for root
 * @param labels image labels
 * @param exposedPorts {@code port/proto} strings such as {@code 80/tcp}
 * @param stopSignal e.g. {@code SIGTERM}, or empty
 * @param created the image's creation time (the epoch keeps builds reproducible)
 */
public record ImageConfig(
        List<String> entrypoint,
        List<String> cmd,
        List<String> env,
        String workingDir,
        String user,
        Map<String, String> labels,
        Set<String> exposedPorts,
        String stopSignal,
        Instant created) {

    /** The PATH Docker and containerd give an image that sets none; busybox's applets live in these directories. */
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        for (String e : env) {
            if (e.indexOf('=') <= 0) {
                throw new IllegalArgumentException("env entries are NAME=value, got \"" + e + "\"");
            }
        }
        workingDir = workingDir == null ? "" : workingDir;
        if (!workingDir.isEmpty() && !workingDir.startsWith("/")) {
            throw new IllegalArgumentException("workingDir must be absolute, got \"" + workingDir + "\"");
        }
        user = user == null ? "" : user;
        labels = new TreeMap<>(labels);
        exposedPorts = new TreeSet<>(exposedPorts);
        for (String port : exposedPorts) {
            if (!port.matches("[0-9]{1,5}(/(tcp|udp|sctp))?")) {
                throw new IllegalArgumentException("exposed ports are PORT[/tcp|udp|sctp], got \"" + port + "\"");
            }
        }
        stopSignal = stopSignal == null ? "" : stopSignal;
        created = created == null ? Instant.EPOCH : created;
    }

    /** No entrypoint or command, the default PATH, created at the epoch. */
    public static ImageConfig defaults() {
        return new ImageConfig(List.of(), List.of(), List.of(DEFAULT_PATH), "", "", Map.of(), Set.of(), "",
                Instant.EPOCH);
    }

    public ImageConfig withEntrypoint(List<String> value) {
        return new ImageConfig(value, cmd, env, workingDir, user, labels, exposedPorts, stopSignal, created);
    }

    public ImageConfig withCmd(List<String> value) {
        return new ImageConfig(entrypoint, value, env, workingDir, user, labels, exposedPorts, stopSignal, created);
    }

    /** Sets {@code NAME=value}, replacing an earlier value of NAME. */
    public ImageConfig withEnv(String nameEqualsValue) {
        int eq = nameEqualsValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("env entries are NAME=value, got \"" + nameEqualsValue + "\"");
        }
        String prefix = nameEqualsValue.substring(0, eq + 1);
        List<String> next = new java.util.ArrayList<>(env.stream().filter(e -> !e.startsWith(prefix)).toList());
        next.add(nameEqualsValue);
        return new ImageConfig(entrypoint, cmd, next, workingDir, user, labels, exposedPorts, stopSignal, created);
    }

    public ImageConfig withWorkingDir(String value) {
        return new ImageConfig(entrypoint, cmd, env, value, user, labels, exposedPorts, stopSignal, created);
    }

    public ImageConfig withUser(String value) {
        return new ImageConfig(entrypoint, cmd, env, workingDir, value, labels, exposedPorts, stopSignal, created);
    }

    public ImageConfig withLabel(String key, String value) {
        Map<String, String> next = new TreeMap<>(labels);
        next.put(key, value);
        return new ImageConfig(entrypoint, cmd, env, workingDir, user, next, exposedPorts, stopSignal, created);
    }

    /** Adds an exposed port; a bare number means TCP. */
    public ImageConfig withExposedPort(String port) {
        Set<String> next = new TreeSet<>(exposedPorts);
        next.add(port.contains("/") ? port : port + "/tcp");
        return new ImageConfig(entrypoint, cmd, env, workingDir, user, labels, next, stopSignal, created);
    }

    public ImageConfig withStopSignal(String value) {
        return new ImageConfig(entrypoint, cmd, env, workingDir, user, labels, exposedPorts, value, created);
    }

    public ImageConfig withCreated(Instant value) {
        return new ImageConfig(entrypoint, cmd, env, workingDir, user, labels, exposedPorts, stopSignal, value);
    }
}
