package dev.skiff.node.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The kubelet's stats Summary ({@code k8s.io/kubelet/pkg/apis/stats/v1alpha1.Summary}), field for field in the JSON
 * names upstream uses, so that metrics-server and {@code kubectl get --raw .../proxy/stats/summary} readers find
 * what they expect. Optional figures are null and left out, as upstream omits unset pointers. Times are RFC 3339.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Summary(Node node, List<Pod> pods) {

    public Summary {
        pods = List.copyOf(pods);
    }

    /** {@code NodeStats}: for a virtual node the sums over its pods. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(String nodeName, String startTime, Cpu cpu, Memory memory, Fs fs, Runtime runtime) {
    }

    /** {@code RuntimeStats}: where images and writable layers live. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Runtime(Fs imageFs, Fs containerFs) {
    }

    /** {@code PodStats}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pod(PodRef podRef, String startTime, List<Container> containers, Cpu cpu, Memory memory,
                      List<Volume> volume, @JsonProperty("ephemeral-storage") Fs ephemeralStorage) {

        public Pod {
            containers = List.copyOf(containers);
            volume = volume == null ? null : List.copyOf(volume);
        }
    }

    /** {@code PodReference}. */
    public record PodRef(String name, String namespace, String uid) {
    }

    /** {@code ContainerStats}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Container(String name, String startTime, Cpu cpu, Memory memory, Fs rootfs, Fs logs) {
    }

    /**
     * {@code CPUStats}.
     *
     * @param usageNanoCores       the rate over the last sampling interval; absent until two samples exist
     * @param usageCoreNanoSeconds cumulative since the container (attempt) started
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(String time, Long usageNanoCores, Long usageCoreNanoSeconds) {
    }

    /** {@code MemoryStats}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(String time, Long availableBytes, Long usageBytes, Long workingSetBytes, Long rssBytes,
                         Long pageFaults, Long majorPageFaults) {
    }

    /** {@code FsStats}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Fs(String time, Long availableBytes, Long capacityBytes, Long usedBytes, Long inodesFree,
                     Long inodes, Long inodesUsed) {

        /** Used bytes out of a capacity (available is what is left, never negative). */
        public static Fs of(String time, long used, long capacity) {
            return new Fs(time, Math.max(0, capacity - used), capacity, used, null, null, null);
        }
    }

    /** {@code VolumeStats}: an {@code FsStats} inlined with the volume's name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Volume(String time, Long availableBytes, Long capacityBytes, Long usedBytes, Long inodesFree,
                         Long inodes, Long inodesUsed, String name) {
    }
}
