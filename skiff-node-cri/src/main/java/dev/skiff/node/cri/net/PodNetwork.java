package dev.skiff.node.cri.net;

import dev.skiff.node.ipam.Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods' network on this host: one Linux bridge owned by Skiff, the CNI configuration containerd reads, and a tiny
 * IPAM plugin of our own that hands each sandbox exactly the address the node agent chose.
 *
 * <p>Why an own IPAM plugin: the node agent's IPAM already picked {@code InstanceSpec.podIp} from its vSwitch's CIDR
 * (and wrote it to the Pod), so the sandbox must get that address, not one host-local would pick. containerd passes
 * the pod's UID to CNI plugins in {@code CNI_ARGS} ({@code K8S_POD_UID}, as it does for the kubelet); the runtime
 * records {@code address/prefix gateway} in a file named by that UID before {@code RunPodSandbox}, and the plugin, a
 * POSIX shell script, prints it as a CNI result. The Debian bridge plugin does the rest (veth pair, address and
 * routes inside the pod's network namespace).
 *
 * <p>Why the bridge is ours: the bridge plugin allows one IPv4 address per bridge, but virtual nodes in different
 * zones have different CIDRs. So the plugin runs with {@code isGateway=false} and this class puts each CIDR's
 * gateway (its first host address) on the bridge itself; pods of one CIDR talk over the bridge, pods of different
 * CIDRs through the host's routing. No masquerading and no port mapping (every pod has its own address), so the
 * plugins create no iptables chains.
 *
 * <p>Thread-safe.
 */
public final class PodNetwork {

    /** The CNI plugins we use from the system's plugin directory (containerd runs loopback itself). */
    private static final List<String> SYSTEM_PLUGINS = List.of("bridge", "loopback");
    static final String IPAM_PLUGIN = "skiff-ipam";

    private final String name;
    private final String bridge;
    private final Path binDir;
    private final Path confDir;
    private final Path addressDir;
    private final Set<Cidr> gateways = ConcurrentHashMap.newKeySet();

    /**
     * @param name   the CNI network's name (also keys libcni's cache in {@code /var/lib/cni/results})
     * @param bridge the bridge's interface name (at most 15 characters)
     * @param dir    a directory this network owns
     */
    public PodNetwork(String name, String bridge, Path dir) {
        if (bridge.length() > 15) {
            throw new IllegalArgumentException("bridge name longer than 15 characters: " + bridge);
        }
        this.name = name;
        this.bridge = bridge;
        this.binDir = dir.resolve("bin");
        this.confDir = dir.resolve("conf");
        this.addressDir = dir.resolve("addresses");
    }

    public String name() {
        return name;
    }

    public String bridge() {
        return bridge;
    }

    public Path binDir() {
        return binDir;
    }

    public Path confDir() {
        return confDir;
    }

    /**
     * Writes the plugin directory and the network configuration, and creates the bridge. Idempotent.
     *
     * @param systemPluginDir where the distribution's CNI plugins are ({@code /usr/lib/cni} on Debian)
     */
    public void install(Path systemPluginDir) {
        try {
            Files.createDirectories(binDir);
            Files.createDirectories(confDir);
            Files.createDirectories(addressDir);
            for (String plugin : SYSTEM_PLUGINS) {
                Path target = systemPluginDir.resolve(plugin);
                if (!Files.isExecutable(target)) {
                    throw new IllegalStateException("CNI plugin " + target + " is missing");
                }
                Path link = binDir.resolve(plugin);
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, target);
            }
            writeExecutable(binDir.resolve(IPAM_PLUGIN), ipamScript());
            Path conf = confDir.resolve("10-" + name + ".conflist");
            Files.writeString(conf, conflist(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!HostCommands.run(List.of("ip", "link", "show", bridge)).ok()) {
            HostCommands.check(List.of("ip", "link", "add", "name", bridge, "type", "bridge"));
        }
        HostCommands.check(List.of("ip", "link", "set", bridge, "up"));
    }

    /** Makes {@code cidr} routable from the host: its gateway address on the bridge. Idempotent. */
    public void addSubnet(Cidr cidr) {
        if (gateways.add(cidr)) {
            HostCommands.check(List.of("ip", "addr", "replace", gateway(cidr).getHostAddress() + "/"
                    + cidr.prefixLength(), "dev", bridge));
        }
    }

    /** The gateway of a CIDR: its first host address (which the node agent's pools never hand out). */
    public static InetAddress gateway(Cidr cidr) {
        return cidr.addressAt(1);
    }

    /** Records the address the sandbox of pod {@code podUid} gets; call before RunPodSandbox. */
    public void assign(String podUid, InetAddress address, Cidr cidr) {
        addSubnet(cidr);
        String line = address.getHostAddress() + "/" + cidr.prefixLength() + " " + gateway(cidr).getHostAddress()
                + "\n";
        try {
            Path tmp = addressDir.resolve("." + podUid + ".tmp");
            Files.writeString(tmp, line, StandardCharsets.UTF_8);
            Files.move(tmp, addressDir.resolve(podUid), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets a pod's address record (after its sandbox is removed). Idempotent. */
    public void release(String podUid) {
        try {
            Files.deleteIfExists(addressDir.resolve(podUid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the bridge and libcni's cached results of this network. Call after every sandbox is gone. Best effort
     * and idempotent: returns what could not be cleaned.
     */
    public List<String> uninstall() {
        var problems = new java.util.ArrayList<String>();
        if (HostCommands.run(List.of("ip", "link", "show", bridge)).ok()) {
            HostCommands.Outcome deleted = HostCommands.run(List.of("ip", "link", "del", bridge));
            if (!deleted.ok()) {
                problems.add("bridge " + bridge + ": " + deleted.output());
            }
        }
        // libcni caches every ADD result under a fixed directory whatever containerd's config says; entries are
        // named <network>-<sandbox id>-<interface>.
        Path results = Path.of("/var/lib/cni/results");
        if (Files.isDirectory(results)) {
            try (DirectoryStream<Path> cached = Files.newDirectoryStream(results, name + "-*")) {
                for (Path entry : cached) {
                    Files.deleteIfExists(entry);
                }
            } catch (IOException e) {
                problems.add("CNI results: " + e.getMessage());
            }
        }
        gateways.clear();
        return problems;
    }

    private String conflist() {
        // CNI spec 1.0.0: a network list with one bridge plugin whose ipam is our plugin. promiscMode lets a pod
        // reach itself through its own address via the bridge (hairpin), as Kubernetes Services need.
        return """
                {
                  "cniVersion": "1.0.0",
                  "name": "%s",
                  "plugins": [
                    {
                      "type": "bridge",
                      "bridge": "%s",
                      "isGateway": false,
                      "ipMasq": false,
                      "hairpinMode": true,
                      "ipam": { "type": "%s" }
                    }
                  ]
                }
                """.formatted(name, bridge, IPAM_PLUGIN);
    }

    private String ipamScript() {
        // A CNI IPAM plugin (spec 1.0.0): ADD prints the recorded address as a result, DEL and CHECK have nothing to
        // release (the runtime owns the records), VERSION lists what it speaks. Errors follow the spec's JSON shape
        // with code 11 ("try again later") when no address was recorded. Only shell builtins after the shell itself
        // (read, printf): an external cat doubled the plugin's cost, which every sandbox pays (decision 038).
        return """
                #!/bin/sh
                # Skiff's CNI IPAM plugin: hands a sandbox the address its runtime recorded for the pod's UID.
                dir='%s'
                case "$CNI_COMMAND" in
                VERSION)
                  echo '{"cniVersion":"1.0.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0"]}'
                  exit 0 ;;
                DEL|CHECK|GC|STATUS)
                  exit 0 ;;
                esac
                uid=''
                oldifs="$IFS"; IFS=';'
                for kv in $CNI_ARGS; do
                  case "$kv" in K8S_POD_UID=*) uid="${kv#K8S_POD_UID=}" ;; esac
                done
                IFS="$oldifs"
                if [ -z "$uid" ] || [ ! -f "$dir/$uid" ]; then
                  echo "{\\"cniVersion\\":\\"1.0.0\\",\\"code\\":11,\\"msg\\":\\"no address recorded for pod '$uid'\\"}"
                  exit 1
                fi
                read -r addr gw < "$dir/$uid"
                json='{"cniVersion":"1.0.0","ips":[{"address":"%%s","gateway":"%%s"}],'
                json="$json"'"routes":[{"dst":"0.0.0.0/0","gw":"%%s"}]}\\n'
                printf "$json" "$addr" "$gw" "$gw"
                """.formatted(addressDir.toAbsolutePath());
    }

    private static void writeExecutable(Path path, String content) throws IOException {
        Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
